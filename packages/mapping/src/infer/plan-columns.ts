// Decides the column of every sample key: record fields first, then renamed, hashed or left-out
// attributes, then one typed column per remaining key, in sample order.

import { collectFields } from './collect-fields.js';
import type { Field } from './collect-fields.js';
import { MAX_NAME, normalizeKey, pascalName } from './column-names.js';
import { inferType } from './infer-types.js';
import { sourceOf } from './planned-column.js';
import type { Planned } from './planned-column.js';
import { owaspEventName, planRole, roleOf } from './record-roles.js';
import type { Role } from './record-roles.js';
import { show } from './values.js';
import type { JsonObject } from './values.js';
import {
  findSecretKey,
  isSecretKey,
  isSessionKey,
  OWASP_EVENT,
  OWASP_FIELDS,
  RENAMES,
} from './well-known-keys.js';
import type { Rename } from './well-known-keys.js';

/** The options of `inferMapping`, checked and with their defaults filled in. */
export interface Settings {
  readonly table: string;
  readonly stream: string;
  readonly securityAttribute: string;
}

export interface Plan {
  readonly columns: Planned[];
  readonly notes: string[];
  /** Attribute keys left out as secrets: AdditionalFields must not carry them either. */
  readonly secrets: string[];
}

/** What planning one field needs to know and may add to. */
interface PlanContext {
  readonly settings: Settings;
  /** The sample as a whole is in the OWASP Logging Vocabulary format. */
  readonly owasp: boolean;
  /** `bag\0key` of every source read so far or present in the sample, so renames never collide. */
  readonly present: Set<string>;
  readonly notes: string[];
  readonly unmapped: string[];
  readonly secrets: string[];
}

/** TimeGenerated when no sample key holds the time: the record's own (a new object: plans are named in place). */
function recordTime(): Planned {
  return {
    base: 'TimeGenerated',
    name: '',
    from: 'timestamp',
    type: 'datetime',
    notes: ['no time key in the sample: the record timestamp the OTel SDK sets'],
    foldable: false,
  };
}

/** EventName when no sample key holds the event: the record's own event name. */
function recordEventName(): Planned {
  return {
    base: 'EventName',
    name: '',
    from: 'eventName',
    type: 'string',
    notes: ['no event key in the sample; set the record event name'],
    foldable: false,
  };
}

export function planColumns(samples: readonly JsonObject[], settings: Settings): Plan {
  const { fields, notes } = collectFields(samples);
  const topKeys = new Set(samples.flatMap((s) => Object.keys(s).map((k) => k.toLowerCase())));
  const owasp = [...topKeys].filter((k) => OWASP_FIELDS.has(k)).length >= 4;
  if (owasp) {
    notes.push(
      'The sample uses the OWASP Logging Vocabulary format: its fields map to OpenTelemetry record fields and semantic-convention attributes below.',
    );
  }
  const ctx: PlanContext = {
    settings,
    owasp,
    present: new Set(fields.map((f) => `${f.bag}\u0000${f.key}`)),
    notes,
    unmapped: [],
    secrets: [],
  };
  const claimed = new Map<Role, Planned>();
  const columns: Planned[] = [];
  let eventName: string | undefined;
  for (const f of fields) {
    const role = roleOf(f);
    if (role !== undefined && !claimed.has(role)) {
      const planned = planRole(role, f, notes);
      claimed.set(role, planned);
      if (role === 'event') eventName = owaspEventName(f, planned, notes);
      if (role !== 'time') columns.push(planned);
      continue;
    }
    const planned = planField(f, ctx);
    if (planned !== undefined) columns.push(planned);
  }
  const time = claimed.get('time') ?? recordTime();
  let event = claimed.get('event');
  if (event === undefined) {
    event = recordEventName();
    notes.push(
      'The sample has no event name: give each security record an OTel event name (e.g. authn_login_fail); streams can match on it.',
    );
  }
  const rest = columns.filter((c) => c !== event);
  const user = eventName === undefined ? undefined : userColumn(eventName, fields, rest);
  return {
    columns: [time, event, ...(user === undefined ? [] : [user]), ...rest],
    notes: [...notes, ...ctx.unmapped],
    secrets: ctx.secrets,
  };
}

