// The base of every error otel-sentinel throws or reports, so a caller can catch one class and
// read the same fields everywhere: a stable `code`, and what was wrong (an option, or a place).

/** What an error can name besides its code and message. */
export interface OtelSentinelErrorOptions extends ErrorOptions {
  /**
   * The configuration option at fault as the user writes it, e.g. `maxConcurrency`,
   * `retry.maxAttempts`, `upstream`, or an environment variable such as `OTEL_SENTINEL_MAPPING`.
   */
  readonly option?: string | undefined;
  /**
   * Where the bad input is: a file or directory (`/var/spool/sentinel`), or a path inside a
   * document (`streams[0].columns.UserId`, `resourceLogs[0].scopeLogs[1].logRecords[3]`).
   */
  readonly path?: string | undefined;
  /** 1-based line in the file or text that `path` names, when known. */
  readonly line?: number | undefined;
  /** 1-based column on that line, when known. */
  readonly column?: number | undefined;
}

/**
 * Every otel-sentinel error. `code` is stable (`E_…`; a few storage codes keep SQLite's names) and
 * is what programs should test; the message is for people and says what to change. `option` or
 * `path` (with `line`/`column`) name the offending thing when there is one. See docs/errors.md.
 */
export class OtelSentinelError extends Error {
  readonly code: string;
  declare readonly option?: string;
  declare readonly path?: string;
  declare readonly line?: number;
  declare readonly column?: number;

  constructor(code: string, message: string, options: OtelSentinelErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    // The concrete class's name, so stack traces and `String(error)` say which error it is.
    this.name = new.target.name;
    this.code = code;
    if (options.option !== undefined) (this as { option?: string }).option = options.option;
    if (options.path !== undefined) (this as { path?: string }).path = options.path;
    if (options.line !== undefined) (this as { line?: number }).line = options.line;
    if (options.column !== undefined) (this as { column?: number }).column = options.column;
  }
}
