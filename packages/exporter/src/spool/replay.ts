// `replaySpool`: sends spooled rows again and rewrites each spool file so it keeps only what
// was not delivered. Streams line by line (a 1 GiB spool is never loaded whole), oldest file
// first, consecutive entries of one target per `deliver` call; safe to stop and to run again.

import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget } from '../row-batch.js';
import { FileRewriter } from './rewrite-file.js';
import { undeliveredIndexes } from './undelivered-rows.js';
import type { SpoolEntry } from './spool-entry.js';
import { parseSpoolEntry, SpoolFormatError, targetOf } from './spool-entry.js';
import { systemCodeOf } from './spool-errors.js';
import { listSpoolFiles } from './spool-files.js';
import type { ReplayConfig, ReplayOptions, ReplayResult, StreamReplayCounts } from './replay-options.js';
import { resolveReplayOptions } from './replay-options.js';

export type { ReplayOptions, ReplayResult, StreamReplayCounts } from './replay-options.js';
export { REPLAYABLE_REASONS } from './replay-options.js';

/** Replay could not read or rewrite a spool file; `result` says what was done until then. */
export class ReplayError extends Error {
  readonly code = 'E_SPOOL_REPLAY';
  readonly path: string;
  readonly result: ReplayResult;

  constructor(path: string, cause: unknown, result: ReplayResult) {
    const reason = systemCodeOf(cause) ?? (cause instanceof Error ? cause.message : String(cause));
    super(
      `replay stopped at ${path}: ${reason}; check that the path is the spool directory and that ` +
        'this user may read and write it, then run replay again (delivered entries are already removed)',
      { cause },
    );
    this.name = 'ReplayError';
    this.path = path;
    this.result = result;
  }
}

/** One line of a batch: an entry, or a malformed line that sits between two entries. */
interface Item {
  readonly line: string;
  readonly entry?: SpoolEntry;
}

interface Batch {
  readonly key: string;
  readonly target: StreamTarget;
  readonly items: Item[];
  /** Items that are entries to send. */
  rows: number;
  /** Length of the items' lines: what the batch holds in memory. */
  chars: number;
}

/** Bounds the memory of one batch whatever its rows weigh (a row may be up to 1 MB). */
const MAX_BATCH_CHARS = 32 * 1024 * 1024;

/**
 * Adds an item; true when the batch is now full and goes out: at `batchSize` items (rows, or
 * lines kept between them, so a run of held lines cannot grow it without bound) or at
 * `MAX_BATCH_CHARS`, whichever comes first.
 */
function add(batch: Batch, item: Item, batchSize: number): boolean {
  batch.items.push(item);
  batch.chars += item.line.length;
  if (item.entry !== undefined) batch.rows++;
  return batch.items.length >= batchSize || batch.chars >= MAX_BATCH_CHARS;
}

interface StreamCounts {
  entries: number;
  delivered: number;
  failed: number;
}

export async function replaySpool(options: ReplayOptions): Promise<ReplayResult> {
  const config = resolveReplayOptions(options);
  const counts = new Counts();
  let names: string[];
  try {
    names = await listSpoolFiles(config.directory, config.prefix);
  } catch (error) {
    throw new ReplayError(config.directory, error, counts.result());
  }
  for (const name of names) {
    if (config.signal?.aborted === true) {
      counts.aborted = true;
      break;
    }
    const path = join(config.directory, name);
    try {
      if (config.minAgeMs > 0 && Date.now() - (await stat(path)).mtimeMs < config.minAgeMs) {
        counts.filesSkipped++;
        continue;
      }
      await new FileReplay(path, config, counts).run();
    } catch (error) {
      if (systemCodeOf(error) === 'ENOENT') continue; // removed meanwhile: nothing left to send
      throw new ReplayError(path, error, counts.result());
    }
    if (counts.aborted) break;
  }
  return counts.result();
}

class FileReplay {
  readonly #path: string;
  readonly #config: ReplayConfig;
  readonly #counts: Counts;
  readonly #rewriter: FileRewriter | undefined;
  #stopped = false;
  #delivered = 0;

  constructor(path: string, config: ReplayConfig, counts: Counts) {
    this.#path = path;
    this.#config = config;
    this.#counts = counts;
    this.#rewriter = config.dryRun ? undefined : new FileRewriter(path);
  }