/** The column of a field that plays no record-field role, or undefined when it is left out. */
function planField(f: Field, ctx: PlanContext): Planned | undefined {
  const key = f.key;
  if (f.bag === 'resource') {
    const type = inferType(f, normalizeKey(key), []);
    return {
      base: pascalName(key),
      name: '',
      from: sourceOf('resource', key),
      type,
      notes: ['resource attribute'],
      foldable: false,
    };
  }
  if (key === '') {
    ctx.unmapped.push('Not mapped: an empty key, which cannot be an attribute key.');
    return undefined;
  }
  if (key === ctx.settings.securityAttribute) {
    ctx.unmapped.push(
      `Not mapped: ${show(key)} is the security flag (securityAttribute); it selects records rather than filling a column.`,
    );
    return undefined;
  }
  const values = f.values.filter((v) => v !== null);
  if (isSecretField(key, values, ctx)) return undefined;
  const scalar = values.every((v) => typeof v !== 'object');
  if (scalar && isSessionKey(key)) return planSession(f, ctx);
  const rename = RENAMES.get(key.toLowerCase());
  if (
    rename !== undefined &&
    (ctx.owasp || rename.owaspOnly !== true) &&
    scalar &&
    !ctx.present.has(`${rename.bag}\u0000${rename.key}`)
  ) {
    return planRename(f, rename, ctx);
  }
  const notes: string[] = [];
  const type = inferType(f, normalizeKey(key), notes);
  const secret = type === 'dynamic' ? findSecretKey(values) : undefined;
  if (secret !== undefined) {
    notes.push(`holds ${show(secret, 30)}, which looks like a secret`);
    ctx.notes.push(
      `${show(key)} holds a key ${show(secret, 30)} that looks like a secret: redaction masks known secret patterns, but better not to log it.`,
    );
  }
  return {
    base: pascalName(key),
    name: '',
    from: sourceOf('attributes', key),
    type,
    notes,
    attribute: key,
    foldable: true,
  };
}

/** A key that looks like a secret, unless its values are flags or numbers: noted, never mapped. */
function isSecretField(key: string, values: readonly unknown[], ctx: PlanContext): boolean {
  if (!isSecretKey(key) || values.every((v) => typeof v === 'boolean' || typeof v === 'number')) return false;
  ctx.secrets.push(key);
  ctx.unmapped.push(
    `Not mapped: ${show(key)} looks like a secret (password, token, key or credential). OWASP: never log it; remove it from the event rather than hashing it.`,
  );
  return true;
}

/** Session ids are kept only as an HMAC; `sessionid` and `session_id` become `session.id`. */
function planSession(f: Field, ctx: PlanContext): Planned {
  const rename =
    f.key.toLowerCase().replace(/[^a-z]/g, '') === 'sessionid' &&
    !ctx.present.has('attributes\u0000session.id');
  const attribute = rename ? 'session.id' : f.key;
  ctx.present.add(`attributes\u0000${attribute}`);
  ctx.notes.push(
    `${show(f.key)} is a session id: the column keeps only its HMAC-SHA-256 (set OTEL_SENTINEL_HASH_KEY to 32+ random bytes)${rename ? '; log it as attribute session.id' : ''}.`,
  );
  return {
    base: rename ? 'SessionIdHash' : `${pascalName(f.key).slice(0, MAX_NAME - 4)}Hash`,
    name: '',
    from: sourceOf('attributes', attribute),
    type: 'string',
    transform: 'hmac-sha256',
    notes: [
      `session id, hashed (OWASP: never log it raw)${rename ? `; set attribute session.id, not ${show(f.key)}` : ''}`,
    ],
    attribute,
    foldable: false,
  };
}

/** An OWASP format field read from the OpenTelemetry attribute it stands for. */
function planRename(f: Field, rename: Rename, ctx: PlanContext): Planned {
  ctx.present.add(`${rename.bag}\u0000${rename.key}`);
  const notes: string[] = [];
  let type = inferType(f, normalizeKey(f.key), notes);
  const integral = f.values.every(
    (v) => v === null || Number.isInteger(v) || (typeof v === 'string' && /^\d{1,9}$/.test(v)),
  );
  if (rename.type === 'int' && integral) {
    // The semantic convention says int; the OWASP sheet writes the port as a string.
    type = 'int';
    notes.length = 0;
  }
  const where = rename.bag === 'resource' ? `resource attribute ${rename.key}` : `attribute ${rename.key}`;
  notes.unshift(`OTel ${where} (sample key ${show(f.key)})`);
  ctx.notes.push(`Set ${where} instead of ${show(f.key)} (column ${rename.name}).`);
  return {
    base: rename.name,
    name: '',
    from: sourceOf(rename.bag, rename.key),
    type,
    notes,
    ...(rename.bag === 'attributes' ? { attribute: rename.key } : {}),
    foldable: rename.bag === 'attributes',
  };
}

/** A UserId column for OWASP events, whose first parameter is the user, unless one exists. */
function userColumn(
  eventName: string,
  fields: readonly Field[],
  columns: readonly Planned[],
): Planned | undefined {
  if (!OWASP_EVENT.test(eventName)) return undefined;
  const userish = fields.some((f) =>
    /^(?:user|username|userid|principalid|enduserid|actor|actorid)$/.test(
      f.key.toLowerCase().replace(/[^a-z]/g, ''),
    ),
  );
  if (userish || columns.some((c) => c.attribute === 'user.id')) return undefined;
  return {
    base: 'UserId',
    name: '',
    from: sourceOf('attributes', 'user.id'),
    type: 'string',
    notes: ['not in the sample: the OWASP event parameter userid, as attribute user.id'],
    attribute: 'user.id',
    foldable: false,
  };
}
