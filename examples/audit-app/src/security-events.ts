// The security events this app emits, named from the OWASP Logging Vocabulary, and the two helpers
// that emit them with `security.event: true` — the flag that sends a record to Sentinel only.

import { SeverityNumber } from '@opentelemetry/api-logs';
import type { AnyValueMap, Logger } from '@opentelemetry/api-logs';

/** The attribute that marks a record as a security event (the mapping's `securityAttribute`). */
export const SECURITY_ATTRIBUTE = 'security.event';

/** OWASP Logging Vocabulary event names. Fixed strings: values go into attributes, never here. */
export type SecurityEventName =
  | 'authn_login_success'
  | 'authn_login_fail'
  | 'authn_login_lock'
  | 'authz_fail'
  | 'sensitive_read'
  | 'sensitive_create'
  | 'sensitive_update'
  | 'sensitive_delete';

interface Severity {
  readonly number: SeverityNumber;
  readonly text: string;
}

const INFO: Severity = { number: SeverityNumber.INFO, text: 'INFO' };
const WARN: Severity = { number: SeverityNumber.WARN, text: 'WARN' };
// OWASP rates authz_fail CRITICAL; OpenTelemetry's nearest level that is not "the process dies".
const ERROR: Severity = { number: SeverityNumber.ERROR, text: 'ERROR' };

// The levels the OWASP vocabulary gives each event.
const SEVERITY: Readonly<Record<SecurityEventName, Severity>> = {
  authn_login_success: INFO,
  authn_login_fail: WARN,
  authn_login_lock: WARN,
  authz_fail: ERROR,
  sensitive_read: WARN,
  sensitive_create: WARN,
  sensitive_update: WARN,
  sensitive_delete: WARN,
};

/** The audit action: a fixed enum, so detections can filter on it (`Operation` in the table). */
export const AuditAction = {
  Read: 'Read',
  Create: 'Create',
  Update: 'Update',
  Delete: 'Delete',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

const AUDIT_EVENT: Readonly<Record<AuditAction, SecurityEventName>> = {
  Read: 'sensitive_read',
  Create: 'sensitive_create',
  Update: 'sensitive_update',
  Delete: 'sensitive_delete',
};

/**
 * Emits one security event. `context` carries who and where (see `requestAttributes`),
 * `attributes` what happened; the security flag is set last so neither can unset it.
 */
export function emitSecurityEvent(
  logger: Logger,
  eventName: SecurityEventName,
  body: string,
  context: AnyValueMap,
  attributes: AnyValueMap = {},
): void {
  const severity = SEVERITY[eventName];
  logger.emit({
    eventName,
    severityNumber: severity.number,
    severityText: severity.text,
    body,
    attributes: { ...context, ...attributes, [SECURITY_ATTRIBUTE]: true },
  });
}

/** What an audit record says about the entity and the change. */
export interface AuditDetails {
  readonly entityType: string;
  readonly entityId: string;
  /** Why the actor did it, as they stated it (the `x-audit-reason` header). */
  readonly reason?: string | undefined;
  /** Names of the fields an update changed — names only, never the values. */
  readonly changedFields?: readonly string[];
}

/** Emits the audit record of one read, create, update or delete of an entity. */
export function emitAuditEvent(
  logger: Logger,
  action: AuditAction,
  details: AuditDetails,
  context: AnyValueMap,
): void {
  const attributes: AnyValueMap = {
    'audit.action': action,
    'audit.entity.type': details.entityType,
    'audit.entity.id': details.entityId,
    'event.outcome': 'success',
  };
  if (details.reason !== undefined) attributes['audit.reason'] = details.reason;
  if (details.changedFields !== undefined) attributes['audit.changed_fields'] = [...details.changedFields];
  const body = `${action} ${details.entityType} ${details.entityId}`;
  emitSecurityEvent(logger, AUDIT_EVENT[action], body, context, attributes);
}
