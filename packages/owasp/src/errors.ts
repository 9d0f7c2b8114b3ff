// Errors the package hands to callers. Construction errors are thrown (bad configuration must stop
// start-up); everything after construction goes to `onError`, never thrown into the app. Messages
// name fields and event names only: never an argument's value, which may hold a secret.

/** Every problem `onError` receives. `code` is stable; the message says what to change. */
export abstract class SecurityEventsError extends Error {
  abstract readonly code: string;
}

/** A helper got arguments of the wrong type, missing required ones, or ones the event does not have. */
export class InvalidEventArgsError extends SecurityEventsError {
  readonly code = 'E_INVALID_ARGS';
  /** The OWASP event name, e.g. `authn_login_fail`. */
  readonly eventName: string;
  /** The argument names at fault, as written to `owasp.invalid_args`. */
  readonly fields: readonly string[];
  constructor(eventName: string, problems: readonly string[], fields: readonly string[]) {
    super(
      `${eventName}: ${problems.join('; ')}. The record was emitted without these fields and with owasp.invalid_args; ` +
        'fix the call (this is reported once per event name)',
    );
    this.name = 'InvalidEventArgsError';
    this.eventName = eventName;
    this.fields = fields;
  }
}

/** `emit()` was called with a name that is not in the OWASP vocabulary; nothing was emitted. */
export class UnknownEventError extends SecurityEventsError {
  readonly code = 'E_UNKNOWN_EVENT';
  readonly eventName: string;
  constructor(eventName: string) {
    super(
      `"${eventName}" is not an OWASP Logging Vocabulary event, so no record was emitted; use one of OWASP_EVENTS' names`,
    );
    this.name = 'UnknownEventError';
    this.eventName = eventName;
  }
}

/** A session id was given but there is no key to hash it with; `owasp.session_hash` was left out. */
export class HashKeyMissingError extends SecurityEventsError {
  readonly code = 'E_HASH_KEY_MISSING';
  constructor(env: string) {
    super(
      `a session id was given but there is no hash key, so owasp.session_hash is left out (the raw id is never emitted); ` +
        `set ${env} to a secret of 32+ random bytes (the value the mapping uses) or pass the hashKey option`,
    );
    this.name = 'HashKeyMissingError';
  }
}

/** The logger's `emit` threw; the record is lost to that logger. */
export class EmitFailedError extends SecurityEventsError {
  readonly code = 'E_EMIT_FAILED';
  readonly eventName: string;
  constructor(eventName: string, cause: unknown) {
    super(`${eventName}: the logger threw while emitting the record (${describe(cause)})`, { cause });
    this.name = 'EmitFailedError';
    this.eventName = eventName;
  }
}

/** The request-context middleware could not capture a request (a `getUser`/`getSessionId` threw). */
export class ContextCaptureError extends SecurityEventsError {
  readonly code = 'E_CONTEXT_CAPTURE';
  constructor(what: string, cause: unknown) {
    super(`security context: ${what} threw (${describe(cause)}); the request goes on without it`, { cause });
    this.name = 'ContextCaptureError';
  }
}

/** Thrown by `createSecurityEvents()` when no `logger` was given and no OpenTelemetry logs API is installed. */
export class LoggerUnavailableError extends Error {
  readonly code = 'E_NO_LOGGER';
  constructor(cause?: unknown) {
    super(
      'createSecurityEvents: no logger was given and @opentelemetry/api-logs is not installed; ' +
        'install @opentelemetry/api-logs (and register a LoggerProvider) or pass the logger option',
      cause === undefined ? undefined : { cause },
    );
    this.name = 'LoggerUnavailableError';
  }
}

/** Thrown by `createSecurityEvents()` for an option of the wrong shape. */
export class SecurityEventsConfigError extends Error {
  readonly code = 'E_OWASP_CONFIG';
  /** The option at fault, e.g. `logger`. */
  readonly option: string;
  constructor(option: string, message: string) {
    super(`createSecurityEvents: ${option}: ${message}`);
    this.name = 'SecurityEventsConfigError';
    this.option = option;
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.name : typeof cause;
}
