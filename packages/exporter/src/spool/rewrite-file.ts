// Crash-safe rewriting of one spool file during replay: the lines to keep go to `<file>.tmp`,
// which is fsynced and renamed over the file; a crash at any point leaves either the old file
// or the new one, never half of each.

import type { FileHandle } from 'node:fs/promises';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { systemCodeOf } from './spool-errors.js';
import { syncDirectory, TEMP_SUFFIX } from './spool-files.js';

/** Kept lines are written in pieces of about this size. */
const WRITE_THRESHOLD = 1024 * 1024;

/** Where the reader stopped: the file's identity and how many bytes it had read. */
export interface ReadEnd {
  readonly ino: number;
  readonly bytesRead: number;
}

export type RewriteOutcome = 'removed' | 'rewritten' | 'unchanged';

export class FileRewriter {
  readonly #path: string;
  readonly #tempPath: string;
  #handle: FileHandle | undefined;
  #buffer = '';
  #kept = 0;

  constructor(path: string) {
    this.#path = path;
    this.#tempPath = path + TEMP_SUFFIX;
  }

  get kept(): number {
    return this.#kept;
  }

  /** Keeps one line (without its line break), in the order given. */
  async keep(line: string): Promise<void> {
    this.#buffer += line + '\n';
    this.#kept++;
    if (this.#buffer.length >= WRITE_THRESHOLD) await this.#write();
  }

  /**
   * Replaces the file with the kept lines. `changed` false (nothing was delivered) leaves the
   * file as it is. Bytes a writer appended after `end` are carried over, never dropped.
   */
  async finish(end: ReadEnd, changed: boolean): Promise<RewriteOutcome> {
    const appended = await this.#appendedSince(end);
    if (!changed && (this.#kept > 0 || appended)) {
      await this.discard();
      return 'unchanged';
    }
    if (this.#kept === 0 && !appended) {
      await this.discard();
      await rm(this.#path, { force: true });
      await syncDirectory(dirname(this.#path));
      return 'removed';
    }
    await this.#write();
    if (appended) await this.#copyTail(end.bytesRead);
    const handle = await this.#open();
    await handle.sync();
    await handle.close();
    this.#handle = undefined;
    await rename(this.#tempPath, this.#path);
    await syncDirectory(dirname(this.#path));
    return 'rewritten';
  }

  /** Drops the temporary file; the original stays as it is. */
  async discard(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    this.#buffer = '';
    if (handle !== undefined) {
      await handle.close().catch(() => undefined);
      await rm(this.#tempPath, { force: true });
    }
  }

  async #appendedSince(end: ReadEnd): Promise<boolean> {
    try {
      const now = await stat(this.#path);
      return now.ino === end.ino && now.size > end.bytesRead;
    } catch (error) {
      if (systemCodeOf(error) === 'ENOENT') return false;
      throw error;
    }
  }

  // A spool that appended while replay read the file (it should have been left alone, see
  // `minAgeMs`) still keeps those lines.
  async #copyTail(from: number): Promise<void> {
    const out = await this.#open();
    const source = await open(this.#path, 'r');
    try {
      const piece = Buffer.allocUnsafe(64 * 1024);
      for (let position = from; ;) {
        const { bytesRead } = await source.read(piece, 0, piece.length, position);
        if (bytesRead === 0) break;
        await out.appendFile(piece.subarray(0, bytesRead));
        position += bytesRead;
      }
    } finally {
      await source.close();
    }
  }

  async #write(): Promise<void> {
    if (this.#buffer === '') return;
    const handle = await this.#open();
    const text = this.#buffer;
    this.#buffer = '';
    await handle.appendFile(text, 'utf8');
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle !== undefined) return this.#handle;
    // 'w' truncates a temporary file left by a replay that crashed before its rename.
    const handle = await open(this.#tempPath, 'w', 0o600);
    this.#handle = handle;
    await handle.chmod(0o600);
    return handle;
  }
}
