// The OWASP Logging Vocabulary (cheatsheets/Logging_Vocabulary_Cheat_Sheet.md, 57 events) as data:
// each event's name, level, parameters and the attribute each parameter is written to. One table
// drives the typed helpers, the `owasp` preset mapping, the docs and the tests.
//
// Attribute names follow the OpenTelemetry semantic conventions where one fits (`user.id`,
// `client.address`, `user_agent.original`, `url.path`, `http.request.method`, `server.address`,
// `file.name`, `security_rule.name`, `http.request.header.referer`); everything else is `owasp.*`.

/** The vocabulary's levels. */
export type OwaspLevel = 'INFO' | 'WARN' | 'CRITICAL';

export type OwaspCategory =
  | 'AUTHN'
  | 'AUTHZ'
  | 'CRYPT'
  | 'EXCESS'
  | 'UPLOAD'
  | 'INPUT'
  | 'MALICIOUS'
  | 'MCP'
  | 'PRIVILEGE'
  | 'DATA'
  | 'SEQUENCE'
  | 'SESSION'
  | 'SYS'
  | 'USER';

export type ParamType = 'string' | 'int' | 'string[]';

export interface OwaspParam {
  /** The helper's argument name (camelCase), e.g. `userId`. */
  readonly name: string;
  /** The log record attribute it is written to, e.g. `user.id`. */
  readonly attribute: string;
  readonly type: ParamType;
  /** Required arguments are typed as required; the vocabulary makes every field optional, we do not. */
  readonly required: boolean;
  readonly description: string;
}

export interface OwaspEvent {
  /** The OWASP event name, used as the log record's `eventName` (never with values in it). */
  readonly name: string;
  readonly category: OwaspCategory;
  /** The vocabulary's level; `upload_validation` is CRITICAL when the result is FAILED. */
  readonly level: OwaspLevel;
  readonly params: readonly OwaspParam[];
  /** Added to the vocabulary after its 2024 baseline (the 11 newest events). */
  readonly recent: boolean;
  /** When it was added or last changed shape, for the recent ones (from the sheet's history). */
  readonly since?: string;
  /** The record's body, `{param}` placeholders filled with the (sanitised) values. */
  readonly description: string;
}

const p = (
  name: string,
  attribute: string,
  description: string,
  type: ParamType = 'string',
  required = false,
): OwaspParam => ({ name, attribute, type, required, description });

// Parameters shared by many events.
const USER = p('userId', 'user.id', 'the user the event is about (who logged in, acted, or was refused)');
const USER_REQUIRED = { ...USER, required: true };
const TARGET_USER = p('targetUserId', 'owasp.target_user_id', 'the user account acted upon', 'string', true);
const REASON = p('reason', 'owasp.reason', 'why, in a word or short phrase');
const OBJECT = p('object', 'owasp.object', 'the file path or object identifier concerned', 'string', true);

