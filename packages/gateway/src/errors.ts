// The one error the gateway throws: at start-up, when its options or its mapping cannot work.
// After start-up nothing is thrown at clients: every problem becomes a status code and a counter.
import { ConfigError } from '@otel-sentinel/mapping';

/**
 * A `ConfigError` `E_GATEWAY_CONFIG`: `option` is the option at fault, e.g. `port`, `upstream`,
 * `mapping`, `exporter.maxBatchBytes`; the message starts with it.
 */
export function gatewayConfigError(option: string, message: string, options?: ErrorOptions): ConfigError {
  return new ConfigError('E_GATEWAY_CONFIG', option, `${option}: ${message}`, options);
}
