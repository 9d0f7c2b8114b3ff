// The logger used when the app passes none: the global OpenTelemetry logs API's logger for this
// package, from @opentelemetry/api-logs (0.2xx line) or, without it, @opentelemetry/api 1.10+
// (where OpenTelemetry JS 3.x moved the logs API). The global proxy logger forwards to whatever
// LoggerProvider the app registers, also one registered after this call.

import { LoggerUnavailableError } from './errors.js';
import { loadOptionalModule, propertyOf } from './optional-module.js';
import type { ModuleLoader } from './optional-module.js';
import type { SecurityLogger } from './options.js';

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
