// The one error the gateway throws: at start-up, when its options or its mapping cannot work.
// After start-up nothing is thrown at clients: every problem becomes a status code and a counter.

export class GatewayConfigError extends Error {
  readonly code = 'E_GATEWAY_CONFIG';
  /** The option at fault, e.g. `port`, `upstream`, `mapping`, `exporter.maxBatchBytes`. */
  readonly option: string;
  constructor(option: string, message: string, options?: ErrorOptions) {
    super(`${option}: ${message}`, options);
    this.name = 'GatewayConfigError';
    this.option = option;
  }
}
