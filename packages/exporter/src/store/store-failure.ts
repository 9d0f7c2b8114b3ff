// Why a store operation failed, as plain data: the worker finds out, the calling thread turns it
// into the spool's error classes. SQLite says "disk I/O error" or "database or disk is full"
// without the errno; the file system is asked what it is (full, read-only, not permitted) so the
// error carries a system code and the hint that goes with it. Never a row value.

import { accessSync, closeSync, constants, openSync, statfsSync } from 'node:fs';
import { SpoolClosedError, SpoolFullError, SpoolIoError } from '../spool/spool-errors.ts';
import type { SpoolWriteError } from '../spool/spool-errors.ts';

export type StoreFailure =
  | { readonly kind: 'full'; readonly directory: string; readonly maxTotalBytes: number }
  | {
      readonly kind: 'io';
      readonly operation: string;
      readonly path: string;
      readonly code: string | undefined;
      readonly message: string;
    }
  | { readonly kind: 'closed' };

/** Where a failure happened: enough to tell a full store from a full disk. */
export interface FailureContext {
  readonly operation: string;
  readonly path: string;
  readonly directory: string;
  readonly maxTotalBytes: number;
  /** Bytes the failed transaction was adding, when known. */
  readonly requestBytes?: number;
}

/** SQLite primary result codes this module tells apart. */
const SQLITE = {
  BUSY: 5,
  LOCKED: 6,
  READONLY: 8,
  IOERR: 10,
  CORRUPT: 11,
  FULL: 13,
  CANTOPEN: 14,
  NOTADB: 26,
};
/**
 * SQLITE_FULL means the disk, not `max_page_count`, when the file system has less free space than
 * this plus twice what the transaction was adding (its pages and its WAL frames).
 */
const DISK_SLACK_BYTES = 1024 * 1024;

export function describeFailure(error: unknown, where: FailureContext): StoreFailure {
  const sqlite = sqliteCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const io = (code: string | undefined): StoreFailure => ({
    kind: 'io',
    operation: where.operation,
    path: where.path,
    code,
    message,
  });
  if (sqlite === undefined) return io(systemCode(error));
  const primary = sqlite & 0xff;
  if (primary === SQLITE.FULL && !diskNearlyFull(where.directory, where.requestBytes ?? 0))
    return { kind: 'full', directory: where.directory, maxTotalBytes: where.maxTotalBytes };
  return io(ioCodeOf(primary, where));
}

/**
 * The system error code a SQLite primary result code stands for; read-only, cannot-open and I/O
 * errors probe the directory for the real cause. SQLITE_FULL here is the disk, not the cap.
 */
function ioCodeOf(primary: number, where: FailureContext): string | undefined {
  switch (primary) {
    case SQLITE.FULL:
      return 'ENOSPC';
    case SQLITE.READONLY:
      return probe(where) ?? 'EROFS';
    case SQLITE.CANTOPEN:
      return probe(where) ?? 'EACCES';
    case SQLITE.IOERR:
      return probe(where) ?? 'EIO';
    case SQLITE.BUSY:
    case SQLITE.LOCKED:
      return 'EBUSY';
    case SQLITE.CORRUPT:
      return 'SQLITE_CORRUPT';
    case SQLITE.NOTADB:
      return 'SQLITE_NOTADB';
    default:
      return undefined;
  }
}

/** The spool error for a failure, on the thread that reports it. */
export function spoolErrorOf(failure: StoreFailure): SpoolWriteError {
  switch (failure.kind) {
    case 'full':
      return new SpoolFullError(failure.directory, failure.maxTotalBytes);
    case 'closed':
      return new SpoolClosedError();
    case 'io': {
      const cause = Object.assign(
        new Error(failure.message),
        failure.code === undefined ? {} : { code: failure.code },
      );
      return new SpoolIoError(failure.operation, failure.path, cause);
    }
  }
}

function sqliteCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('errcode' in error)) return undefined;
  return typeof error.errcode === 'number' ? error.errcode : undefined;
}

function systemCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function diskNearlyFull(directory: string, requestBytes: number): boolean {
  try {
    const fs = statfsSync(directory);
    return fs.bavail * fs.bsize < DISK_SLACK_BYTES + 2 * requestBytes;
  } catch {
    return false;
  }
}

/** What the file system says when asked to write where SQLite could not. */
function probe(where: FailureContext): string | undefined {
  if (diskNearlyFull(where.directory, where.requestBytes ?? 0)) return 'ENOSPC';
  try {
    closeSync(openSync(where.path, constants.O_RDWR));
    accessSync(where.directory, constants.W_OK);
    return undefined;
  } catch (error) {
    return systemCode(error);
  }
}
