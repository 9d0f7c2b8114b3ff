// Public API of @otel-sentinel/owasp.

export { OWASP_EVENTS, resultOf } from './vocabulary.js';
export type {
  OwaspCategory,
  OwaspEvent,
  OwaspLevel,
  OwaspParam,
  OwaspResult,
  ParamType,
} from './vocabulary.js';
export { createSecurityEvents } from './security-events.js';
export type { SecurityEvents, SecurityEventArgsTuple } from './security-events.js';
export type {
  SecurityAttributeValue,
  SecurityErrorHandler,
  SecurityEventsOptions,
  SecurityLogger,
  SecurityLogRecord,
} from './options.js';
export type * from './events.generated.js';
export { getSecurityContext, setSecuritySession, setSecurityUser, withSecurityContext } from './context.js';
export type { SecurityContext, SecurityContextFields } from './context.js';
export { securityContextMiddleware } from './express.js';
export type {
  ExpressRequestLike,
  ExpressSecurityContextMiddleware,
  ExpressSecurityContextOptions,
} from './express.js';
export { fastifySecurityContext } from './fastify.js';
export type { FastifyInstanceLike, FastifyRequestLike, FastifySecurityContextOptions } from './fastify.js';
export type { HttpRequestLike, SecurityContextOptions } from './request-capture.js';
export { MAX_ARRAY_ITEMS, MAX_VALUE_BYTES } from './hygiene.js';
export {
  ContextCaptureError,
  EmitFailedError,
  HashKeyMissingError,
  InvalidEventArgsError,
  LoggerUnavailableError,
  SecurityEventsError,
  UnknownEventError,
} from './errors.js';
// A malformed option of createSecurityEvents is a ConfigError with code E_OWASP_CONFIG (docs/errors.md).
export { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';
export { loadDetections } from './detections.js';
export type { DetectionFile } from './detections.js';
