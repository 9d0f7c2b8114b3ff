// The ASIM view of a stream, as the mapping declares it and the connector generates parsers and a
// workbook from: which rows belong to which ASIM schema, with which constant event fields, and
// which table column plays which ASIM field. Types only; the schema facts live in schemas.ts and
// the resolution from the mapping file in resolve-asim.ts.

/** The ASIM schemas otel-sentinel generates parsers for (their names as the ASIM testers spell them). */
export const ASIM_SCHEMA_NAMES = ['Authentication', 'AuditEvent', 'UserManagement', 'WebSession'] as const;
export type AsimSchemaName = (typeof ASIM_SCHEMA_NAMES)[number];

/** One event (by the value of the stream's event-name column) and the ASIM fields it fixes. */
export interface AsimEventSpec {
  /** The event name as the event column holds it, e.g. `authn_login_fail`. */
  readonly name: string;
  /**
   * ASIM fields this event sets to constants, e.g. `{ EventType: 'Logon', EventResult: 'Failure' }`.
   * `EventType` and `EventResult` are always present after resolution, unless a column of the
   * schema plays them (`EventResult` from a column whose value varies within one event). A
   * constant wins over a field taken from a column.
   */
  readonly set: Readonly<Record<string, string>>;
  /**
   * ASIM fields this event gives a value only where the field's column is empty, e.g.
   * `{ EventResultDetails: '403' }` for `authz_fail` when the record has no HTTP status. Absent
   * when there are none.
   */
  readonly ifEmpty?: Readonly<Record<string, string>>;
}

/** An ASIM field filled from a table column. */
export interface AsimFieldSpec {
  /** The ASIM field name, e.g. `TargetUsername`. Never an alias (aliases are derived). */
  readonly field: string;
  /** The table column it is read from. */
  readonly column: string;
  /**
   * Values translated on the way, e.g. OWASP reasons to ASIM `EventResultDetails`
   * (`{ maxretries: 'User locked' }`); a value not listed becomes `otherwise`, else stays as it is.
   * An empty value stays empty (a successful sign-in has no reason, and is not `Other`).
   */
  readonly lookup?: Readonly<Record<string, string>>;
  readonly otherwise?: string;
}

/** One ASIM schema a stream's rows fit: the events that belong to it and where its fields come from. */
export interface AsimSchemaSpec {
  readonly schema: AsimSchemaName;
  /** The events of this schema, in file order; a row whose event is not listed is not in the schema. */
  readonly events: readonly AsimEventSpec[];
  /** Field sources for this schema, after merging column roles with the schema's own overrides. */
  readonly fields: readonly AsimFieldSpec[];
}

/** The ASIM declaration of one stream, resolved (defaults filled in). */
export interface AsimStreamSpec {
  /** `EventVendor` of every row; default the solution's publisher, else `otel-sentinel`. */
  readonly vendor: string;
  /** `EventProduct` of every row; default the solution's name, else the table name without `_CL`. */
  readonly product: string;
  /** The table column holding the event name (the events' key), e.g. `EventOriginalType`. */
  readonly eventColumn: string;
  readonly schemas: readonly AsimSchemaSpec[];
}
