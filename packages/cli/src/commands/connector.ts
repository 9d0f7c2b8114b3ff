// `otel-sentinel connector <mapping> --out <dir>`: writes the Sentinel solution package (CCF Push
// connector, table, DCR, solution metadata) generated from a mapping; `--check <dir>` runs the
// CCF checklist on any solution folder, generated or hand-written.

import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadMappingFile } from '@otel-sentinel/mapping';
import type { SolutionField, SolutionInfo, SolutionIssue } from '@otel-sentinel/connector';
import { loadEnv } from '../env-file.js';
import { CliError, fsReason } from '../errors.js';
import type { CliIo } from '../io.js';
import { styleFor, write } from '../output.js';
import { renderProblems } from '../render/problems.js';

export interface ConnectorOptions {
  readonly out?: string;
  readonly check?: string;
  readonly force?: boolean;
  /** Also write deploy/azuredeploy.json, a template to deploy the table(s), DCE, DCR and role directly. */
  readonly arm?: boolean;
  /** With --arm: a `kind: Direct` DCR with its own ingestion endpoint instead of a DCE. */
  readonly direct?: boolean;
  readonly name?: string;
  readonly publisher?: string;
  readonly publisherId?: string;
  readonly offerId?: string;
  readonly solutionVersion?: string;
  readonly description?: string;
  readonly supportName?: string;
  readonly supportEmail?: string;
  readonly supportLink?: string;
  readonly supportTier?: string;
  readonly envFile?: string;
}

const TIERS = ['Microsoft', 'Partner', 'Community'] as const;

/** The flag that supplies each solution value (the mapping key is `solution.<field>`). */
const FLAG_FOR: Readonly<Record<SolutionField, string>> = {
  name: '--name <name>',
  publisher: '--publisher <name>',
  publisherId: '--publisher-id <id>',
  offerId: '--offer-id <id>',
  version: '--solution-version <semver>',
  description: '--description <text>',
  'support.name': '--support-name <name>',
  'support.email': '--support-email <email>',
  'support.link': '--support-link <url>',
  'support.tier': '--support-tier <tier>',
};

function supportTier(value: string): (typeof TIERS)[number] {
  const tier = TIERS.find((t) => t.toLowerCase() === value.toLowerCase());
  if (tier === undefined)
    throw new CliError('E_USAGE', `--support-tier must be ${TIERS.join(', ')}; got "${value}"`);
  return tier;
}

