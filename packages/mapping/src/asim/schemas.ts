// The ASIM field catalogue: the one home of the schema facts every package uses (the mapping
// validates roles against it, the connector generates parsers from it, the emulator builds its
// unifying-parser stand-ins from it). Written from Microsoft's ASIM schema documentation and
// checked against Microsoft's ASimTester.csv (test/asim-schemas.test.ts).

import { AUDIT_EVENT_FIELDS } from './audit-event-fields.js';
import { AUTHENTICATION_FIELDS } from './authentication-fields.js';
import { COMMON_FIELDS } from './common-fields.js';
import type { AsimFieldInfo } from './field-builders.js';
import { ASIM_SCHEMA_NAMES, type AsimSchemaName } from './model.js';
import { USER_MANAGEMENT_FIELDS } from './user-management-fields.js';
import { WEB_SESSION_FIELDS } from './web-session-fields.js';

export type { AsimFieldClass, AsimFieldInfo, AsimKqlType } from './field-builders.js';

/** The schema version a parser declares (`EventSchemaVersion`): Microsoft's current GA versions. */
export const ASIM_SCHEMA_VERSIONS: Readonly<Record<AsimSchemaName, string>> = {
  Authentication: '0.1.4',
  AuditEvent: '0.1.2',
  UserManagement: '0.1.2',
  WebSession: '0.2.7',
};

/** One ASIM schema: its version and every field (the common ones refined by the schema's own). */
export interface AsimSchemaInfo {
  /** The schema's name as the testers spell it, e.g. `Authentication`. */
  readonly name: AsimSchemaName;
  /** The value for `EventSchemaVersion`, e.g. `0.1.4`. */
  readonly version: string;
  /** Common fields first, then the schema's own, each name once. */
  readonly fields: readonly AsimFieldInfo[];
}

const OWN_FIELDS: Readonly<Record<AsimSchemaName, readonly AsimFieldInfo[]>> = {
  Authentication: AUTHENTICATION_FIELDS,
  AuditEvent: AUDIT_EVENT_FIELDS,
  UserManagement: USER_MANAGEMENT_FIELDS,
  WebSession: WEB_SESSION_FIELDS,
};

function buildSchema(name: AsimSchemaName): AsimSchemaInfo {
  const byName = new Map<string, AsimFieldInfo>();
  for (const field of COMMON_FIELDS) byName.set(field.name, field);
  for (const field of OWN_FIELDS[name]) byName.set(field.name, field);
  return { name, version: ASIM_SCHEMA_VERSIONS[name], fields: [...byName.values()] };
}

const SCHEMAS = new Map<AsimSchemaName, { info: AsimSchemaInfo; byName: Map<string, AsimFieldInfo> }>(
  ASIM_SCHEMA_NAMES.map((name) => {
    const info = buildSchema(name);
    return [name, { info, byName: new Map(info.fields.map((f) => [f.name, f])) }];
  }),
);

/** True for the four schema names, as the ASIM testers spell them. */
export function isAsimSchemaName(name: string): name is AsimSchemaName {
  return (ASIM_SCHEMA_NAMES as readonly string[]).includes(name);
}

/** The catalogue entry of one schema. */
export function asimSchema(name: AsimSchemaName): AsimSchemaInfo {
  const entry = SCHEMAS.get(name);
  if (entry === undefined)
    throw new RangeError(
      `'${name}' is not an ASIM schema otel-sentinel knows (one of ${ASIM_SCHEMA_NAMES.join(', ')})`,
    );
  return entry.info;
}

/** One field of a schema, or `undefined` when the schema has no field of that name (case matters). */
export function asimField(schema: AsimSchemaName, field: string): AsimFieldInfo | undefined {
  return SCHEMAS.get(schema)?.byName.get(field);
}

/** The schema's `Alias` fields and the fields they repeat, e.g. `IpAddr` → `SrcIpAddr`. */
export function asimAliases(schema: AsimSchemaName): readonly AsimFieldInfo[] {
  return asimSchema(schema).fields.filter((f) => f.class === 'Alias');
}

/** The schema's Mandatory fields. */
export function asimMandatoryFields(schema: AsimSchemaName): readonly AsimFieldInfo[] {
  return asimSchema(schema).fields.filter((f) => f.class === 'Mandatory');
}
