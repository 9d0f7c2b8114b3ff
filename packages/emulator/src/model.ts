// The emulator's shared model: what a DCR, a stream and a table are, and the interfaces the
// parts (Entra ID, ingestion, transforms, storage, query, fault injection) offer each other.
// Each part lives in its own folder and depends only on these contracts.

import type { ColumnDef, Row, StoredFunction } from '@otel-sentinel/kql';

// Columns, rows, compiled transforms and query results are the KQL toolkit's: the catalog, the
// store and the query API hold what it reads and returns.
export type { ColumnDef, ColumnType, QueryTable, Row, RowTransform } from '@otel-sentinel/kql';

export interface TableDef {
  /** `…_CL`. */
  readonly name: string;
  /** Declared columns, `TimeGenerated` included. `_TimeReceived` is added by the store. */
  readonly columns: readonly ColumnDef[];
}

/** One data flow of a DCR: rows of `streams` go through `transformKql` into `outputTable`. */
export interface DataFlowDef {
  readonly stream: string;
  /** KQL, e.g. `source`, `source | extend TimeGenerated = now()`. */
  readonly transformKql: string;
  readonly outputTable: string;
}

export interface DcrDef {
  /** `dcr-` + 32 hex digits. */
  readonly immutableId: string;
  /** Stream declarations: `Custom-…` → columns (no guid). */
  readonly streams: ReadonlyMap<string, readonly ColumnDef[]>;
  readonly dataFlows: readonly DataFlowDef[];
  /** App registrations (client ids) allowed to ingest (the Monitoring Metrics Publisher role). */
  readonly allowedClients: ReadonlySet<string>;
}

export interface AppRegistration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly displayName: string;
  /** Certificates (PEM) whose keys may sign a client assertion for this app, as uploaded in Entra. */
  readonly certificates?: readonly string[];
  /** Federated identity credentials: external tokens this app accepts as a client assertion. */
  readonly federatedCredentials?: readonly FederatedCredential[];
}

/** A federated identity credential, e.g. an AKS service account (workload identity). */
export interface FederatedCredential {
  /** The external issuer, compared exactly (case-sensitive), e.g. an AKS cluster's OIDC issuer URL. */
  readonly issuer: string;
  /** The external subject, e.g. `system:serviceaccount:<namespace>:<service account>`. */
  readonly subject: string;
  /** Accepted `aud` values; Entra's default is `api://AzureADTokenExchange`. */
  readonly audiences: readonly string[];
  /**
   * Public keys (PEM) of the issuer. Entra fetches them from the issuer's JWKS; the emulator,
   * which reaches no issuer, is given them.
   */
  readonly signingKeys: readonly string[];
}

/** Everything the emulator serves, learned from mapping files (and later DCR/table JSON). */
export interface Catalog {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly apps: readonly AppRegistration[];
  readonly dcrs: ReadonlyMap<string, DcrDef>;
  readonly tables: ReadonlyMap<string, TableDef>;
}

/** A verified access token. */
export interface TokenClaims {
  readonly clientId: string;
  readonly tenantId: string;
  readonly audience: string;
  readonly expiresAt: number;
}

/** Issues and verifies access tokens (opaque to clients, verifiable by the emulator). */
export interface TokenIssuer {
  issue(clientId: string, scope: string): { readonly token: string; readonly expiresIn: number };
  verify(token: string): TokenClaims | undefined;
}

/** The embedded store (node:sqlite). */
export interface Store {
  /** Creates the table if missing; adds columns it lacks. */
  ensureTable(table: TableDef): void;
  /** Inserts rows (already transformed and typed for `table`); returns how many. */
  insert(table: string, rows: readonly Row[], receivedAt: Date): number;
  /** Every row of a table, in insertion order, as JSON values (datetimes as ISO strings), with `_TimeReceived`. */
  scan(table: string): Iterable<Row>;
  /** Row count of a table. */
  count(table: string): number;
  /** The declared columns of a stored table (without `_TimeReceived`), or undefined. */
  columns(table: string): readonly ColumnDef[] | undefined;
  tableNames(): readonly string[];
  /**
   * Per UTC day of `TimeGenerated` (`_TimeReceived` when it is null or the table has none): the
   * rows and the UTF-8 bytes of the string forms of `columns` (store/text-bytes.ts), summed in SQL.
   */
  volumePerDay(table: string, columns: readonly string[]): readonly DayVolume[];
  /**
   * Replaces the recorded workspace: what the running emulator serves besides tables, so
   * `otel-sentinel emulator query` (another process) can serve the same.
   */
  recordWorkspace(workspace: RecordedWorkspace): void;
  /** Records one function (new, or replacing one of that name), as a saved search PUT does. */
  recordFunction(fn: RecordedFunction): void;
  /** The workspace last recorded (no functions, no files and stand-ins on when none was). */
  recordedWorkspace(): RecordedWorkspace;
  /** Writes a webhook delivery's JSON record, new or replacing the one with its id. */
  recordDelivery(id: string, body: string): void;
  /** Every webhook delivery's JSON record, oldest first. */
  recordedDeliveries(): readonly string[];
  close(): void;
}

/** One UTC day of a table: `day` is `YYYY-MM-DD`. */
export interface DayVolume {
  readonly day: string;
  readonly rows: number;
  readonly bytes: number;
}

/** A workspace function and where it came from (a file, a saved search), for conflict messages. */
export interface RecordedFunction extends StoredFunction {
  readonly from: string;
}

/** The workspace's own functions, its externaldata files (URL → text) and whether stand-ins fill the rest. */
export interface RecordedWorkspace {
  readonly functions: readonly RecordedFunction[];
  readonly files: ReadonlyMap<string, string>;
  readonly standIns: boolean;
}

/** What fault injection may make the next requests do. */
export type FaultKind =
  'throttle' | 'throttle-no-retry-after' | 'error-500' | 'error-503' | 'reset' | 'delay';

export interface FaultRule {
  readonly kind: FaultKind;
  /** How many of the next matching requests fail (default 1); or use `rate`. */
  readonly count?: number;
  /** Fraction 0..1 of requests that fail, instead of `count`. */
  readonly rate?: number;
  /** For `throttle`: Retry-After seconds (default 1). For `delay`: milliseconds. */
  readonly seconds?: number;
  readonly delayMs?: number;
  /** Only requests to this path prefix (default every ingestion request). */
  readonly pathPrefix?: string;
}
