// `otel-sentinel connector <mapping> --out <dir>`: writes the Sentinel solution package (CCF Push
// connector, table, DCR, solution metadata) generated from a mapping; `--check <dir>` runs the
// CCF checklist on any solution folder, generated or hand-written.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadMappingFile } from '@otel-sentinel/mapping';
import type { MappingConfig, TransformChecker } from '@otel-sentinel/mapping';
import type * as ConnectorModule from '@otel-sentinel/connector';
import type { PartialSolutionInfo, SolutionInfoError } from '@otel-sentinel/connector';
import { exampleWarning, solutionFlags, solutionIssues } from '../connector/solution-flags.js';
import type { SolutionFlagOptions } from '../connector/solution-flags.js';
import { writePackageFiles } from '../connector/write-package.js';
import type { PackageFile } from '../connector/write-package.js';
import { loadEnv } from '../env-file.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { styleFor, write } from '../output.js';
import { renderProblems } from '../render/problems.js';

export interface ConnectorOptions extends SolutionFlagOptions {
  readonly out?: string;
  readonly check?: string;
  readonly force?: boolean;
  /** Also write deploy/azuredeploy.json, a template to deploy the table(s), DCE, DCR and role directly. */
  readonly arm?: boolean;
  /** With --arm: a `kind: Direct` DCR with its own ingestion endpoint instead of a DCE. */
  readonly direct?: boolean;
  /** Also ship the custom unifiers `Im_<Schema>Custom` / `ASim_<Schema>Custom` (they replace the workspace's own). */
  readonly asimCustomUnifiers?: boolean;
  readonly envFile?: string;
}

type Connector = typeof ConnectorModule;

/** Said whenever the custom unifiers are written: deploying them replaces customer functions. */
const UNIFIERS_WARNING =
  "otel-sentinel: warning: --asim-custom-unifiers: the package deploys Im_<Schema>Custom and ASim_<Schema>Custom, which REPLACE any functions of those names in the workspace; if the workspace has its own, add this solution's vim…/ASim… parsers to them instead and leave the flag off\n";

export async function connectorCommand(
  mapping: string | undefined,
  options: ConnectorOptions,
  io: CliIo,
): Promise<number> {
  // Loaded here: only this command needs the generator and the KQL checker for transforms.
  const connector = await import('@otel-sentinel/connector');
  const { analyzeKql, checkTransformKql } = await import('@otel-sentinel/kql');
  const checks = { checkTransform: checkTransformKql, analyzeKql };
  if (options.check !== undefined) return checkFolder(connector, options.check, checks, io);
  if (mapping === undefined)
    throw new CliError('E_USAGE', 'give a mapping file (or --check <dir> to check a solution folder)');
  const outDir = options.out;
  if (outDir === undefined)
    throw new CliError('E_USAGE', 'give --out <dir>, where the Solutions/<Name>/ folder is written');
  const config = await loadConfig(mapping, options, io, checkTransformKql);
  if (config === undefined) return 1;
  const flags = solutionFlags(options);
  const unifiers = options.asimCustomUnifiers === true;
  const files = await solutionFiles(connector, config, flags, unifiers);
  if (!Array.isArray(files)) {
    await write(io.stderr, solutionIssues(mapping, files.issues));
    return 1;
  }
  const out = resolve(io.cwd, outDir);
  const first = files[0];
  const root = first ? join(out, first.path.split('/').slice(0, 2).join('/')) : out;
  if (existsSync(root) && options.force !== true) {
    throw new CliError('E_OUT_EXISTS', `${root} exists; use --force to overwrite it`);
  }
  await writePackageFiles(out, files);
  if (options.arm === true) {
    const analyticRules = await analyticRulesFor(connector, config);
    const arm = connector.generateArmTemplate(config, {
      direct: options.direct === true,
      asimCustomUnifiers: unifiers,
      ...(analyticRules !== undefined ? { analyticRules } : {}),
    });
    await writePackageFiles(out, [arm]);
    files.push(arm);
  }
  const problems = connector.checkSolution(root, checks);
  await write(io.stdout, `${files.map((f) => `wrote ${join(outDir, f.path)}`).join('\n')}\n`);
  if (files.some((f) => /\/Parsers\/(Im|ASim)_\w+Custom\.yaml$/.test(f.path)))
    await write(io.stderr, UNIFIERS_WARNING);
  const examples = connector.exampleFields(connector.solutionInfoOf(config, flags));
  if (examples.length > 0) await write(io.stderr, exampleWarning(mapping, examples));
  if (problems.length > 0) {
    // A generated package that fails the checklist is our bug, not the user's.
    throw new CliError(
      'E_GENERATED_INVALID',
      `the generated package fails ${problems.length} check(s): ${problems.map((p) => p.rule).join(', ')}`,
    );
  }
  await write(
    io.stderr,
    `every CCF check passed; set BasePath in Data/Solution_*.json before running the Azure-Sentinel packager\n`,
  );
  return 0;
}

