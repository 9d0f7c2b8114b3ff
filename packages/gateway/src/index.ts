// Public API of @otel-sentinel/gateway.

export { startGateway } from './start-gateway.js';
export { GatewayConfigError } from './errors.js';
export { TOKEN_ENV } from './gateway-options.js';
export type {
  GatewayOptions,
  GatewayStats,
  RunningGateway,
  UpstreamDropReason,
  UpstreamRetryOptions,
} from './gateway-options.js';
