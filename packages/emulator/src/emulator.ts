// Starts the emulator: one HTTPS server on loopback serving Entra ID tokens, the Logs Ingestion
// API (with DCR transforms) and the Log Analytics query API over an embedded SQLite store,
// configured from mapping files or DCR and table JSON. Returns what a client needs to talk to it.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { compileTransform, runQuery, type QuerySource } from '@otel-sentinel/kql';
import type { EmulatorAutomation } from './automation/automation.js';
import { createAutomation } from './automation/automation.js';
import type { AutomationTarget } from './automation/automation-options.js';
import { resolveTargets } from './automation/automation-options.js';
import { loadCatalog } from './catalog/load-catalog.js';
import type { CostOptions } from './cost/cost-options.js';
import { CostView } from './cost/cost-view.js';
import type { EmulatorCost } from './cost/cost-view.js';
import type { Detections } from './detections/detection-types.js';
import type { DetectionOptions } from './detections/detections-options.js';
import { createDetections } from './detections/start-detections.js';
import type { WorkloadIssuer } from './entra/app-credentials.js';
import { ensureAppCredentials } from './entra/app-credentials.js';
import { IDENTITY_ENDPOINT_PATH } from './entra/managed-identity-routes.js';
import { createTokenIssuer } from './entra/token-issuer.js';
import { DeferredTokens, serveAll } from './emulator-server.js';
import type { ServerParts } from './emulator-server.js';
import { FaultInjector } from './faults/fault-injector.js';
import { ValueCounts } from './ingestion/value-counts.js';
import type { Catalog, ColumnDef, QueryTable, Row, RowTransform, Store } from './model.js';
import { openStore } from './store/sqlite-store.js';
import { ensureCertificates } from './tls/certificates.js';
import { loadWorkspace, Workspace } from './workspace/workspace-functions.js';
import type { WorkspaceOptions } from './workspace/workspace-options.js';

export interface EmulatorOptions extends WorkspaceOptions, DetectionOptions {
  /** Mapping files whose streams, DCRs and tables the emulator serves. */
  readonly mappings?: readonly string[];
  /**
   * DCR and table JSON, as deployed: files, or folders searched for `*.json` (a solution folder,
   * a `Data Connectors/<X>_ccf` folder, `DCR.json`/`table.json`, an ARM template). With
   * `mappings` too, both are served (a table or DCR id both describe must agree).
   * Example: `['out/Solutions/ContosoAudit']`.
   */
  readonly definitions?: readonly string[];
  /**
   * Immutable id per DCR resource name, for `definitions` with several DCRs. Default: the only
   * DCR gets `SENTINEL_DCR_IMMUTABLE_ID` (else `dcr-000…0`); with several, `dcr-` + 32 hex digits
   * of the SHA-256 of the name. Example: `{ ContosoAuditPushDCR: 'dcr-0123456789abcdef0123456789abcdef' }`.
   */
  readonly dcrImmutableIds?: Readonly<Record<string, string>>;
  /** A catalog built elsewhere, instead of `mappings` and `definitions`. */
  readonly catalog?: Catalog;
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 4443. */
  readonly port?: number;
  /** Certificates, the database and the token key live here. Default `~/.cache/otel-sentinel/emulator`. */
  readonly dataDir?: string;
  /** Keep the store in memory (tests); default false: `<dataDir>/emulator.sqlite`. */
  readonly inMemory?: boolean;
  /** Report every dropped or mistyped field to the client and the log (the service never does). */
  readonly strict?: boolean;
  /** Per-DCR limits; lower them to test throttling. */
  readonly limits?: {
    readonly maxBodyBytes?: number;
    readonly maxFieldBytes?: number;
    readonly requestsPerMinute?: number;
    readonly bytesPerMinute?: number;
  };
  /** Environment for `${VAR}` in mapping files and `SENTINEL_DCR_IMMUTABLE_ID`. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** One line per request and event (and, at start-up, per DCR: its immutable id and streams); default none. */
  readonly log?: (line: string) => void;
  /**
   * Serve the console, a KQL editor, results and charts in the browser, at
   * `https://127.0.0.1:<port>/console/` (loopback Host only). Default false: /console answers 404.
   * The CLI's `otel-sentinel emulator` turns it on unless `--no-console`. Example: `true`.
   */
  readonly console?: boolean;
  /**
   * Automation: each new incident that matches an entry is POSTed to its URL as a Sentinel
   * playbook's incident trigger body, with retries and a delivery log (README "Automation").
   * Default none. Example: `[{ url: 'http://127.0.0.1:8080/hooks/sentinel', minSeverity: 'Medium' }]`.
   */
  readonly automation?: readonly AutomationTarget[];
  /**
   * The console's cost view: the price per GB it projects at (none built in), its currency and
   * the days it averages. Example: `{ pricePerGb: 5.2, currency: 'EUR' }`.
   */
  readonly cost?: CostOptions;
}

