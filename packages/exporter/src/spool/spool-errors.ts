// The errors of the spool and of replay. Codes are stable; messages say what to change and
// never carry a row value (rows are security data).

/** A `SpoolOptions` or `ReplayOptions` field is unusable; thrown by the constructor/function. */
export class SpoolConfigError extends Error {
  readonly code = 'E_SPOOL_CONFIG';
  /** The option at fault, e.g. `maxFileBytes`. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`spool option "${field}" ${problem}`);
    this.name = 'SpoolConfigError';
    this.field = field;
  }
}

/** The file system refused a spool operation (disk full, permission, not a directory …). */
export class SpoolIoError extends Error {
  readonly code = 'E_SPOOL_IO';
  /** File or directory the operation was on. */
  readonly path: string;
  /** What the spool was doing: `mkdir`, `scan`, `open`, `append`, `fsync`, `close`. */
  readonly operation: string;
  /** The system error code (`ENOSPC`, `EACCES` …) when there is one. */
  readonly systemCode: string | undefined;

  constructor(operation: string, path: string, cause: unknown) {
    const systemCode = systemCodeOf(cause);
    super(`spool: cannot ${operation} ${path}: ${systemCode ?? messageOf(cause)}${hintFor(systemCode)}`, {
      cause,
    });
    this.name = 'SpoolIoError';
    this.path = path;
    this.operation = operation;
    this.systemCode = systemCode;
  }
}

/** The spool reached `maxTotalBytes`; the entry was refused, older data was kept. */
export class SpoolFullError extends Error {
  readonly code = 'E_SPOOL_FULL';
  readonly maxTotalBytes: number;

  constructor(directory: string, maxTotalBytes: number) {
    super(
      `spool ${directory} is full (maxTotalBytes ${maxTotalBytes}); run \`otel-sentinel replay\` ` +
        'on it or raise maxTotalBytes',
    );
    this.name = 'SpoolFullError';
    this.maxTotalBytes = maxTotalBytes;
  }
}

/** `write()` was called after `close()`. */
export class SpoolClosedError extends Error {
  readonly code = 'E_SPOOL_CLOSED';

  constructor() {
    super('spool is closed; entries written after close() are refused');
    this.name = 'SpoolClosedError';
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
    case 'EROFS':
      return ' (no permission; give this process write access to the spool directory)';
    case 'ENOTDIR':
    case 'EEXIST':
      return ' (a path component is a file; point the spool at a directory)';
    default:
      return '';
  }
}