export const OWASP_EVENTS: readonly OwaspEvent[] = [
  // AUTHN
  {
    name: 'authn_login_success',
    category: 'AUTHN',
    level: 'INFO',
    recent: false,
    params: [USER_REQUIRED],
    description: 'User {userId} login successfully',
  },
  {
    name: 'authn_login_successafterfail',
    category: 'AUTHN',
    level: 'INFO',
    recent: false,
    params: [
      USER_REQUIRED,
      p('retries', 'owasp.retries', 'failed attempts before this success', 'int', true),
    ],
    description: 'User {userId} login successfully after {retries} failures',
  },
  {
    name: 'authn_login_fail',
    category: 'AUTHN',
    level: 'WARN',
    recent: false,
    params: [USER_REQUIRED, REASON],
    description: 'User {userId} login failed',
  },
  {
    name: 'authn_login_fail_max',
    category: 'AUTHN',
    level: 'WARN',
    recent: false,
    params: [
      USER_REQUIRED,
      p('maxLimit', 'owasp.max_limit', 'the failure limit that was reached', 'int', true),
    ],
    description: 'User {userId} reached the login fail limit of {maxLimit}',
  },
  {
    name: 'authn_login_lock',
    category: 'AUTHN',
    level: 'WARN',
    recent: false,
    params: [
      USER_REQUIRED,
      { ...REASON, required: true, description: 'maxretries, suspicious, customer or other' },
    ],
    description: 'User {userId} login locked because {reason}',
  },
  {
    name: 'authn_password_change',
    category: 'AUTHN',
    level: 'INFO',
    recent: false,
    params: [USER_REQUIRED],
    description: 'User {userId} has successfully changed their password',
  },
  {
    name: 'authn_password_change_fail',
    category: 'AUTHN',
    level: 'CRITICAL',
    recent: false,
    params: [USER_REQUIRED],
    description: 'User {userId} failed to change their password',
  },
  {
    name: 'authn_impossible_travel',
    category: 'AUTHN',
    level: 'CRITICAL',
    recent: false,
    params: [
      USER_REQUIRED,
      p('fromRegion', 'owasp.from_region', 'the region of the earlier activity, e.g. US-OR', 'string', true),
      p('toRegion', 'owasp.to_region', 'the region of this activity, e.g. CN-SH', 'string', true),
    ],
    description: 'User {userId} has accessed the application in two distant cities at the same time',
  },
  {
    name: 'authn_token_created',
    category: 'AUTHN',
    level: 'INFO',
    recent: false,
    params: [USER_REQUIRED, p('entitlements', 'owasp.entitlements', 'what the token allows', 'string[]')],
    description: 'A token has been created for {userId} with {entitlements}',
  },
  {
    name: 'authn_token_revoked',
    category: 'AUTHN',
    level: 'INFO',
    recent: false,
    params: [
      USER_REQUIRED,
      p('tokenId', 'owasp.token_id', 'the token identifier (not the token)', 'string', true),
    ],
    description: 'Token ID: {tokenId} was revoked for user {userId}',
  },
  {
    name: 'authn_token_reuse',
    category: 'AUTHN',
    level: 'CRITICAL',
    recent: false,
    params: [
      USER_REQUIRED,
      p('tokenId', 'owasp.token_id', 'the token identifier (not the token)', 'string', true),
    ],
    description: 'User {userId} attempted to use token ID: {tokenId} which was previously revoked',
  },
  {
    name: 'authn_token_delete',
    category: 'AUTHN',
    level: 'WARN',
    recent: false,
    params: [p('appId', 'owasp.app_id', 'the application whose token was deleted', 'string', true)],
    description: 'The token for {appId} has been deleted',
  },
  // AUTHZ
  {
    name: 'authz_fail',
    category: 'AUTHZ',
    level: 'CRITICAL',
    recent: false,
    params: [USER_REQUIRED, p('resource', 'owasp.resource', 'what was refused', 'string', true)],
    description: 'User {userId} attempted to access a resource without entitlement',
  },
  {
    name: 'authz_change',
    category: 'AUTHZ',
    level: 'WARN',
    recent: false,
    params: [
      USER_REQUIRED,
      p('fromRole', 'owasp.from_role', 'the entitlement before', 'string', true),
      p('toRole', 'owasp.to_role', 'the entitlement after', 'string', true),
    ],
    description: 'User {userId} has changed entitlement from {fromRole} to {toRole}',
  },
  {
    name: 'authz_admin',
    category: 'AUTHZ',
    level: 'WARN',
    recent: false,
    params: [
      USER_REQUIRED,
      p(
        'adminEvent',
        'owasp.admin_event',
        'the administrative activity, e.g. user_privilege_change',
        'string',
        true,
      ),
    ],
    description: 'Administrator {userId} has performed {adminEvent}',
  },
  // CRYPT
  {
    name: 'crypt_decrypt_fail',
    category: 'CRYPT',
    level: 'WARN',
    recent: true,
    since: '2025-01',
    params: [USER],
    description: 'Decryption failed for user {userId}',
  },
  {
    name: 'crypt_encrypt_fail',
    category: 'CRYPT',
    level: 'WARN',
    recent: true,
    since: '2025-01',
    params: [USER],
    description: 'Encryption failed for user {userId}',
  },
  // EXCESS
  {
    name: 'excess_rate_limit_exceeded',
    category: 'EXCESS',
    level: 'WARN',
    recent: false,
    params: [USER, p('max', 'owasp.max', 'the rate limit that was exceeded', 'int', true)],
    description: 'User {userId} has exceeded max:{max} requests',
  },
  {
    name: 'excess_sessions_exceeded',
    category: 'EXCESS',
    level: 'WARN',
    recent: true,
    since: '2026-06',
    params: [USER, p('max', 'owasp.max', 'the session limit that was exceeded', 'int', true)],
    description: 'User {userId} has exceeded max:{max} concurrent sessions',
  },
  // UPLOAD
  {
    name: 'upload_complete',
    category: 'UPLOAD',
    level: 'INFO',
    recent: false,
    params: [
      USER,
      p('fileName', 'file.name', 'the uploaded file name', 'string', true),
      p('fileType', 'owasp.file_type', 'the file type, e.g. PNG'),
    ],
    description: 'User {userId} has completed an upload of {fileName}',
  },
  {
    name: 'upload_stored',
    category: 'UPLOAD',
    level: 'INFO',
    recent: false,
    params: [
      p('fileName', 'file.name', 'the uploaded file name', 'string', true),
      p('from', 'owasp.from', 'where it was received'),
      p('to', 'owasp.to', 'where it is stored, e.g. an object key', 'string', true),
    ],
    description: 'File {fileName} was stored in the database with key {to}',
  },
  {
    name: 'upload_validation',
    category: 'UPLOAD',
    level: 'INFO',
    recent: false,
    params: [
      p('fileName', 'file.name', 'the uploaded file name', 'string', true),
      p('validator', 'owasp.validator', 'the check that ran, e.g. virusscan or imagemagick', 'string', true),
      p(
        'result',
        'owasp.validation_result',
        'FAILED, incomplete or passed (FAILED makes the event CRITICAL)',
        'string',
        true,
      ),
    ],
    description: 'File {fileName} validation by {validator}: {result}',
  },
  {
    name: 'upload_delete',
    category: 'UPLOAD',
    level: 'INFO',
    recent: false,
    params: [USER, p('fileId', 'owasp.file_id', 'the deleted file', 'string', true)],
    description: 'User {userId} has deleted {fileId}',
  },
  // INPUT
  {
    name: 'input_validation_fail',
    category: 'INPUT',
    level: 'WARN',
    recent: false,
    params: [
      p(
        'fields',
        'owasp.fields',
        'the fields that failed validation (names, never values)',
        'string[]',
        true,
      ),
      USER,
    ],
    description: 'User {userId} submitted data that failed validation',
  },
  {
    name: 'input_validation_discrete_fail',
    category: 'INPUT',
    level: 'WARN',
    recent: true,
    since: '2025-10',
    params: [
      p('field', 'owasp.field', 'the field whose value was not one of the allowed ones', 'string', true),
      USER,
    ],
    description: 'User {userId} submitted a value for {field} outside the allowed set',
  },
  // MALICIOUS (the actor is the user if known, else the client address from the request context)
  {
    name: 'malicious_excess_404',
    category: 'MALICIOUS',
    level: 'WARN',
    recent: false,
    params: [USER],
    description: 'A user at {clientAddress} has generated a large number of 404 requests',
  },
  {
    name: 'malicious_extraneous',
    category: 'MALICIOUS',
    level: 'CRITICAL',
    recent: false,
    params: [
      USER,
      p('inputName', 'owasp.input_name', 'the input that should not have been there', 'string', true),
    ],
    description: 'A user at {clientAddress} used data for {inputName} that the application does not expect',
  },
  {
    name: 'malicious_attack_tool',
    category: 'MALICIOUS',
    level: 'CRITICAL',
    recent: false,
    params: [
      USER,
      p('toolName', 'owasp.tool_name', 'the attack tool recognised, e.g. nikto', 'string', true),
    ],
    description: 'Attack traffic indicating use of {toolName} from {clientAddress}',
  },
  {
    name: 'malicious_sqli',
    category: 'MALICIOUS',
    level: 'CRITICAL',
    recent: true,
    since: '2026-02',
    params: [
      USER,
      p('parameter', 'owasp.parameter', 'the request parameter (never its value)', 'string', true),
      p('ruleId', 'security_rule.name', 'the detection rule that matched, e.g. SQLI-UNION', 'string', true),
    ],
    description: 'SQL injection attempt from {clientAddress} in parameter {parameter} (rule {ruleId})',
  },
  {
    name: 'malicious_cors',
    category: 'MALICIOUS',
    level: 'CRITICAL',
    recent: false,
    params: [
      USER,
      p('referer', 'http.request.header.referer', 'the origin that made the request', 'string', true),
    ],
    description: 'An illegal cross-origin request from {referer} was refused',
  },
  {
    name: 'malicious_direct_reference',
    category: 'MALICIOUS',
    level: 'CRITICAL',
    recent: false,
    params: [USER],
    description: 'A user at {clientAddress} attempted to access an object to which they are not authorized',
  },
  {
    name: 'malicious_csrf',
    category: 'MALICIOUS',
    level: 'WARN',
    recent: true,
    since: '2026-06',
    params: [USER],
    description: 'A request from {clientAddress} failed the CSRF check',
  },
  {
    name: 'malicious_csp_violation',
    category: 'MALICIOUS',
    level: 'WARN',
    recent: true,
    since: '2026-06',
    params: [
      USER,
      p(
        'directive',
        'owasp.csp_directive',
        'the effective directive violated, e.g. script-src',
        'string',
        true,
      ),
      p('blockedUri', 'owasp.blocked_uri', 'the URI the policy blocked', 'string', true),
    ],
    description: 'Content Security Policy {directive} blocked {blockedUri}',
  },
  // MCP (never log the prompt or payload)
  {
    name: 'mcp_prompt_injection',
    category: 'MCP',
    level: 'WARN',
    recent: true,
    since: '2026-02',
    params: [USER],
    description: 'A prompt injection attempt by {userId} was detected',
  },
  {
    name: 'mcp_resource_exhaustion',
    category: 'MCP',
    level: 'WARN',
    recent: true,
    since: '2026-02',
    params: [USER],
    description: 'Requests by {userId} exhausted a tool or model resource limit',
  },
  {
    name: 'mcp_tool_poisoning',
    category: 'MCP',
    level: 'WARN',
    recent: true,
    since: '2026-02',
    params: [USER],
    description: 'A poisoned tool description or response was detected for {userId}',
  },
  // PRIVILEGE
  {
    name: 'privilege_permissions_changed',
    category: 'PRIVILEGE',
    level: 'WARN',
    recent: false,
    params: [
      USER_REQUIRED,
      OBJECT,
      p('fromLevel', 'owasp.from_level', 'the permissions before', 'string', true),
      p('toLevel', 'owasp.to_level', 'the permissions after', 'string', true),
    ],
    description: 'User {userId} has changed permissions on {object} from {fromLevel} to {toLevel}',
  },
  // DATA
  {
    name: 'sensitive_create',
    category: 'DATA',
    level: 'WARN',
    recent: false,
    params: [USER_REQUIRED, OBJECT],
    description: 'User {userId} created a new sensitive object {object}',
  },
  {
    name: 'sensitive_read',
    category: 'DATA',
    level: 'WARN',
    recent: false,
    params: [USER_REQUIRED, OBJECT],
    description: 'User {userId} read the sensitive object {object}',
  },
  {
    name: 'sensitive_update',
    category: 'DATA',
    level: 'WARN',
    recent: false,
    params: [USER_REQUIRED, OBJECT],
    description: 'User {userId} modified the sensitive object {object}',
  },
  {
    name: 'sensitive_delete',
    category: 'DATA',
    level: 'WARN',
    recent: false,
    params: [USER_REQUIRED, OBJECT],
    description: 'User {userId} marked the sensitive object {object} for deletion',
  },
  // SEQUENCE
  {
    name: 'sequence_fail',
    category: 'SEQUENCE',
    level: 'CRITICAL',
    recent: false,
    params: [USER],
    description: 'User {userId} has reached a part of the application out of the normal application flow',
  },
  // SESSION (session ids only as a keyed hash: owasp.session_hash)
  {
    name: 'session_created',
    category: 'SESSION',
    level: 'INFO',
    recent: false,
    params: [USER_REQUIRED],
    description: 'User {userId} has started a new session',
  },
  {
    name: 'session_renewed',
    category: 'SESSION',
    level: 'INFO',
    recent: false,
    params: [USER_REQUIRED],
    description: 'User {userId} was warned of expiring session and extended',
  },
  {
    name: 'session_expired',
    category: 'SESSION',
    level: 'INFO',
    recent: false,
    params: [
      USER_REQUIRED,
      { ...REASON, required: true, description: 'logout, timeout, revoked or another reason' },
    ],
    description: 'Session of {userId} expired due to {reason}',
  },
  {
    name: 'session_logout',
    category: 'SESSION',
    level: 'INFO',
    recent: true,
    since: '2026-06',
    params: [USER_REQUIRED],
    description: 'User {userId} logged out',
  },
  {
    name: 'session_use_after_expire',
    category: 'SESSION',
    level: 'CRITICAL',
    recent: false,
    params: [USER_REQUIRED],
    description: 'User {userId} attempted access after session expired',
  },
  // SYS
  {
    name: 'sys_startup',
    category: 'SYS',
    level: 'WARN',
    recent: false,
    params: [USER],
    description: 'User {userId} spawned a new instance',
  },
  {
    name: 'sys_shutdown',
    category: 'SYS',
    level: 'WARN',
    recent: false,
    params: [USER],
    description: 'User {userId} stopped this instance',
  },
  {
    name: 'sys_restart',
    category: 'SYS',
    level: 'WARN',
    recent: false,
    params: [USER],
    description: 'User {userId} initiated a restart',
  },
  {
    name: 'sys_crash',
    category: 'SYS',
    level: 'WARN',
    recent: false,
    params: [{ ...REASON, required: true }],
    description: 'The application crashed due to {reason}',
  },
  {
    name: 'sys_monitor_disabled',
    category: 'SYS',
    level: 'WARN',
    recent: false,
    params: [USER, p('monitor', 'owasp.monitor', 'the monitoring agent, e.g. crowdstrike', 'string', true)],
    description: 'User {userId} has disabled {monitor}',
  },
  {
    name: 'sys_monitor_enabled',
    category: 'SYS',
    level: 'WARN',
    recent: false,
    params: [USER, p('monitor', 'owasp.monitor', 'the monitoring agent, e.g. crowdstrike', 'string', true)],
    description: 'User {userId} has enabled {monitor}',
  },
  // USER
  {
    name: 'user_created',
    category: 'USER',
    level: 'WARN',
    recent: false,
    params: [
      USER_REQUIRED,
      TARGET_USER,
      p('userAttributes', 'owasp.user_attributes', "the new account's roles or attributes", 'string[]'),
    ],
    description: 'User {userId} has created {targetUserId} with attributes',
  },
  {
    name: 'user_updated',
    category: 'USER',
    level: 'WARN',
    recent: false,
    params: [
      USER_REQUIRED,
      TARGET_USER,
      p('userAttributes', 'owasp.user_attributes', 'the changed roles or attributes', 'string[]'),
    ],
    description: 'User {userId} has updated {targetUserId} with attributes',
  },
  {
    name: 'user_archived',
    category: 'USER',
    level: 'WARN',
    recent: false,
    params: [USER_REQUIRED, TARGET_USER],
    description: 'User {userId} archived {targetUserId}',
  },
  {
    name: 'user_deleted',
    category: 'USER',
    level: 'WARN',
    recent: false,
    params: [USER_REQUIRED, TARGET_USER],
    description: 'User {userId} has deleted {targetUserId}',
  },
];

