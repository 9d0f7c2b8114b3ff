// What `createSecurityEvents` accepts, and the structural logger and record types it emits through,
// so the package needs neither @opentelemetry/api-logs nor the 3.x API to type-check against.

import type { SecurityEventsError } from './errors.js';

/** An attribute value the helpers write. */
export type SecurityAttributeValue = string | number | boolean | string[];

/** The log record a helper emits: a subset of the OpenTelemetry `LogRecord` every version accepts. */
export interface SecurityLogRecord {
  /** The OWASP event name, e.g. `authn_login_fail`. */
  readonly eventName: string;
  /** When the event happened: `Date.now()` at the call, in milliseconds. */
  readonly timestamp: number;
  /** 9 (INFO), 13 (WARN) or 18 (ERROR2, for CRITICAL). */
  readonly severityNumber: number;
  /** The vocabulary level: INFO, WARN or CRITICAL. */
  readonly severityText: string;
  /** The event's description with its placeholders filled. */
  readonly body: string;
  readonly attributes: Record<string, SecurityAttributeValue>;
}

/**
 * Anything that emits log records: the `Logger` of `@opentelemetry/api-logs` 0.2xx and of
 * `@opentelemetry/api` 1.10+ (OpenTelemetry JS 3.x) both fit.
 */
export interface SecurityLogger {
  emit(record: SecurityLogRecord): void;
}

/** Receives the problems an emit met (bad arguments, a missing hash key, a logger that threw). */
export type SecurityErrorHandler = (error: SecurityEventsError) => void;

export interface SecurityEventsOptions {
  /**
   * Where records go.
   *
   * Default: `logs.getLogger('@otel-sentinel/owasp')` from `@opentelemetry/api-logs` (or from
   * `@opentelemetry/api` 1.10+ when api-logs is not installed), so records reach whatever
   * `LoggerProvider` the app registers globally, even one registered later.
   * `createSecurityEvents` throws `LoggerUnavailableError` when neither is installed.
   *
   * @example logger: loggerProvider.getLogger('security')
   */
  readonly logger?: SecurityLogger;
  /**
   * The HMAC-SHA-256 key for session ids: a session id is only ever written as
   * `owasp.session_hash`, the lower-case hex HMAC of the id under this key. Without a key, the
   * attribute is left out and `onError` is told once.
   *
   * Default: the environment variable `OTEL_SENTINEL_HASH_KEY` (the one the mapping's
   * `hmac-sha256` transform uses), read once here.
   *
   * @example hashKey: process.env.SESSION_HASH_KEY
   */
  readonly hashKey?: string | Uint8Array;
  /**
   * Called with each problem an emit meets: arguments of the wrong type or missing (once per event
   * name), a session id with no hash key (once), a logger whose `emit` threw (once per event name),
   * an unknown event name given to `emit` (once per name). It is never called with a value of an
   * argument, and whatever it throws is ignored.
   *
   * Default: OpenTelemetry's `diag.warn` when `@opentelemetry/api` is installed, else one
   * `console.warn` for the first problem.
   *
   * @example onError: (error) => appLog.warn({ code: error.code }, error.message)
   */
  readonly onError?: SecurityErrorHandler;
}