export interface RunningEmulator {
  /** `https://127.0.0.1:<port>`: the DCE/DCR ingestion endpoint, the authority host and the query endpoint. */
  readonly origin: string;
  readonly port: number;
  /** PEM of the local CA: trust it with `NODE_EXTRA_CA_CERTS=<caPath>` or `tlsOptions: { ca }`. */
  readonly caCertPem: string;
  readonly caPath: string;
  readonly catalog: Catalog;
  readonly faults: FaultInjector;
  readonly store: Store;
  /** Values not stored as sent, per table, column and reason (also `GET /admin/value-counts`). */
  readonly valueCounts: ValueCounts;
  /** The variables a client needs, as `NAME=value` pairs (see `env()` lines printed by the CLI). */
  env(): Record<string, string>;
  /**
   * The first app's certificate and private key (PEM, in `<dataDir>/identity`), registered on it:
   * `AZURE_CLIENT_CERTIFICATE_PATH` for ClientCertificateCredential.
   */
  readonly clientCertificatePath: string | undefined;
  /** The test Kubernetes issuer the first app trusts (federated credential): mints service-account tokens. */
  readonly workloadIdentity: WorkloadIssuer;
  /** The App Service / Container Apps identity endpoint: `IDENTITY_ENDPOINT`. */
  readonly identityEndpoint: string;
  /** The secret of that endpoint, new at each start: `IDENTITY_HEADER`. */
  readonly identityHeader: string;
  /** The analytic rules, their runs, and the alerts and incidents they raised. */
  readonly detections: Detections;
  /** The webhook deliveries of the `automation` option: targets, the delivery log, redelivery. */
  readonly automation: EmulatorAutomation;
  /**
   * Estimated billed volume and cost per table and day, and the operational volume reports of
   * exporters and gateways (`GET /console/api/cost`, `POST /console/api/operational-volume`).
   */
  readonly cost: EmulatorCost;
  /** Runs KQL against the store, as the query API does. */
  query(kql: string): QueryTable;
  close(): Promise<void>;
}

/**
 * The key that signs access tokens, kept in the data directory so tokens issued before a restart
 * stay valid after it, as Entra's do.
 */