/**
 * Attributes the request context (middleware or `withSecurityContext`) supplies to every event,
 * so helpers fill them without arguments. Helper arguments win over the context.
 */
export const CONTEXT_ATTRIBUTES = {
  clientAddress: 'client.address',
  userAgent: 'user_agent.original',
  method: 'http.request.method',
  path: 'url.path',
  host: 'server.address',
  correlationId: 'correlation.id',
  /** The authenticated user, when the event names none. */
  userId: 'user.id',
  /** Keyed HMAC-SHA-256 of the session id: the raw id is never emitted. */
  sessionHash: 'owasp.session_hash',
} as const;

/**
 * Every event carries these, and `true` in the mapping's default `securityAttribute`
 * (`DEFAULT_SECURITY_ATTRIBUTE` of @otel-sentinel/mapping, `security.event`).
 */
export const COMMON_ATTRIBUTES = {
  /** The vocabulary level as written (INFO, WARN, CRITICAL). */
  level: 'owasp.level',
  /** The vocabulary category (AUTHN, AUTHZ, …). */
  category: 'owasp.category',
  /** Success, Failure or NA (ASIM's EventResult), from `resultOf`. */
  result: 'owasp.result',
} as const;

/** The severity each level is emitted with (severityText is the level itself). */
export const SEVERITY_NUMBER: Readonly<Record<OwaspLevel, number>> = {
  INFO: 9, // INFO
  WARN: 13, // WARN
  CRITICAL: 18, // ERROR2: above a plain error, below FATAL (a crash); PSR-3's CRITICAL maps here too
};

/** ASIM's `EventResult` of an event: what the helpers write to `owasp.result`. */
export type OwaspResult = 'Success' | 'Failure' | 'NA';

const FAILURE =
  /(^malicious_|^excess_|^mcp_|_fail(_|$)|_lock$|_reuse$|_use_after_expire$|^authn_impossible_travel$|^sys_crash$)/;
const NOT_APPLICABLE = /^(sys_startup|sys_shutdown|sys_restart|sys_monitor_enabled|sys_monitor_disabled)$/;

/**
 * Failure for refusals, failures and attacks; NA for system lifecycle events; Success otherwise.
 * `upload_validation` is decided by its `result` argument (FAILED → Failure).
 */
export function resultOf(event: OwaspEvent): OwaspResult {
  if (FAILURE.test(event.name)) return 'Failure';
  if (NOT_APPLICABLE.test(event.name)) return 'NA';
  return 'Success';
}