export async function connectorCommand(
  mapping: string | undefined,
  options: ConnectorOptions,
  io: CliIo,
): Promise<number> {
  // Loaded here: only this command needs the generator and the KQL checker for transforms.
  const {
    checkSolution,
    exampleFields,
    generateArmTemplate,
    generateSolution,
    solutionInfoOf,
    SolutionInfoError,
    usesOwaspTable,
  } = await import('@otel-sentinel/connector');
  const { checkTransformKql } = await import('@otel-sentinel/kql');
  if (options.check !== undefined) {
    const dir = resolve(io.cwd, options.check);
    if (!existsSync(dir)) throw new CliError('E_CHECK_DIR', `${options.check} does not exist`);
    const problems = checkSolution(dir, { checkTransform: checkTransformKql });
    if (problems.length === 0) {
      await write(io.stdout, `${options.check}: every CCF check passed\n`);
      return 0;
    }
    await write(
      io.stderr,
      problems.map((p) => `${p.file}: ${p.rule}: ${p.message}\n  fix: ${p.fix}\n`).join(''),
    );
    await write(io.stderr, `${problems.length} check(s) failed\n`);
    return 1;
  }
  if (mapping === undefined)
    throw new CliError('E_USAGE', 'give a mapping file (or --check <dir> to check a solution folder)');
  const outDir = options.out;
  if (outDir === undefined)
    throw new CliError('E_USAGE', 'give --out <dir>, where the Solutions/<Name>/ folder is written');
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  // The package is made before the DCE and DCR exist: their variables may be unset here.
  const file = resolve(io.cwd, mapping);
  const result = loadMappingFile(file, {
    env,
    deploymentPlaceholders: true,
    checkTransform: checkTransformKql,
  });
  if (!result.config) {
    await write(
      io.stderr,
      renderProblems(
        // The user's file as they typed it; problems of a preset it extends keep naming the preset.
        result.problems.map((p) => (p.file === file ? { ...p, file: mapping } : p)),
        styleFor(io.stderr, io.env),
      ),
    );
    return 1;
  }
  const support = {
    ...(options.supportName !== undefined ? { name: options.supportName } : {}),
    ...(options.supportEmail !== undefined ? { email: options.supportEmail } : {}),
    ...(options.supportLink !== undefined ? { link: options.supportLink } : {}),
    ...(options.supportTier !== undefined ? { tier: supportTier(options.supportTier) } : {}),
  };
  const flags = {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.publisher !== undefined ? { publisher: options.publisher } : {}),
    ...(options.publisherId !== undefined ? { publisherId: options.publisherId } : {}),
    ...(options.offerId !== undefined ? { offerId: options.offerId } : {}),
    ...(options.solutionVersion !== undefined ? { version: options.solutionVersion } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    // The generator merges these over the mapping's solution section, field by field.
    ...(Object.keys(support).length > 0 ? { support } : {}),
  };
  let files: { path: string; content: string }[];
  try {
    // A mapping on the OWASP preset's table gets the preset's detections as Analytic Rules.
    const analyticRules = usesOwaspTable(result.config)
      ? (await import('@otel-sentinel/owasp')).loadDetections()
      : undefined;
    files = [
      ...generateSolution(result.config, {
        solution: flags,
        ...(analyticRules !== undefined ? { analyticRules } : {}),
      }),
    ];
  } catch (error) {
    // Missing or malformed solution values: one line each, with the mapping key and the flag.
    if (!(error instanceof SolutionInfoError)) throw error;
    await write(io.stderr, solutionIssues(mapping, error.issues));
    return 1;
  }
  const out = resolve(io.cwd, outDir);
  const first = files[0];
  const root = first ? join(out, first.path.split('/').slice(0, 2).join('/')) : out;
  if (existsSync(root) && options.force !== true) {
    throw new CliError('E_OUT_EXISTS', `${root} exists; use --force to overwrite it`);
  }
  for (const f of files) {
    const target = join(out, f.path);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content);
    } catch (error) {
      throw new CliError('E_OUT', `cannot write ${target}: ${fsReason(error)}`, { cause: error });
    }
  }
  if (options.arm === true) {
    const arm = generateArmTemplate(result.config, { direct: options.direct === true });
    const target = join(out, arm.path);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, arm.content);
    } catch (error) {
      throw new CliError('E_OUT', `cannot write ${target}: ${fsReason(error)}`, { cause: error });
    }
    files.push(arm);
  }
  const problems = checkSolution(root, { checkTransform: checkTransformKql });
  await write(io.stdout, `${files.map((f) => `wrote ${join(outDir, f.path)}`).join('\n')}\n`);
  const info: SolutionInfo = solutionInfoOf(result.config, flags);
  const examples = exampleFields(info);
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

/** One line per missing or invalid solution value, naming its mapping key and its flag. */
function solutionIssues(mapping: string, issues: readonly SolutionIssue[]): string {
  const lines = issues.map((i) =>
    i.missing
      ? `${mapping}: solution.${i.field} is missing: add it to the file or pass ${FLAG_FOR[i.field]}`
      : `${mapping}: solution.${i.field} ${i.problem} (fix it in the file or with ${FLAG_FOR[i.field]})`,
  );
  const n = issues.length;
  lines.push(
    `${n} solution value${n === 1 ? '' : 's'} to fix: the connector package needs them (otel-sentinel init writes a solution: section to fill in)`,
  );
  return `${lines.join('\n')}\n`;
}

/** The values still as `init` wrote them: fine to try the package, not to publish it. */
function exampleWarning(mapping: string, fields: readonly SolutionField[]): string {
  return [
    `otel-sentinel: warning: ${mapping} still has example solution values; replace them before you publish or share the package:`,
    ...fields.map((f) => `  solution.${f}: set it in the file or pass ${FLAG_FOR[f]}`),
    '',
  ].join('\n');
}
