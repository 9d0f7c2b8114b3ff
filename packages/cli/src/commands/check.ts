// `otel-sentinel check <mapping> --against <DCR.json | table.json | template | folder | live>`:
// compares the mapping with what is deployed and prints each drift at the mapping's
// file:line:col, with what the service would do to those values. Exit 2 when values would be
// lost, so CI can stop a release before it loses data. `--probe` instead gets a token and sends
// each stream an empty request, as the exporter's start-up check does: exit 2 when a stream
// would not take rows.

import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Deployment } from '@otel-sentinel/connector';
import { loadMappingFile } from '@otel-sentinel/mapping';
import type { MappingConfig, MappingProblem } from '@otel-sentinel/mapping';
import { loadEnv } from '../env-file.js';
import type { Env } from '../env-file.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { count, styleFor, write } from '../output.js';
import { bySeverity, problemCounts, problemLine, renderProblems } from '../render/problems.js';
import type { LiveOptions } from '../check/live-deployment.js';

export interface CheckOptions extends LiveOptions {
  /** Files or folders with the deployed DCR and tables, or `live`. */
  readonly against?: readonly string[];
  readonly json?: boolean;
  /** Exit 2 on warnings too (values changed or put elsewhere), not only on loss. */
  readonly strict?: boolean;
  readonly envFile?: string;
  /** Get a token and probe each stream of the mapping (no row is sent) instead of comparing. */
  readonly probe?: boolean;
  /** `--probe`: each step's time limit in milliseconds. */
  readonly timeout?: string;
}

/** Values would be lost (or, with --strict, changed). */
export const EXIT_DRIFT = 2;

const LOOPBACK_AUTHORITY = /^https:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/;

export async function checkCommand(mapping: string, options: CheckOptions, io: CliIo): Promise<number> {
  const against = options.against ?? [];
  if (options.probe === true) {
    if (against.length > 0)
      throw new CliError(
        'E_USAGE',
        '--probe sends a request to each stream; --against compares with a deployment: give one of them',
      );
    return probeCommand(mapping, options, io);
  }
  const live = isLive(against);
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  const file = resolve(io.cwd, mapping);
  // The schema is what is compared: an endpoint or DCR id not set yet is no reason to stop.
  const result = loadMappingFile(file, { env, deploymentPlaceholders: true });
  const named = (p: MappingProblem): MappingProblem => (p.file === file ? { ...p, file: mapping } : p);
  if (!result.config) {
    await write(io.stderr, renderProblems(result.problems.map(named), styleFor(io.stderr, io.env)));
    return 1;
  }
  const config = result.config;
  const connector = await import('@otel-sentinel/connector');
  const deployment = live
    ? await liveDeployment(config, options, env)
    : readFiles(() => connector.loadDeployment(against, io.cwd), connector.DeploymentError);
  const { analyzeKql } = await import('@otel-sentinel/kql');
  const { transformProjector } = await import('../check/transform-projector.js');
  const findings = connector.findDrift(config, deployment, {
    projectTransform: transformProjector(analyzeKql),
  });
  const problems = connector.locateDrift(findings, readFileSync(file, 'utf8'), { fileName: mapping, env });
  const loses = findings.some(
    (f) => f.severity === 'error' || (options.strict === true && f.severity === 'warning'),
  );
  const source = live ? 'the live DCR and tables' : against.join(', ');
  if (options.json === true) {
    await write(
      io.stdout,
      `${JSON.stringify({ mapping, against: source, dataLoss: loses, findings: problems }, null, 2)}\n`,
    );
    return loses ? EXIT_DRIFT : 0;
  }
  await write(
    io.stdout,
    driftReport(mapping, config.streams.length, source, problems, findings, options, io),
  );
  return loses ? EXIT_DRIFT : 0;
}

/** Whether --against is live (alone) rather than files; a usage error when it is neither. */
function isLive(against: readonly string[]): boolean {
  if (against.length === 0)
    throw new CliError('E_USAGE', 'give --against <DCR.json | table.json | ARM template | folder | live>');
  const live = against.includes('live');
  if (live && against.length > 1)
    throw new CliError(
      'E_USAGE',
      '--against live reads the DCR and tables from Azure: give no files with it',
    );
  return live;
}

