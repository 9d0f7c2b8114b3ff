// `createSecurityEvents`: one typed helper per OWASP event, each emitting one OpenTelemetry log
// record with the event's fixed attributes, its cleaned arguments and the request context. An emit
// never throws into the app: bad arguments are reported once per event name and left out, and
// the record still goes out, marked with `owasp.invalid_args`.

import { DEFAULT_SECURITY_ATTRIBUTE } from '@otel-sentinel/mapping';
import { compiledEvents } from './compile-event.js';
import type { CompiledEvent } from './compile-event.js';
import { CONTEXT_FIELDS, currentStore } from './context.js';
import type { ContextStore } from './context.js';
import { defaultLogger, isSecurityLogger } from './default-logger.js';
import {
  EmitFailedError,
  HashKeyMissingError,
  InvalidEventArgsError,
  securityEventsConfigError,
  UnknownEventError,
} from './errors.js';
import type { SecurityEventArgs, SecurityEventMethods, SecurityEventName } from './events.generated.js';
import { methodNameOf } from './method-name.js';
import type {
  SecurityAttributeValue,
  SecurityEventsOptions,
  SecurityLogger,
  SecurityLogRecord,
} from './options.js';
import { readArgs, shortName } from './read-args.js';
import type { ArgValue } from './read-args.js';
import { defaultErrorHandler, OnceReporter } from './report.js';
import { HASH_KEY_ENV, resolveHasher } from './session.js';
import type { SessionHasher } from './session.js';
import { COMMON_ATTRIBUTES, CONTEXT_ATTRIBUTES, SEVERITY_NUMBER } from './vocabulary.js';

/** The attribute listing the arguments that were wrong or missing. */
export const INVALID_ARGS_ATTRIBUTE = 'owasp.invalid_args';
/** What a missing placeholder value reads as in the body. */
const UNKNOWN = 'unknown';

/** The arguments `emit(name, …)` takes: optional when all of the event's are. */
export type SecurityEventArgsTuple<N extends SecurityEventName> =
  Partial<SecurityEventArgs[N]> extends SecurityEventArgs[N]
    ? [args?: SecurityEventArgs[N]]
    : [args: SecurityEventArgs[N]];

/** What `createSecurityEvents` returns: a helper per event, and `emit` for an event chosen by name. */
export interface SecurityEvents extends SecurityEventMethods {
  /** Emits the event `name` with `args`, exactly as its helper does. */
  emit<N extends SecurityEventName>(name: N, ...args: SecurityEventArgsTuple<N>): void;
}

/**
 * The typed OWASP event helpers. Throws `LoggerUnavailableError` when no `logger` is given and no
 * OpenTelemetry logs API is installed, and `ConfigError` (`E_OWASP_CONFIG`) for a malformed option;
 * after that, nothing it returns throws.
 *
 * @example
 * const security = createSecurityEvents();
 * security.authnLoginFail({ userId: 'joebob1', reason: 'bad_password' });
 */
export function createSecurityEvents(options: SecurityEventsOptions = {}): SecurityEvents {
  const emitter = new Emitter(options);
  const helpers: Record<string, unknown> = {};
  for (const event of compiledEvents().values()) {
    helpers[methodNameOf(event.name)] = (args?: unknown): void => {
      emitter.emit(event, args);
    };
  }
  helpers.emit = (name: unknown, args?: unknown): void => {
    emitter.emitByName(name, args);
  };
  // The object is built from the table; the generated interface names the same methods (tested).
  return Object.freeze(helpers) as unknown as SecurityEvents;
}

class Emitter {
  private readonly logger: SecurityLogger;
  private readonly hasher: SessionHasher | undefined;
  private readonly invalid: OnceReporter;
  private readonly other: OnceReporter;

