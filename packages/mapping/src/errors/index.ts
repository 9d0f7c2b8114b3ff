// The error classes alone, as `@otel-sentinel/mapping/errors`: for modules that must not load the
// rest of the mapping package (the exporter's store worker). The same classes as the main entry's.
export { ConfigError } from './config-error.js';
export { OtelSentinelError } from './otel-sentinel-error.js';
export type { OtelSentinelErrorOptions } from './otel-sentinel-error.js';
