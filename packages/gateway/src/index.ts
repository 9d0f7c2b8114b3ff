// Public API of @otel-sentinel/gateway.

export { startGateway } from './start-gateway.js';
// Every start-up problem is a ConfigError with code E_GATEWAY_CONFIG (docs/errors.md).
export { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';
export { TOKEN_ENV } from './gateway-options.js';
export type {
  GatewayOptions,
  GatewayStats,
  RunningGateway,
  UpstreamDropReason,
  UpstreamRetryOptions,
} from './gateway-options.js';
