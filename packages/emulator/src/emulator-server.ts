// The emulator's HTTPS server: every route (Entra, managed identity, ingestion, query,
// management, admin) over one catalog, store and token issuer.

import type { QuerySource } from '@otel-sentinel/kql';
import type { Automation } from './automation/automation.js';
import { automationRoutes } from './automation/routes.js';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { consoleRoutes } from './console/console-routes.js';
import type { Detections } from './detections/detection-types.js';
import { detectionRoutes } from './detections/routes.js';
import { costRoutes } from './cost/routes.js';
import type { CostView } from './cost/cost-view.js';
import type { EmulatorOptions } from './emulator.js';
import { managedIdentityRoutes } from './entra/managed-identity-routes.js';
import { entraRoutes } from './entra/routes.js';
import type { FaultInjector } from './faults/fault-injector.js';
import { faultRoutes } from './faults/routes.js';
import { ingestionRoutes } from './ingestion/routes.js';
import { valueCountRoutes } from './ingestion/value-count-routes.js';
import type { ValueCounts } from './ingestion/value-counts.js';
import { managementRoutes } from './management/routes.js';
import type { Catalog, DataFlowDef, DcrDef, RowTransform, Store, TokenIssuer } from './model.js';
import { queryRoutes } from './query/routes.js';
import { workbookRoutes } from './workbooks/routes.js';
import type { Workspace } from './workspace/workspace-functions.js';

/**
 * Tokens signed by an issuer that names the emulator's origin, known once the server listens
 * (the port may be 0): until then none can be issued.
 */
export class DeferredTokens implements TokenIssuer {
  current: TokenIssuer | undefined;

  issue(clientId: string, scope: string): ReturnType<TokenIssuer['issue']> {
    if (!this.current) throw new Error('the emulator is not listening yet');
    return this.current.issue(clientId, scope);
  }

  verify(token: string): ReturnType<TokenIssuer['verify']> {
    return this.current?.verify(token);
  }
}

/** What the routes share: the catalog, the store, the token issuer, and the origin once known. */
export interface ServerParts {
  readonly catalog: Catalog;
  readonly store: Store;
  /** What queries read: the store's tables, the workspace's functions and externaldata files. */
  readonly querySource: QuerySource;
  /** The workspace's functions; the management API adds saved searches to it. */
  readonly workspace: Workspace;
  readonly tokens: DeferredTokens;
  readonly faults: FaultInjector;
  readonly valueCounts: ValueCounts;
  readonly identityHeader: string;
  readonly transforms: ReadonlyMap<string, RowTransform>;
  readonly at: { origin: string };
  /** Webhook deliveries of new incidents; the console lists them. */
  readonly automation: Automation;
  /** The console's cost view. */
  readonly cost: CostView;
}

/** The HTTPS server with every route: Entra, managed identity, ingestion, query, management, admin. */
export function serveAll(
  options: Pick<EmulatorOptions, 'limits' | 'strict' | 'log' | 'console' | 'definitions'>,
  certs: { readonly keyPem: string; readonly certPem: string },
  parts: ServerParts,
  detections: Detections,
): FastifyInstance {
  const {
    catalog,
    store,
    querySource,
    workspace,
    tokens,
    faults,
    valueCounts,
    identityHeader,
    transforms,
    at,
  } = parts;
  const origin = (): string => at.origin;
  const app = Fastify({
    https: { key: certs.keyPem, cert: certs.certPem },
    logger: false,
    bodyLimit: 64 * 1024 * 1024,
  });
  // First, so its guard sees every /console URL, whichever lane's route answers it.
  consoleRoutes(app, {
    enabled: options.console === true,
    source: querySource,
    count: (table) => store.count(table),
    workspaceId: catalog.workspaceId,
    origin,
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  workbookRoutes(app, { definitions: options.definitions ?? [] });
  detectionRoutes(app, detections);
  entraRoutes(app, { catalog, tokens, origin });
  managedIdentityRoutes(app, { catalog, tokens, identityHeader, origin });
  ingestionRoutes(app, {
    catalog,
    store,
    tokens,
    transforms: (dcr: DcrDef, flow: DataFlowDef) => {
      const t = transforms.get(`${dcr.immutableId}|${flow.stream}|${flow.outputTable}`);
      if (!t) throw new Error(`no compiled transform for ${dcr.immutableId} ${flow.stream}`);
      return t;
    },
    faults,
    valueCounts,
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.strict !== undefined ? { strict: options.strict } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  queryRoutes(app, { catalog, store: querySource, tokens, origin });
  managementRoutes(app, { catalog, tokens, origin, workspace });
  faultRoutes(app, faults);
  valueCountRoutes(app, valueCounts);
  automationRoutes(app, parts.automation);
  costRoutes(app, parts.cost);
  return app;
}