/** `--check <dir>`: the CCF checklist on a solution folder; 0 when every check passes. */
async function checkFolder(
  connector: Connector,
  folder: string,
  checks: ConnectorModule.CheckOptions,
  io: CliIo,
): Promise<number> {
  const dir = resolve(io.cwd, folder);
  if (!existsSync(dir)) throw new CliError('E_CHECK_DIR', `${folder} does not exist`);
  const problems = connector.checkSolution(dir, checks);
  if (problems.length === 0) {
    await write(io.stdout, `${folder}: every CCF check passed\n`);
    return 0;
  }
  await write(
    io.stderr,
    problems.map((p) => `${p.file}: ${p.rule}: ${p.message}\n  fix: ${p.fix}\n`).join(''),
  );
  await write(io.stderr, `${problems.length} check(s) failed\n`);
  return 1;
}

/** The mapping, validated; undefined after printing its problems. */
async function loadConfig(
  mapping: string,
  options: ConnectorOptions,
  io: CliIo,
  checkTransform: TransformChecker,
): Promise<MappingConfig | undefined> {
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  // The package is made before the DCE and DCR exist: their variables may be unset here.
  const file = resolve(io.cwd, mapping);
  const result = loadMappingFile(file, { env, deploymentPlaceholders: true, checkTransform });
  if (result.config) return result.config;
  await write(
    io.stderr,
    renderProblems(
      // The user's file as they typed it; problems of a preset it extends keep naming the preset.
      result.problems.map((p) => (p.file === file ? { ...p, file: mapping } : p)),
      styleFor(io.stderr, io.env),
    ),
  );
  return undefined;
}

/**
 * The package's files, or the solution values to fix. A mapping on the OWASP preset's table gets
 * the preset's detections as Analytic Rules.
 */
async function solutionFiles(
  connector: Connector,
  config: MappingConfig,
  flags: PartialSolutionInfo,
  asimCustomUnifiers: boolean,
): Promise<PackageFile[] | SolutionInfoError> {
  try {
    const analyticRules = await analyticRulesFor(connector, config);
    return [
      ...connector.generateSolution(config, {
        solution: flags,
        asimCustomUnifiers,
        ...(analyticRules !== undefined ? { analyticRules } : {}),
      }),
    ];
  } catch (error) {
    // Missing or malformed solution values: one line each, with the mapping key and the flag.
    if (!(error instanceof connector.SolutionInfoError)) throw error;
    return error;
  }
}

/** The OWASP preset's detections for a mapping on its table (the rules the workbooks show). */
async function analyticRulesFor(
  connector: Connector,
  config: MappingConfig,
): Promise<readonly ConnectorModule.AnalyticRuleFile[] | undefined> {
  return connector.usesOwaspTable(config)
    ? (await import('@otel-sentinel/owasp')).loadDetections()
    : undefined;
}