  async run(): Promise<void> {
    const handle = await open(this.#path, 'r');
    const { ino } = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    this.#counts.files++;
    const input = handle.createReadStream({ encoding: 'utf8', autoClose: false });
    const lines = createInterface({ input, crlfDelay: Infinity });
    try {
      let batch: Batch | undefined;
      for await (const line of lines) {
        if (line.trim() === '') continue;
        const entry = parseOrUndefined(line);
        if (entry === undefined || !this.#replayable(entry)) {
          if (entry === undefined) {
            this.#counts.malformed++;
          } else {
            this.#counts.entries++;
            this.#counts.held++;
          }
          // Kept where it is: behind the entries of a pending batch, if there is one.
          if (batch === undefined) {
            await this.#keep(line);
          } else if (add(batch, { line }, this.#config.batchSize)) {
            await this.#send(batch);
            batch = undefined;
          }
          continue;
        }
        this.#counts.stream(entry).entries++;
        this.#counts.entries++;
        const key = targetKey(entry);
        if (batch !== undefined && batch.key !== key) {
          await this.#send(batch);
          batch = undefined;
        }
        if (this.#stopped) {
          this.#counts.unsent++;
          await this.#keep(line);
          continue;
        }
        batch ??= { key, target: targetOf(entry), items: [], rows: 0, chars: 0 };
        if (add(batch, { line, entry }, this.#config.batchSize)) {
          await this.#send(batch);
          batch = undefined;
        }
      }
      if (batch !== undefined) await this.#send(batch);
      await this.#rewriter?.finish({ ino, bytesRead: input.bytesRead }, this.#delivered > 0);
    } catch (error) {
      await this.#rewriter?.discard();
      throw error;
    } finally {
      lines.close();
      input.destroy();
      await handle.close();
    }
  }

  #replayable(entry: SpoolEntry): boolean {
    return (
      this.#config.reasons.has(entry.reason) &&
      entry.endpoint !== '' &&
      entry.dcrImmutableId !== '' &&
      entry.stream !== ''
    );
  }

  async #send(batch: Batch): Promise<void> {
    const { signal, dryRun } = this.#config;
    if (signal?.aborted === true) {
      this.#stopped = true;
      this.#counts.aborted = true;
    }
    if (this.#stopped || dryRun) {
      if (!this.#stopped) this.#counts.batches++;
      this.#counts.unsent += batch.rows;
      for (const item of batch.items) await this.#keep(item.line);
      return;
    }
    this.#counts.batches++;
    const rows: Row[] = [];
    for (const item of batch.items) if (item.entry !== undefined) rows.push(item.entry.row);
    const undelivered = await this.#deliver(batch.target, rows);
    let index = 0;
    for (const item of batch.items) {
      if (item.entry === undefined) {
        await this.#keep(item.line);
        continue;
      }
      const stream = this.#counts.stream(item.entry);
      if (undelivered === 'all' || undelivered.has(index)) {
        stream.failed++;
        this.#counts.failed++;
        await this.#keep(item.line);
      } else {
        stream.delivered++;
        this.#counts.delivered++;
        this.#delivered++;
      }
      index++;
    }
  }

  async #deliver(target: StreamTarget, rows: readonly Row[]): Promise<ReadonlySet<number> | 'all'> {
    try {
      return undeliveredIndexes(rows, await this.#config.deliver(target, rows));
    } catch {
      // The contract: a throw means nothing of the group was delivered. The error is the
      // caller's to report (it wrote deliver); here it is only counted.
      this.#counts.deliverErrors++;
      return 'all';
    }
  }

  async #keep(line: string): Promise<void> {
    await this.#rewriter?.keep(line);
  }
}

function parseOrUndefined(line: string): SpoolEntry | undefined {
  try {
    return parseSpoolEntry(line);
  } catch (error) {
    if (error instanceof SpoolFormatError) return undefined;
    throw error;
  }
}

function targetKey(entry: SpoolEntry): string {
  return `${entry.endpoint}\n${entry.dcrImmutableId}\n${entry.stream}\n${entry.table}`;
}

class Counts {
  files = 0;
  filesSkipped = 0;
  entries = 0;
  delivered = 0;
  failed = 0;
  unsent = 0;
  held = 0;
  malformed = 0;
  batches = 0;
  deliverErrors = 0;
  aborted = false;
  readonly #perStream = new Map<string, StreamCounts>();

  stream(entry: SpoolEntry): StreamCounts {
    const key = `${entry.dcrImmutableId}/${entry.stream}`;
    let counts = this.#perStream.get(key);
    if (counts === undefined) {
      counts = { entries: 0, delivered: 0, failed: 0 };
      this.#perStream.set(key, counts);
    }
    return counts;
  }

  result(): ReplayResult {
    const perStream: Record<string, StreamReplayCounts> = {};
    for (const [key, counts] of this.#perStream) perStream[key] = { ...counts };
    return {
      files: this.files,
      filesSkipped: this.filesSkipped,
      entries: this.entries,
      delivered: this.delivered,
      failed: this.failed,
      unsent: this.unsent,
      held: this.held,
      malformed: this.malformed,
      batches: this.batches,
      deliverErrors: this.deliverErrors,
      aborted: this.aborted,
      perStream,
    };
  }
}
