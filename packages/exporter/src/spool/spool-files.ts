// Spool files of versions before the store (JSON lines, `<prefix>-<time>-<pid>-<seq>.jsonl`):
// which files in a directory they are, for the one-time import `replay` does.

import { open, readdir } from 'node:fs/promises';

export const DEFAULT_PREFIX = 'sentinel-spool';
export const FILE_SUFFIX = '.jsonl';

/** Letters, digits, `.`, `_`, `-`; no path separators, so a prefix cannot leave the directory. */
export const PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function isSpoolFile(name: string, prefix: string): boolean {
  return name.startsWith(`${prefix}-`) && name.endsWith(FILE_SUFFIX);
}

/** Spool file names in `directory`, oldest first. Throws the `readdir` error as is. */
export async function listSpoolFiles(directory: string, prefix: string): Promise<string[]> {
  const names = await readdir(directory);
  return names.filter((name) => isSpoolFile(name, prefix)).sort();
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
