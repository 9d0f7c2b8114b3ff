// The errors of the spool and of replay. Codes are stable; messages say what to change and
// never carry a row value (rows are security data).
import { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping/errors';

/**
 * A `ConfigError` `E_SPOOL_CONFIG` for an unusable `SpoolOptions` or `ReplayOptions` option, e.g.
 * `spool option "maxTotalBytes" must be …`; thrown by the constructor or function given it.
 */
export function spoolConfigError(option: string, problem: string): ConfigError {
  return new ConfigError('E_SPOOL_CONFIG', option, `spool option "${option}" ${problem}`);
}

/** The file system refused a spool operation (disk full, permission, not a directory …). */
export class SpoolIoError extends OtelSentinelError {
  declare readonly code: 'E_SPOOL_IO';
  /** File or directory the operation was on. */
  declare readonly path: string;
  /** What the spool was doing, e.g. `create directory`, `open`, `write to`, `read`. */
  readonly operation: string;
  /**
   * The system error code (`ENOSPC`, `EACCES`, `EROFS` …) when there is one. For the store, where
   * SQLite does not pass the errno on, it is what the file system says when asked afterwards, or
   * `SQLITE_CORRUPT`, `SQLITE_NOTADB`, `E_SPOOL_VERSION`, `E_SPOOL_IDS`, `EBUSY` for what only the
   * store knows.
   */
  readonly systemCode: string | undefined;

  constructor(operation: string, path: string, cause: unknown) {
    const systemCode = systemCodeOf(cause);
    super(
      'E_SPOOL_IO',
      `spool: cannot ${operation} ${path}: ${systemCode ?? messageOf(cause)}${hintFor(systemCode)}`,
      { cause, path },
    );
    this.operation = operation;
    this.systemCode = systemCode;
  }
}

/** The spool reached `maxTotalBytes`; the entry was refused, older data was kept. */
export class SpoolFullError extends OtelSentinelError {
  declare readonly code: 'E_SPOOL_FULL';
  readonly maxTotalBytes: number;

  /** `path` is the spool directory; `option` is `maxTotalBytes`, the limit that was reached. */
  constructor(directory: string, maxTotalBytes: number) {
    super(
      'E_SPOOL_FULL',
      `spool ${directory} is full (maxTotalBytes ${maxTotalBytes}); run \`otel-sentinel replay\` ` +
        'on it or raise maxTotalBytes',
      { path: directory, option: 'maxTotalBytes' },
    );
    this.maxTotalBytes = maxTotalBytes;
  }
}

/** `write()` was called after `close()`. */
export class SpoolClosedError extends OtelSentinelError {
  declare readonly code: 'E_SPOOL_CLOSED';

  constructor() {
    super('E_SPOOL_CLOSED', 'spool is closed; entries written after close() are refused');
  }
}

/** Anything a write can be refused for; `code` tells them apart. */
export type SpoolWriteError = SpoolIoError | SpoolFullError | SpoolClosedError;

export function systemCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hintFor(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return ' (disk full; free space or lower maxTotalBytes)';
    case 'EACCES':
    case 'EPERM':
      return ' (no permission; give this process write access to the spool directory)';
    case 'EROFS':
      return ' (read-only file system; put the spool directory on a writable volume)';
    case 'ENOTDIR':
    case 'EEXIST':
      return ' (a path component is a file; point the spool at a directory)';
    case 'EISDIR':
      return ' (a directory is where the store file should be; move it away)';
    case 'EBUSY':
      return ' (another process held the store too long; it is retried with the next write)';
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return ' (not an otel-sentinel store, or a damaged one; move the file aside, a new one is created)';
    case 'E_SPOOL_VERSION':
      return ' (written by a later otel-sentinel; use that version here)';
    case 'E_SPOOL_IDS':
      return ' (the write-ahead queue has used all its ids; they start again once it has been empty for a heartbeat)';
    default:
      return '';
  }
}