  constructor(options: SecurityEventsOptions) {
    const { logger, hashKey, onError } = options;
    if (logger !== undefined && !isSecurityLogger(logger))
      throw securityEventsConfigError('logger', 'must have an emit(record) method');
    if (hashKey !== undefined && typeof hashKey !== 'string' && !(hashKey instanceof Uint8Array))
      throw securityEventsConfigError('hashKey', 'must be a string or a Uint8Array');
    if (onError !== undefined && typeof onError !== 'function')
      throw securityEventsConfigError('onError', 'must be a function');
    this.logger = logger ?? defaultLogger();
    this.hasher = resolveHasher(hashKey);
    const handler = onError ?? defaultErrorHandler();
    this.invalid = new OnceReporter(handler);
    this.other = new OnceReporter(handler);
  }

  emitByName(name: unknown, args: unknown): void {
    const event = typeof name === 'string' ? compiledEvents().get(name) : undefined;
    if (event !== undefined) {
      this.emit(event, args);
      return;
    }
    const shown = typeof name === 'string' ? shortName(name) : `(${typeof name})`;
    this.other.report(`unknown:${shown}`, () => new UnknownEventError(shown));
  }

  emit(event: CompiledEvent, args: unknown): void {
    try {
      this.logger.emit(this.record(event, args));
    } catch (error) {
      this.other.report(`emit:${event.name}`, () => new EmitFailedError(event.name, error));
    }
  }

  private record(event: CompiledEvent, args: unknown): SecurityLogRecord {
    const store = currentStore();
    const { values, sessionId, problems, fields } = readArgs(event, args);

    let level = event.level;
    let result = event.result;
    const escalation = event.escalation;
    if (escalation !== undefined) {
      const value = values[escalation.param];
      if (typeof value === 'string' && value.toLowerCase() === escalation.value) {
        level = escalation.level;
        result = escalation.result;
      }
    }

    const attributes: Record<string, SecurityAttributeValue> = {
      // The flag the exporter's split reads: one name, the mapping's default securityAttribute.
      [DEFAULT_SECURITY_ATTRIBUTE]: true,
      [COMMON_ATTRIBUTES.level]: level,
      [COMMON_ATTRIBUTES.category]: event.category,
      [COMMON_ATTRIBUTES.result]: result,
    };
    if (store !== undefined)
      for (const field of CONTEXT_FIELDS) {
        const value = store.values[field];
        if (value !== undefined) attributes[CONTEXT_ATTRIBUTES[field]] = value;
      }
    const sessionHash = this.sessionHash(sessionId, store);
    if (sessionHash !== undefined) attributes[CONTEXT_ATTRIBUTES.sessionHash] = sessionHash;
    for (let i = 0; i < event.params.length; i++) {
      const value = values[i];
      const param = event.params[i];
      if (value !== undefined && param !== undefined) attributes[param.attribute] = value;
    }
    if (fields !== undefined) {
      attributes[INVALID_ARGS_ATTRIBUTE] = fields;
      this.invalid.report(event.name, () => new InvalidEventArgsError(event.name, problems ?? [], fields));
    }

    return {
      eventName: event.name,
      timestamp: Date.now(),
      severityNumber: SEVERITY_NUMBER[level],
      severityText: level,
      body: renderBody(event, values, store),
      attributes,
    };
  }

  /** The hash of the argument's session id, else of the context's; none (reported once) without a key. */
  private sessionHash(sessionId: string | undefined, store: ContextStore | undefined): string | undefined {
    const sealed = store?.session;
    if (sessionId === undefined && sealed === undefined) return undefined;
    if (this.hasher === undefined) {
      this.other.report('hash-key', () => new HashKeyMissingError(HASH_KEY_ENV));
      return undefined;
    }
    return sessionId !== undefined ? this.hasher.hash(sessionId) : sealed?.hashWith(this.hasher);
  }
}

function renderBody(
  event: CompiledEvent,
  values: readonly (ArgValue | undefined)[],
  store: ContextStore | undefined,
): string {
  let body = '';
  for (const part of event.template) {
    if (part.param < 0 && part.field === undefined) {
      body += part.text;
      continue;
    }
    let value: ArgValue | undefined = part.param >= 0 ? values[part.param] : undefined;
    if (value === undefined && part.field !== undefined) value = store?.values[part.field];
    body += value === undefined ? UNKNOWN : Array.isArray(value) ? value.join(', ') : String(value);
  }
  return body;
}
