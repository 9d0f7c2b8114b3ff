// The one error every constructor and config reader throws for an option it cannot work with.
import { OtelSentinelError } from './otel-sentinel-error.js';

/**
 * An option (or the environment variable that sets it) cannot work. Thrown at construction or
 * start-up, never later. `option` names it as the user writes it (`maxConcurrency`,
 * `retry.maxAttempts`, `spool.directory`, `OTEL_SENTINEL_MAPPING`); `code` says whose option it is:
 * `E_EXPORTER_CONFIG`, `E_DELIVERY_CONFIG`, `E_SPOOL_CONFIG`, `E_GATEWAY_CONFIG`, `E_OWASP_CONFIG`,
 * `E_INGESTION_CONFIG`, `E_TOKEN_ISSUER_CONFIG`. The message says what value would work.
 */
export class ConfigError extends OtelSentinelError {
  declare readonly option: string;

  /** `message` is the whole sentence; it should start with the option so a log line is enough. */
  constructor(code: string, option: string, message: string, options?: ErrorOptions) {
    super(code, message, { ...options, option });
  }
}
