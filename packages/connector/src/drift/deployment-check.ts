// The check `otel-sentinel check` runs, as a function an app runs when its exporter starts
// (`SentinelLogExporter`'s `deploymentCheck` option): it reads what is deployed — files, or the
// DCR and tables through the management API — and gives every drift at the mapping's
// file:line:col. The exporter takes the function, so it never depends on this package.

import { readFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/core-auth';
import { formatPath } from '@otel-sentinel/mapping';
import type { MappingConfig, MappingProblem } from '@otel-sentinel/mapping';
import type { Deployment } from './deployment.js';
import { findDrift } from './find-drift.js';
import type { DriftFinding, TransformProjector } from './find-drift.js';
import { readLiveDeployment } from './live-deployment.js';
import type { LiveResource } from './live-deployment.js';
import { loadDeployment } from './load-deployment.js';
import { locateDrift } from './locate-drift.js';
import { DeploymentError } from './read-deployment.js';

interface CommonOptions {
  /**
   * The columns a DCR transform outputs (see `findDrift`). Without it, a transform other than
   * `source` is reported as not analysed (`W_TRANSFORM_UNKNOWN`).
   */
  readonly projectTransform?: TransformProjector;
  /** Environment the mapping was loaded with, to place findings in its file. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Compare with DCRs and tables in files, as `check --against <files>` does. */
export interface FilesCheckOptions extends CommonOptions {
  /** DCR.json, table.json, ARM templates, folders holding them. Example: `['deploy/azuredeploy.json']`. */
  readonly against: readonly string[];
  /** What relative paths are relative to. Default `process.cwd()`. */
  readonly cwd?: string;
}

/** Compare with the DCR and tables as deployed, as `check --against live` does. */
export interface LiveCheckOptions extends CommonOptions {
  readonly against: 'live';
  /** The data collection rule. Example: `{ subscriptionId, resourceGroup: 'rg-sec', name: 'app-dcr' }`. */
  readonly dcr: LiveResource;
  /** The Log Analytics workspace holding the mapping's tables. */
  readonly workspace: LiveResource;
  /** Resource Manager for a sovereign cloud or the emulator. Default `https://management.azure.com`. */
  readonly managementEndpoint?: string;
  /**
   * Reads the DCR and the tables: needs `Microsoft.Insights/dataCollectionRules/read` and
   * `Microsoft.OperationalInsights/workspaces/tables/read` (the Reader role has both).
   */
  readonly credential: TokenCredential;
  /** Extra options for both management clients (e.g. `tlsOptions` to trust a local emulator). */
  readonly clientOptions?: Readonly<Record<string, unknown>>;
}

export type DeploymentCheckOptions = FilesCheckOptions | LiveCheckOptions;

/** What the exporter hands the check: a signal that aborts it at shutdown or timeout. */
export interface DeploymentCheckContext {
  readonly signal?: AbortSignal;
}

/**
 * Runs the check for `mapping`: every drift, located in the mapping's file when it has one
 * (line and column 0 otherwise). Rejects with a DeploymentError when the deployment cannot be read.
 */
export type DeploymentCheckFunction = (
  mapping: MappingConfig,
  context?: DeploymentCheckContext,
) => Promise<MappingProblem[]>;

/** A check for the exporter's `deploymentCheck` option; throws DeploymentError for bad options. */
export function deploymentCheck(options: DeploymentCheckOptions): DeploymentCheckFunction {
  const read = reader(options);
  const driftOptions =
    options.projectTransform !== undefined ? { projectTransform: options.projectTransform } : {};
  return async (mapping, context = {}) => {
    const deployment = await read(mapping, context.signal);
    return located(findDrift(mapping, deployment, driftOptions), mapping, options.env);
  };
}

type Reader = (mapping: MappingConfig, signal: AbortSignal | undefined) => Promise<Deployment>;

function reader(options: DeploymentCheckOptions): Reader {
  if (options.against !== 'live') {
    const { against, cwd } = options;
    if (!Array.isArray(against) || against.length === 0)
      throw new DeploymentError(
        "against: give 'live', or the DCR.json, table.json, ARM template or folder to compare with",
      );
    return (): Promise<Deployment> => Promise.resolve(loadDeployment(against, cwd));
  }
  for (const field of ['dcr', 'workspace'] as const) {
    const r = options[field] as Partial<LiveResource> | undefined;
    const missing = (['subscriptionId', 'resourceGroup', 'name'] as const).filter(
      (k) => typeof r?.[k] !== 'string' || r[k] === '',
    );
    if (missing.length > 0)
      throw new DeploymentError(
        `${field}: against 'live' needs ${missing.map((k) => `${field}.${k}`).join(', ')}`,
      );
  }
  if (typeof (options.credential as Partial<TokenCredential> | undefined)?.getToken !== 'function')
    throw new DeploymentError(
      "credential: against 'live' needs a TokenCredential to read the DCR and tables",
    );
  const { dcr, workspace, managementEndpoint, credential, clientOptions } = options;
  const target = {
    dcr,
    workspace,
    ...(managementEndpoint !== undefined ? { endpoint: managementEndpoint } : {}),
  };
  return (mapping, signal) =>
    readLiveDeployment(target, [...new Set(mapping.streams.map((s) => s.table))], {
      credential,
      ...(clientOptions !== undefined ? { clientOptions } : {}),
      ...(signal !== undefined ? { abortSignal: signal } : {}),
    });
}

/** At file:line:col when the mapping came from a file that can still be read. */
function located(
  findings: readonly DriftFinding[],
  mapping: MappingConfig,
  env: Readonly<Record<string, string | undefined>> | undefined,
): MappingProblem[] {
  const file = mapping.file;
  if (file !== undefined) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // Moved or removed since the mapping was loaded: the paths still say where.
    }
    if (text !== undefined)
      return locateDrift(findings, text, { fileName: file, ...(env !== undefined ? { env } : {}) });
  }
  return findings.map((f) => ({
    severity: f.severity,
    code: f.code,
    message: f.message,
    path: formatPath(f.path),
    file: file ?? '<mapping>',
    line: 0,
    column: 0,
  }));
}