/** One line per finding, then the verdict: whether values would be lost (or changed, with --strict). */
function driftReport(
  mapping: string,
  streamCount: number,
  source: string,
  problems: readonly MappingProblem[],
  findings: readonly { readonly severity: string }[],
  options: CheckOptions,
  io: CliIo,
): string {
  const loses = findings.some(
    (f) => f.severity === 'error' || (options.strict === true && f.severity === 'warning'),
  );
  const style = styleFor(io.stdout, io.env);
  const lines = bySeverity(problems).map((p) => problemLine(p, style));
  const streams = count(streamCount, 'stream');
  const verdict = loses
    ? style.red(
        options.strict === true && !findings.some((f) => f.severity === 'error')
          ? 'values would be changed (--strict)'
          : 'values would be lost',
      )
    : style.green('no values would be lost');
  lines.push(
    `${mapping} (${streams}) against ${source}: ${problems.length === 0 ? 'no drift' : problemCounts(problems)}; ${verdict}`,
  );
  return `${lines.join('\n')}\n`;
}

const DEFAULT_PROBE_TIMEOUT_MS = 30_000;

async function probeCommand(mapping: string, options: CheckOptions, io: CliIo): Promise<number> {
  const timeoutMs = options.timeout === undefined ? DEFAULT_PROBE_TIMEOUT_MS : Number(options.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new CliError(
      'E_USAGE',
      `--timeout must be a whole number of milliseconds ≥ 1, got ${options.timeout ?? ''}`,
    );
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  const file = resolve(io.cwd, mapping);
  // The probe needs where to send: an unset endpoint or DCR id is an error here.
  const result = loadMappingFile(file, { env });
  const named = (p: MappingProblem): MappingProblem => (p.file === file ? { ...p, file: mapping } : p);
  if (!result.config) {
    await write(io.stderr, renderProblems(result.problems.map(named), styleFor(io.stderr, io.env)));
    return 1;
  }
  const { probeMapping } = await import('../check/probe.js');
  const outcome = await probeMapping(result.config, env, timeoutMs);
  if (options.json === true) {
    await write(io.stdout, `${JSON.stringify({ mapping, ...(outcome.json as object) }, null, 2)}\n`);
    return outcome.ok ? 0 : EXIT_DRIFT;
  }
  const style = styleFor(io.stdout, io.env);
  const streams = count(result.config.streams.length, 'stream');
  const verdict = outcome.ok
    ? style.green('every stream would take rows')
    : style.red('rows would not be delivered');
  await write(io.stdout, `${[...outcome.lines, `${mapping} (${streams}) probed: ${verdict}`].join('\n')}\n`);
  return outcome.ok ? 0 : EXIT_DRIFT;
}

function readFiles(load: () => Deployment, DeploymentError: new (...args: never[]) => Error): Deployment {
  try {
    return load();
  } catch (error: unknown) {
    if (error instanceof DeploymentError) throw new CliError('E_DEPLOYMENT', error.message, { cause: error });
    throw error;
  }
}

async function liveDeployment(config: MappingConfig, options: CheckOptions, env: Env): Promise<Deployment> {
  const { liveTarget } = await import('../check/live-deployment.js');
  const { DeploymentError, readLiveDeployment } = await import('@otel-sentinel/connector');
  const target = liveTarget(options, env);
  // The Azure credential reads AZURE_* from the process environment; the file fills the gaps.
  for (const [k, v] of Object.entries(env))
    if (process.env[k] === undefined && v !== undefined) process.env[k] = v;
  const { DefaultAzureCredential } = await import('@azure/identity');
  const host = env.AZURE_AUTHORITY_HOST;
  // MSAL would ask login.microsoftonline.com about a loopback authority (the emulator) first.
  const local = host !== undefined && LOOPBACK_AUTHORITY.test(host);
  const credential = new DefaultAzureCredential(local ? { disableInstanceDiscovery: true } : {});
  const tables = [...new Set(config.streams.map((s) => s.table))];
  return readLiveDeployment(target, tables, { credential }).catch((error: unknown) => {
    if (error instanceof DeploymentError) throw new CliError('E_LIVE', error.message, { cause: error });
    throw error;
  });
}
