// Naming, listing and measuring spool files: shared by the writer (`Spool`) and `replaySpool`
// so both agree on which files in a directory are spool files.

import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { systemCodeOf } from './spool-errors.ts';

export const DEFAULT_PREFIX = 'sentinel-spool';
export const FILE_SUFFIX = '.jsonl';
/** Suffix of a file being rewritten by replay; renamed over the original when complete. */
export const TEMP_SUFFIX = '.tmp';

/** Letters, digits, `.`, `_`, `-`; no path separators, so a prefix cannot leave the directory. */
export const PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * `<prefix>-<UTC timestamp>-<pid>-<seq>.jsonl`, e.g. `sentinel-spool-20260102T030405006Z-4242-000001.jsonl`.
 * The timestamp comes first and has a fixed width, so sorting names sorts files by creation time;
 * pid and seq keep names of several processes (and several spools of one process) apart.
 */
export function spoolFileName(prefix: string, now: Date, pid: number, seq: number): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${prefix}-${stamp}-${pid}-${String(seq).padStart(6, '0')}${FILE_SUFFIX}`;
}

export function isSpoolFile(name: string, prefix: string): boolean {
  return name.startsWith(`${prefix}-`) && name.endsWith(FILE_SUFFIX);
}

/** Spool file names in `directory`, oldest first. Throws the `readdir` error as is. */
export async function listSpoolFiles(directory: string, prefix: string): Promise<string[]> {
  const names = await readdir(directory);
  return names.filter((name) => isSpoolFile(name, prefix)).sort();
}

/**
 * Bytes held by the spool files (and replay's temporary files) in `directory`; 0 when it does
 * not exist. A file removed while measuring counts as 0.
 */
export async function measureSpool(directory: string, prefix: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (systemCodeOf(error) === 'ENOENT') return 0;
    throw error;
  }
  let total = 0;
  for (const name of names) {
    if (!name.startsWith(`${prefix}-`)) continue;
    if (!name.endsWith(FILE_SUFFIX) && !name.endsWith(FILE_SUFFIX + TEMP_SUFFIX)) continue;
    try {
      total += (await stat(join(directory, name))).size;
    } catch (error) {
      if (systemCodeOf(error) !== 'ENOENT') throw error;
    }
  }
  return total;
}

/**
 * Makes a rename or a new file in `directory` durable. Best effort: some platforms cannot open
 * a directory for fsync, and the data itself is already synced.
 */
export async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported here (Windows) or not permitted: the file contents are synced regardless.
  }
}