function tokenKey(dataDir: string): Uint8Array {
  const file = join(dataDir, 'token-key');
  if (existsSync(file)) {
    const key = readFileSync(file);
    if (key.length >= 32) return key;
  }
  const key = randomBytes(32);
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/**
 * Where the emulator keeps its store, keys and certificates unless told otherwise.
 * @internal Exported for the CLI's `emulator query`, which reads a stopped emulator's store.
 */
export function defaultDataDir(): string {
  return join(homedir(), '.cache', 'otel-sentinel', 'emulator');
}

function compileFlows(catalog: Catalog): Map<string, RowTransform> {
  const compiled = new Map<string, RowTransform>();
  for (const dcr of catalog.dcrs.values()) {
    for (const flow of dcr.dataFlows) {
      const input = dcr.streams.get(flow.stream) ?? [];
      const table = catalog.tables.get(flow.outputTable);
      const output: readonly ColumnDef[] = table?.columns ?? [];
      // Throws UnsupportedKqlError naming the operator: a transform is never passed through silently.
      compiled.set(
        `${dcr.immutableId}|${flow.stream}|${flow.outputTable}`,
        compileTransform(flow.transformKql, input, output),
      );
    }
  }
  return compiled;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  resolveTargets(options.automation); // a bad automation option fails here, before anything is opened
  const dataDir = options.dataDir ?? defaultDataDir();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const certs = await ensureCertificates(dataDir);
  const loaded =
    options.catalog !== undefined ? { catalog: options.catalog, lines: [] } : loadCatalog(options);
  const credentials = await ensureAppCredentials(dataDir, loaded.catalog);
  const { catalog } = credentials;
  const identityHeader = randomBytes(24).toString('base64url');
  const transforms = compileFlows(catalog);
  const store = openStore(options.inMemory === true ? ':memory:' : join(dataDir, 'emulator.sqlite'));
  for (const table of catalog.tables.values()) store.ensureTable(table);
  for (const line of loaded.lines) options.log?.(line);

  const parts: ServerParts = {
    catalog,
    store,
    ...queryParts(options, store),
    tokens: new DeferredTokens(),
    faults: new FaultInjector(),
    valueCounts: new ValueCounts(),
    identityHeader,
    transforms,
    at: { origin: '' },
    cost: new CostView(store, options.cost),
    automation: createAutomation(options, store, catalog.workspaceId, certs.caCertPem),
  };
  const detections = detectionsOver(options, parts);
  const app = serveAll(options, certs, parts, detections);
  const { port, origin } = await listen(app, options.port ?? 4443, parts, dataDir);
  const identityEndpoint = `${origin}${IDENTITY_ENDPOINT_PATH}`;
  logIdentityHints(options.log, origin, identityEndpoint, credentials.certificatePath);
  parts.automation.listen(detections);
  detections.start();

  return {
    origin,
    port,
    caCertPem: certs.caCertPem,
    caPath: certs.caPath,
    catalog,
    faults: parts.faults,
    store,
    valueCounts: parts.valueCounts,
    cost: parts.cost,
    clientCertificatePath: credentials.certificatePath,
    workloadIdentity: credentials.workloadIssuer,
    identityEndpoint,
    identityHeader,
    env: () => clientEnv(origin, catalog, certs.caPath),
    query: (kql) => runQuery(kql, parts.querySource, new Date()),
    detections,
    automation: parts.automation,
    async close() {
      detections.stop();
      await parts.automation.close();
      await app.close();
      store.close();
    },
  };
}

/** The analytic rules over what queries read, their incident URLs at the origin once known. */
function detectionsOver(options: EmulatorOptions, parts: ServerParts): ReturnType<typeof createDetections> {
  return createDetections(options, {
    source: parts.querySource,
    store: parts.store,
    tenantId: parts.catalog.tenantId,
    workspaceId: parts.catalog.workspaceId,
    origin: () => parts.at.origin,
  });
}

/**
 * Listens on 127.0.0.1:`port` (0 picks one); then the origin is known, and with it the token
 * issuer, whose tokens name it.
 */
async function listen(
  app: ReturnType<typeof serveAll>,
  port: number,
  parts: ServerParts,
  dataDir: string,
): Promise<{ port: number; origin: string }> {
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  const origin = `https://127.0.0.1:${bound}`;
  parts.at.origin = origin;
  parts.tokens.current = createTokenIssuer({
    tenantId: parts.catalog.tenantId,
    issuerOrigin: origin,
    secret: tokenKey(dataDir),
  });
  return { port: bound, origin };
}

/**
 * What queries read: the store's tables, with the workspace's functions and externaldata files,
 * recorded in the store for `otel-sentinel emulator query`.
 */
function queryParts(options: EmulatorOptions, store: Store): Pick<ServerParts, 'workspace' | 'querySource'> {
  const workspace = loadWorkspace(options);
  workspace.recordIn(store);
  return { workspace, querySource: workspace.over(storeQuerySource(store)) };
}

/**
 * What `emulator query` reads from a data directory's store: its tables, and the workspace
 * functions and externaldata files the emulator last started with (or received since), with the
 * ASIM stand-ins rebuilt.
 * @internal Exported for the CLI's `emulator query`.
 */
export function recordedQuerySource(store: Store): QuerySource {
  return Workspace.recorded(store.recordedWorkspace()).over(storeQuerySource(store));
}

/** The start-up lines that tell a user how each credential kind reaches the emulator. */
function logIdentityHints(
  log: ((line: string) => void) | undefined,
  origin: string,
  identityEndpoint: string,
  certificatePath: string | undefined,
): void {
  log?.(`managed identity: IDENTITY_ENDPOINT=${identityEndpoint} (App Service, Container Apps, Functions)`);
  log?.(`managed identity: AZURE_POD_IDENTITY_AUTHORITY_HOST=${origin} (instance metadata service)`);
  if (certificatePath !== undefined) {
    log?.(`certificate: AZURE_CLIENT_CERTIFICATE_PATH=${certificatePath}`);
  }
}

/** The variables a client needs to talk to the emulator, as `NAME=value` pairs. */
function clientEnv(origin: string, catalog: Catalog, caPath: string): Record<string, string> {
  const dcrs = [...catalog.dcrs.values()];
  const app0 = catalog.apps[0];
  const out: Record<string, string> = {
    AZURE_AUTHORITY_HOST: origin,
    AZURE_TENANT_ID: catalog.tenantId,
    SENTINEL_DCE_ENDPOINT: origin,
    NODE_EXTRA_CA_CERTS: caPath,
    OTEL_SENTINEL_LOGS_QUERY_ENDPOINT: `${origin}/v1`,
    OTEL_SENTINEL_WORKSPACE_ID: catalog.workspaceId,
  };
  if (app0) {
    out.AZURE_CLIENT_ID = app0.clientId;
    out.AZURE_CLIENT_SECRET = app0.clientSecret;
  }
  if (dcrs.length === 1 && dcrs[0]) out.SENTINEL_DCR_IMMUTABLE_ID = dcrs[0].immutableId;
  return out;
}

/**
 * What queries read: the store's tables, with `_TimeReceived` as a column, and `Type` (the
 * table's name), the standard column every Log Analytics table has and ASIM makes mandatory.
 * @internal Exported for the CLI's `emulator query`, which reads a stopped emulator's store.
 */
export function storeQuerySource(store: Store): QuerySource {
  return {
    tables: (): readonly string[] => store.tableNames(),
    columns: (table: string): readonly ColumnDef[] | undefined => {
      const cols = store.columns(table);
      return cols
        ? [...cols, ...STANDARD_COLUMNS.filter((s) => !cols.some((c) => c.name === s.name))]
        : undefined;
    },
    scan: function* (table: string): Iterable<Row> {
      const declaresType = store.columns(table)?.some((c) => c.name === 'Type') === true;
      for (const row of store.scan(table)) yield declaresType ? row : { ...row, Type: table };
    },
  };
}

/** Columns every table has besides its declared ones. */
const STANDARD_COLUMNS: readonly ColumnDef[] = [
  { name: '_TimeReceived', type: 'datetime' },
  { name: 'Type', type: 'string' },
];
