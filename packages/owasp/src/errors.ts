// Errors the package hands to callers. Construction errors are thrown (bad configuration must stop
// start-up); everything after construction goes to `onError`, never thrown into the app. Messages
// name fields and event names only: never an argument's value, which may hold a secret.
import { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';

/** Every problem `onError` receives. `code` is stable; the message says what to change. */
export abstract class SecurityEventsError extends OtelSentinelError {}

/** A helper got arguments of the wrong type, missing required ones, or ones the event does not have. */
export class InvalidEventArgsError extends SecurityEventsError {
  declare readonly code: 'E_INVALID_ARGS';
  /** The OWASP event name, e.g. `authn_login_fail`. */
  readonly eventName: string;
  /** The argument names at fault, as written to `owasp.invalid_args`. */
  readonly fields: readonly string[];
  constructor(eventName: string, problems: readonly string[], fields: readonly string[]) {
    super(
      'E_INVALID_ARGS',
      `${eventName}: ${problems.join('; ')}. The record was emitted without these fields and with owasp.invalid_args; ` +
        'fix the call (this is reported once per event name)',
    );
    this.eventName = eventName;
    this.fields = fields;
  }
}

/** `emit()` was called with a name that is not in the OWASP vocabulary; nothing was emitted. */
export class UnknownEventError extends SecurityEventsError {
  declare readonly code: 'E_UNKNOWN_EVENT';
  readonly eventName: string;
  constructor(eventName: string) {
    super(
      'E_UNKNOWN_EVENT',
      `"${eventName}" is not an OWASP Logging Vocabulary event, so no record was emitted; use one of OWASP_EVENTS' names`,
    );
    this.eventName = eventName;
  }
}

/** A session id was given but there is no key to hash it with; `owasp.session_hash` was left out. */
export class HashKeyMissingError extends SecurityEventsError {
  declare readonly code: 'E_HASH_KEY_MISSING';
  constructor(env: string) {
    super(
      'E_HASH_KEY_MISSING',
      `a session id was given but there is no hash key, so owasp.session_hash is left out (the raw id is never emitted); ` +
        `set ${env} to a secret of 32+ random bytes (the value the mapping uses) or pass the hashKey option`,
      { option: env },
    );
  }
}

/** The logger's `emit` threw; the record is lost to that logger. */
export class EmitFailedError extends SecurityEventsError {
  declare readonly code: 'E_EMIT_FAILED';
  readonly eventName: string;
  constructor(eventName: string, cause: unknown) {
    super('E_EMIT_FAILED', `${eventName}: the logger threw while emitting the record (${describe(cause)})`, {
      cause,
    });
    this.eventName = eventName;
  }
}

/** The request-context middleware could not capture a request (a `getUser`/`getSessionId` threw). */
export class ContextCaptureError extends SecurityEventsError {
  declare readonly code: 'E_CONTEXT_CAPTURE';
  constructor(what: string, cause: unknown) {
    super(
      'E_CONTEXT_CAPTURE',
      `security context: ${what} threw (${describe(cause)}); the request goes on without it`,
      { cause },
    );
  }
}

/** Thrown by `createSecurityEvents()` when no `logger` was given and no OpenTelemetry logs API is installed. */
export class LoggerUnavailableError extends OtelSentinelError {
  declare readonly code: 'E_NO_LOGGER';
  constructor(cause?: unknown) {
    super(
      'E_NO_LOGGER',
      'createSecurityEvents: no logger was given and @opentelemetry/api-logs is not installed; ' +
        'install @opentelemetry/api-logs (and register a LoggerProvider) or pass the logger option',
      cause === undefined ? undefined : { cause },
    );
  }
}

/** A `ConfigError` `E_OWASP_CONFIG`, thrown by `createSecurityEvents()` for an option of the wrong shape. */
export function securityEventsConfigError(option: string, message: string): ConfigError {
  return new ConfigError('E_OWASP_CONFIG', option, `createSecurityEvents: ${option}: ${message}`);
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.name : typeof cause;
}
