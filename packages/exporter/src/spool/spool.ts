// The spool: rows that cannot be delivered are appended to JSON-lines files on local disk with
// the reason, so nothing is lost silently; `replaySpool` sends them again. Bounded, rotated,
// private to the user (0700/0600), and it never throws into the caller nor logs anything.

import type { FileHandle } from 'node:fs/promises';
import { chmod, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { RowBatch, UndeliveredReason } from '../row-batch.js';
import type { SpoolEntry } from './spool-entry.js';
import type { SpoolFormatError, SpoolLines } from './spool-entry.js';
import { serializeLines, serializeSpoolEntry, spoolLinePrefix } from './spool-entry.js';
import type { SpoolWriteError } from './spool-errors.js';
import { SpoolClosedError, SpoolFullError, SpoolIoError, systemCodeOf } from './spool-errors.js';
import { measureSpool, spoolFileName, syncDirectory } from './spool-files.js';
import type { SpoolOptions } from './spool-options.js';
import { resolveSpoolOptions } from './spool-options.js';

export type { SpoolOptions } from './spool-options.js';

export interface SpoolWriteResult {
  /** Entries now in a spool file. */
  readonly written: number;
  /** Entries not spooled: full, closed, I/O error or an unserialisable row. */
  readonly refused: number;
  /** The file the last written entry went to. */
  readonly file?: string;
  /** Why entries were refused (the first cause met), for counters and `diag`. */
  readonly error?: SpoolWriteError | SpoolFormatError;
}

export interface SpoolStats {
  readonly entriesWritten: number;
  readonly entriesRefused: number;
  readonly bytesWritten: number;
  /** Files this spool created. */
  readonly files: number;
  /** I/O errors met (a write, an fsync, a close). */
  readonly errors: number;
  readonly lastError?: SpoolIoError;
}

interface OpenFile {
  readonly handle: FileHandle;
  readonly path: string;
  bytes: number;
}

/** While full, the directory is measured again at most this often (replay may have emptied it). */
const REMEASURE_WHEN_FULL_MS = 1000;

// Shared by every Spool of this process, so two spools on one directory never pick one name.
let fileSeq = 0;

export class Spool {
  readonly #directory: string;
  readonly #maxFileBytes: number;
  readonly #maxTotalBytes: number;
  readonly #prefix: string;

  // Appends, flushes and close run one after another on this chain, so lines never interleave.
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;
  #closing: Promise<void> | undefined;
  #ready = false;
  #current: OpenFile | undefined;
  /** Bytes of spool files in the directory as last measured, plus what was appended since. */
  #totalBytes = 0;
  #measuredAt = 0;

  #entriesWritten = 0;
  #entriesRefused = 0;
  #bytesWritten = 0;
  #files = 0;
  #errors = 0;
  #lastError: SpoolIoError | undefined;

  /** Validates the options (throws `SpoolConfigError`); touches no file until the first write. */
  constructor(options: SpoolOptions) {
    const resolved = resolveSpoolOptions(options);
    this.#directory = resolved.directory;
    this.#maxFileBytes = resolved.maxFileBytes;
    this.#maxTotalBytes = resolved.maxTotalBytes;
    this.#prefix = resolved.prefix;
  }

  get directory(): string {
    return this.#directory;
  }

  /** Spools every row of `batch` with one reason. Never rejects. */
  write(batch: RowBatch, reason: UndeliveredReason, detail?: string): Promise<SpoolWriteResult> {
    if (batch.rows.length === 0) return Promise.resolve({ written: 0, refused: 0 });
    if (this.#closed) return Promise.resolve(this.#refuseClosed(batch.rows.length));
    // Serialised now, not when the chain gets to it: the caller may reuse the rows.
    const prefix = spoolLinePrefix(batch.target, new Date().toISOString(), reason, detail);
    return this.#enqueueAppend(serializeLines(batch.rows, (row) => prefix + JSON.stringify(row) + '}'));
  }

  /** Spools entries as given (their own time, target and reason). Never rejects. */
  writeEntries(entries: readonly SpoolEntry[]): Promise<SpoolWriteResult> {
    if (entries.length === 0) return Promise.resolve({ written: 0, refused: 0 });
    if (this.#closed) return Promise.resolve(this.#refuseClosed(entries.length));
    return this.#enqueueAppend(serializeLines(entries, serializeSpoolEntry));
  }

  /** Waits for pending writes and fsyncs the current file. Never rejects. */
  flush(): Promise<void> {
    if (this.#closed) return this.#closing ?? Promise.resolve();
    return this.#enqueue(() => this.#syncCurrent());
  }

  /** Waits for pending writes, fsyncs and closes the current file. Idempotent; never rejects. */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#enqueue(async () => {
      await this.#syncCurrent();
      await this.#closeCurrent();
    });
    return this.#closing;
  }

  stats(): SpoolStats {
    const counts = {
      entriesWritten: this.#entriesWritten,
      entriesRefused: this.#entriesRefused,
      bytesWritten: this.#bytesWritten,
      files: this.#files,
      errors: this.#errors,
    };
    return this.#lastError === undefined ? counts : { ...counts, lastError: this.#lastError };
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  #enqueueAppend(lines: SpoolLines): Promise<SpoolWriteResult> {
    return this.#enqueue(async () => {
      try {
        return await this.#append(lines);
      } catch (error) {
        // #append handles the file system's errors; this is the last guard of "never rejects".
        const ioError = this.#recordError(new SpoolIoError('append', this.#directory, error));
        this.#entriesRefused += lines.lines.length + lines.unserialisable;
        return { written: 0, refused: lines.lines.length + lines.unserialisable, error: ioError };
      }
    });
  }

  async #append({ lines, unserialisable, error: formatError }: SpoolLines): Promise<SpoolWriteResult> {
    let written = 0;
    let refused = unserialisable;
    let error: SpoolWriteError | SpoolFormatError | undefined = formatError;
    let file: string | undefined;

    const readyError = await this.#prepare();
    if (readyError !== undefined) {
      this.#entriesRefused += lines.length + refused;
      return { written, refused: lines.length + refused, error: error ?? readyError };
    }

    let chunk = '';
    let chunkBytes = 0;
    let chunkLines = 0;
    const flushChunk = async (): Promise<SpoolIoError | undefined> => {
      if (chunkLines === 0) return undefined;
      const outcome = await this.#appendChunk(chunk, chunkBytes);
      if (outcome instanceof SpoolIoError) {
        this.#totalBytes -= chunkBytes;
        refused += chunkLines;
      } else {
        written += chunkLines;
        file = outcome;
      }
      chunk = '';
      chunkBytes = 0;
      chunkLines = 0;
      return outcome instanceof SpoolIoError ? outcome : undefined;
    };

    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const bytes = Buffer.byteLength(line, 'utf8');
      if (!(await this.#fits(bytes, chunkBytes))) {
        refused++;
        error ??= new SpoolFullError(this.#directory, this.#maxTotalBytes);
        continue;
      }
      const fileBytes = (this.#current?.bytes ?? 0) + chunkBytes;
      if (fileBytes > 0 && fileBytes + bytes > this.#maxFileBytes) {
        const ioError = await flushChunk();
        await this.#rotate();
        if (ioError !== undefined) {
          // A failing disk does not recover within one call: refuse the rest of it.
          refused += lines.length - i;
          error ??= ioError;
          break;
        }
      }
      chunk += line;
      chunkBytes += bytes;
      chunkLines++;
      this.#totalBytes += bytes;
    }
    const ioError = await flushChunk();
    error ??= ioError;

    this.#entriesWritten += written;
    this.#entriesRefused += refused;
    return {
      written,
      refused,
      ...(file === undefined ? {} : { file }),
      ...(refused > 0 && error !== undefined ? { error } : {}),
    };
  }

  /** Creates the directory and measures what is already in it, once (again after a failure). */
  async #prepare(): Promise<SpoolIoError | undefined> {
    if (this.#ready) return undefined;
    try {
      const created = await mkdir(this.#directory, { recursive: true, mode: 0o700 });
      // The umask may have taken bits away; the spool holds security data, so set it exactly.
      if (created !== undefined) await chmod(this.#directory, 0o700);
    } catch (error) {
      return this.#recordError(new SpoolIoError('create directory', this.#directory, error));
    }
    try {
      this.#totalBytes = await measureSpool(this.#directory, this.#prefix);
      this.#measuredAt = Date.now();
    } catch (error) {
      return this.#recordError(new SpoolIoError('read directory', this.#directory, error));
    }
    this.#ready = true;
    return undefined;
  }

  async #fits(bytes: number, unflushed: number): Promise<boolean> {
    if (this.#totalBytes + bytes <= this.#maxTotalBytes) return true;
    if (Date.now() - this.#measuredAt < REMEASURE_WHEN_FULL_MS) return false;
    try {
      // Counts the flushed part of the current file; the unflushed chunk is added back.
      this.#totalBytes = (await measureSpool(this.#directory, this.#prefix)) + unflushed;
    } catch {
      // Keep the old figure: it only errs on the side of refusing.
    }
    this.#measuredAt = Date.now();
    return this.#totalBytes + bytes <= this.#maxTotalBytes;
  }

  /** Appends whole lines to the current file; returns its path, or the error (chunk not on disk). */
  async #appendChunk(chunk: string, bytes: number): Promise<string | SpoolIoError> {
    const current = await this.#currentFile();
    if (current instanceof SpoolIoError) return current;
    try {
      await current.handle.appendFile(chunk, 'utf8');
    } catch (error) {
      // Cut a partly written chunk off again, so the file ends on a whole line and the refused
      // count is exact; if even that fails, leave the file and start a new one next time.
      try {
        await current.handle.truncate(current.bytes);
      } catch {
        await this.#closeCurrent();
      }
      return this.#recordError(new SpoolIoError('append to', current.path, error));
    }
    current.bytes += bytes;
    this.#bytesWritten += bytes;
    return current.path;
  }

  async #currentFile(): Promise<OpenFile | SpoolIoError> {
    const current = this.#current;
    if (current !== undefined) {
      try {
        // nlink 0: replay (or a person) removed or replaced the file; appending would be lost.
        if ((await current.handle.stat()).nlink > 0) return current;
      } catch {
        // Fall through to a fresh file.
      }
      await this.#closeCurrent();
    }
    return this.#openNew();
  }

  async #openNew(): Promise<OpenFile | SpoolIoError> {
    for (let attempt = 0; ; attempt++) {
      const path = join(this.#directory, spoolFileName(this.#prefix, new Date(), process.pid, ++fileSeq));
      try {
        // 'ax': a name another process picked is never shared; appends go to the end.
        const handle = await open(path, 'ax', 0o600);
        await handle.chmod(0o600).catch(() => undefined);
        this.#current = { handle, path, bytes: 0 };
        this.#files++;
        await syncDirectory(this.#directory);
        return this.#current;
      } catch (error) {
        if (systemCodeOf(error) === 'EEXIST' && attempt < 5) continue;
        return this.#recordError(new SpoolIoError('create', path, error));
      }
    }
  }

  /**
   * Seals the current file and re-measures the directory (other writers, replay). The next file
   * is created by the next append, so a spool that is full leaves no empty file behind.
   */
  async #rotate(): Promise<void> {
    await this.#syncCurrent();
    await this.#closeCurrent();
    try {
      this.#totalBytes = await measureSpool(this.#directory, this.#prefix);
      this.#measuredAt = Date.now();
    } catch {
      // Keep the running figure.
    }
  }

  async #syncCurrent(): Promise<void> {
    const current = this.#current;
    if (current === undefined) return;
    try {
      await current.handle.sync();
    } catch (error) {
      this.#recordError(new SpoolIoError('fsync', current.path, error));
    }
  }

  async #closeCurrent(): Promise<void> {
    const current = this.#current;
    if (current === undefined) return;
    this.#current = undefined;
    try {
      await current.handle.close();
    } catch (error) {
      this.#recordError(new SpoolIoError('close', current.path, error));
    }
  }

  #refuseClosed(count: number): SpoolWriteResult {
    this.#entriesRefused += count;
    return { written: 0, refused: count, error: new SpoolClosedError() };
  }

  #recordError(error: SpoolIoError): SpoolIoError {
    this.#errors++;
    this.#lastError = error;
    return error;
  }
}
