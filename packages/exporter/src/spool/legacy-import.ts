// JSON-lines spool files of earlier versions (`<prefix>-*.jsonl`), moved into the store by replay
// once each. A file's entries and the record "imported up to byte N" are committed in one
// transaction, and the file is deleted after: a crash before the deletion leaves a file the next
// replay recognises and deletes without importing it again. Lines that are not entries are kept,
// verbatim, in `<file>.malformed` (written before the import, under a name derived from the
// file, so a repeated import rewrites it rather than adding to it).

import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqliteDeliveryStore } from '../store/sqlite-delivery-store.ts';
import { spoolErrorOf } from '../store/store-failure.ts';
import type { ReplayConfig } from './replay-options.ts';
import type { ReplayCounts } from './replay-counts.ts';
import type { SpoolEntry } from './spool-entry.ts';
import { parseSpoolEntry, SpoolFormatError } from './spool-entry.ts';
import { systemCodeOf } from './spool-errors.ts';
import { listSpoolFiles, syncDirectory } from './spool-files.ts';

export const MALFORMED_SUFFIX = '.malformed';

export interface LegacyFile {
  readonly name: string;
  /** Bytes of the file when read. */
  readonly size: number;
  /** Where reading started: what an earlier import already took. */
  readonly from: number;
  readonly entries: SpoolEntry[];
  readonly malformed: string[];
}

/**
 * Legacy files old enough to read, oldest first, each read from where an earlier import stopped
 * (`imported(name)`). A file already imported whole comes back with no entries.
 */
export async function* legacyFiles(
  config: ReplayConfig,
  counts: ReplayCounts,
  imported: (name: string) => Promise<number | undefined>,
): AsyncGenerator<LegacyFile> {
  for (const name of await listSpoolFiles(config.directory, config.prefix)) {
    const path = join(config.directory, name);
    let size: number;
    try {
      const info = await stat(path);
      if (config.minAgeMs > 0 && Date.now() - info.mtimeMs < config.minAgeMs) {
        counts.filesSkipped++;
        continue;
      }
      size = info.size;
    } catch (error) {
      if (systemCodeOf(error) === 'ENOENT') continue; // another replay took it meanwhile
      throw error;
    }
    const recorded = (await imported(name)) ?? 0;
    // Smaller than recorded: the file was rewritten since (an older replay); read it all again.
    const from = size >= recorded ? recorded : 0;
    const text = from === size ? '' : await readFrom(path, from, size);
    const entries: SpoolEntry[] = [];
    const malformed: string[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        entries.push(parseSpoolEntry(line));
      } catch (error) {
        if (!(error instanceof SpoolFormatError)) throw error;
        malformed.push(line);
      }
    }
    counts.files++;
    yield { name, size, from: recorded, entries, malformed };
  }
}

/** Moves the legacy files into the store's spool, one transaction per file. */
export async function importLegacyFiles(
  store: SqliteDeliveryStore,
  config: ReplayConfig,
  counts: ReplayCounts,
): Promise<void> {
  const imported = async (name: string): Promise<number | undefined> => {
    const reply = await store.request({ op: 'imported', name });
    if (!reply.ok) throw spoolErrorOf(reply.failure);
    return reply.value as number | undefined;
  };
  for await (const file of legacyFiles(config, counts, imported)) {
    const path = join(config.directory, file.name);
    if (file.malformed.length > 0) {
      const suffix = file.from === 0 ? MALFORMED_SUFFIX : `.${file.from}${MALFORMED_SUFFIX}`;
      await writeDurably(path + suffix, file.malformed.map((l) => `${l}\n`).join(''));
    }
    if (file.entries.length > 0 || file.from !== file.size) {
      const reply = await store.request({
        op: 'import',
        name: file.name,
        from: file.from,
        size: file.size,
        entries: JSON.stringify(file.entries),
      });
      if (!reply.ok) throw spoolErrorOf(reply.failure);
      // Undefined: another replay imported these bytes meanwhile; the file is its to delete.
      if (reply.value === undefined) continue;
      counts.imported += Number(reply.value);
    }
    await removeIfUnchanged(path, file.size);
  }
}

/** Lines kept in `<prefix>-*.malformed` files: they stay until a person removes them. */
export async function countMalformed(directory: string, prefix: string, counts: ReplayCounts): Promise<void> {
  const names = (await readdir(directory)).filter(
    (n) => n.startsWith(`${prefix}-`) && n.endsWith(MALFORMED_SUFFIX),
  );
  for (const name of names.sort()) {
    const text = await readFile(join(directory, name), 'utf8');
    counts.malformed += text.split('\n').filter((l) => l.trim() !== '').length;
    counts.malformedFiles.push(join(directory, name));
  }
}

async function readFrom(path: string, from: number, to: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, from + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.toString('utf8', 0, read);
  } finally {
    await handle.close();
  }
}

/** Deletes the file unless it grew since it was read (an older exporter still appends to it). */
async function removeIfUnchanged(path: string, size: number): Promise<void> {
  try {
    if ((await stat(path)).size !== size) return; // the rest is imported by the next replay
    await rm(path);
  } catch (error) {
    if (systemCodeOf(error) !== 'ENOENT') throw error;
  }
  await syncDirectory(join(path, '..'));
}

/** Whole or not at all: a temporary file, fsynced, renamed over the name. */
async function writeDurably(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncDirectory(join(path, '..'));
}
