// The logger used when the app passes none: the global OpenTelemetry logs API's logger for this
// package, from @opentelemetry/api-logs (0.2xx line) or @opentelemetry/api 1.10+ (where
// OpenTelemetry JS 3.x moved the logs API), whichever has a provider registered. It asks the APIs
// for the registered provider on each emit rather than keeping a proxy logger: a proxy taken before
// registration only forwards to a provider registered through the same copy of the same API, and
// an app on the Azure Monitor distro has two copies of api-logs (the distro registers through its
// own), while a 3.x app often has api-logs too (pulled in by @opentelemetry/winston-transport) but
// registers through api only; such a proxy would drop every record without a word.

import { LoggerUnavailableError } from './errors.js';
import { loadOptionalModule, propertyOf } from './optional-module.js';
import type { ModuleLoader } from './optional-module.js';
import type { SecurityLogger, SecurityLogRecord } from './options.js';

export const LOGGER_NAME = '@otel-sentinel/owasp';

const LOGS_APIS = ['@opentelemetry/api-logs', '@opentelemetry/api'] as const;

/** The global logs API's logger; throws {@link LoggerUnavailableError} when no logs API is installed. */
export function defaultLogger(load: ModuleLoader = loadOptionalModule): SecurityLogger {
  const providers: ProviderSource[] = [];
  let plain: SecurityLogger | undefined;
  let firstError: unknown;
  for (const id of LOGS_APIS) {
    const mod = load(id);
    if (!mod.ok) {
      firstError ??= mod.error;
      continue;
    }
    const logs = propertyOf(mod.exports, 'logs');
    const getLoggerProvider = propertyOf(logs, 'getLoggerProvider');
    if (typeof getLoggerProvider === 'function') {
      providers.push(() => getLoggerProvider.call(logs) as unknown);
      continue;
    }
    const getLogger = propertyOf(logs, 'getLogger');
    if (plain !== undefined || typeof getLogger !== 'function') continue;
    const logger: unknown = getLogger.call(logs, LOGGER_NAME);
    if (isSecurityLogger(logger)) plain = logger;
  }
  if (providers.length > 0) {
    const followed = new GlobalProviderLogger(providers);
    if (followed.resolves()) return followed;
  }
  if (plain !== undefined) return plain;
  throw new LoggerUnavailableError(firstError);
}

export function isSecurityLogger(value: unknown): value is SecurityLogger {
  return typeof propertyOf(value, 'emit') === 'function';
}

/** A logs API's `getLoggerProvider()`. */
type ProviderSource = () => unknown;

// What a logs API returns while no provider is registered through it: its proxy (api-logs 0.2xx,
// api 1.10), or its no-op provider. The APIs export no way to ask, so the class name is read; were
// it renamed, the first API installed would be used, as when neither has a provider.
const PLACEHOLDERS = new Set(['ProxyLoggerProvider', 'NoopLoggerProvider']);

function isPlaceholder(provider: unknown): boolean {
  const name = propertyOf(propertyOf(provider, 'constructor'), 'name');
  return typeof name === 'string' && PLACEHOLDERS.has(name);
}

/** The provider's logger for this package, or undefined when the provider gives none. */
function loggerOf(provider: unknown): SecurityLogger | undefined {
  const getLogger = propertyOf(provider, 'getLogger');
  if (typeof getLogger !== 'function') return undefined;
  const logger: unknown = getLogger.call(provider, LOGGER_NAME);
  return isSecurityLogger(logger) ? logger : undefined;
}

/**
 * Emits through the logger of the provider registered now with the first logs API that has one
 * (api-logs, then api 1.10+), else through the first API's placeholder, which forwards to a
 * provider registered later through that same copy. Per record: one `getLoggerProvider()` call
 * per API up to the one in use and an identity check; the logger is looked up again only when the
 * provider changed (registered after the helpers were made, by any copy of an API, or replaced).
 */
class GlobalProviderLogger implements SecurityLogger {
  private provider: unknown;
  private registered = false;
  private logger: SecurityLogger | undefined;

  constructor(private readonly sources: readonly ProviderSource[]) {}

  /** Whether a provider gives a logger now (checked once, when the helpers are made). */
  resolves(): boolean {
    return this.current() !== undefined;
  }

  emit(record: SecurityLogRecord): void {
    const logger = this.current();
    if (logger === undefined) throw new TypeError('the registered LoggerProvider gave no logger with emit()');
    logger.emit(record);
  }

  private current(): SecurityLogger | undefined {
    let placeholder: unknown;
    for (const source of this.sources) {
      const provider = source();
      if (provider === this.provider ? !this.registered : isPlaceholder(provider)) {
        placeholder ??= provider;
        continue;
      }
      return this.use(provider, true);
    }
    return this.use(placeholder, false);
  }

  private use(provider: unknown, registered: boolean): SecurityLogger | undefined {
    if (provider !== this.provider) {
      this.provider = provider;
      this.logger = loggerOf(provider);
    }
    this.registered = registered;
    return this.logger;
  }
}
