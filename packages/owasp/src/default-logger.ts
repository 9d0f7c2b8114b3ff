// The logger used when the app passes none: the global OpenTelemetry logs API's logger for this
// package, from @opentelemetry/api-logs (0.2xx line) or, without it, @opentelemetry/api 1.10+
// (where OpenTelemetry JS 3.x moved the logs API). It asks the API for the registered provider on
// each emit, because a proxy logger taken before registration only ever forwards to a provider
// registered through the same copy of the API: an app on the Azure Monitor distro has two copies
// of api-logs (the distro's and the one this package resolves), and the distro registers through
// its own, so such a proxy would drop every record without a word.

import { LoggerUnavailableError } from './errors.js';
import { loadOptionalModule, propertyOf } from './optional-module.js';
import type { ModuleLoader } from './optional-module.js';
import type { SecurityLogger, SecurityLogRecord } from './options.js';

export const LOGGER_NAME = '@otel-sentinel/owasp';

const LOGS_APIS = ['@opentelemetry/api-logs', '@opentelemetry/api'] as const;

/** The global logs API's logger; throws {@link LoggerUnavailableError} when no logs API is installed. */
export function defaultLogger(load: ModuleLoader = loadOptionalModule): SecurityLogger {
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
      const followed = new GlobalProviderLogger(() => getLoggerProvider.call(logs) as unknown);
      if (followed.resolves()) return followed;
    }
    const getLogger = propertyOf(logs, 'getLogger');
    if (typeof getLogger !== 'function') continue;
    const logger: unknown = getLogger.call(logs, LOGGER_NAME);
    if (isSecurityLogger(logger)) return logger;
  }
  throw new LoggerUnavailableError(firstError);
}

export function isSecurityLogger(value: unknown): value is SecurityLogger {
  return typeof propertyOf(value, 'emit') === 'function';
}

/** The provider's logger for this package, or undefined when the provider gives none. */
function loggerOf(provider: unknown): SecurityLogger | undefined {
  const getLogger = propertyOf(provider, 'getLogger');
  if (typeof getLogger !== 'function') return undefined;
  const logger: unknown = getLogger.call(provider, LOGGER_NAME);
  return isSecurityLogger(logger) ? logger : undefined;
}

/**
 * Emits through the logger of whatever provider the logs API returns now: one call and one
 * identity check per record; the logger is looked up again only when the provider changed
 * (registered after the helpers were made, by any copy of the API, or replaced).
 */
class GlobalProviderLogger implements SecurityLogger {
  private provider: unknown;
  private logger: SecurityLogger | undefined;

  constructor(private readonly currentProvider: () => unknown) {}

  /** Whether the API's provider now gives a logger (checked once, when the helpers are made). */
  resolves(): boolean {
    return this.current() !== undefined;
  }

  emit(record: SecurityLogRecord): void {
    const logger = this.current();
    if (logger === undefined) throw new TypeError('the registered LoggerProvider gave no logger with emit()');
    logger.emit(record);
  }

  private current(): SecurityLogger | undefined {
    const provider = this.currentProvider();
    if (provider !== this.provider) {
      this.provider = provider;
      this.logger = loggerOf(provider);
    }
    return this.logger;
  }
}
