// `otel-sentinel validate <mapping>`: a summary of a valid mapping, or every problem in it,
// the streams' DCR transforms included.

import { OtlpJsonError, streamDeclaration, tableSchema } from '@otel-sentinel/mapping';
import type { LogRecordLike, MappingConfig, MappingProblem, ValidationResult } from '@otel-sentinel/mapping';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPlaceholder, loadBeforeDeployment, requiringEnv } from '../deployment-variables.js';
import type { DeferredLoad } from '../deployment-variables.js';
import { loadEnv } from '../env-file.js';
import { CliError } from '../errors.js';
import { NotOtlpError, readRequests } from '../read-input.js';
import type { CliIo } from '../io.js';
import { styleFor, write } from '../output.js';
import type { Style } from '../output.js';
import { renderProblems } from '../render/problems.js';
import { renderValidSummary } from '../render/validate-summary.js';

export interface ValidateOptions {
  /** Print a JSON report instead of the summary. */
  readonly json?: boolean;
  /** KEY=VALUE file added to the environment for `${VAR}` and hash keys. */
  readonly envFile?: string;
  /** OTLP/JSON records the app sends: warn where a column's type does not fit their values. */
  readonly sample?: string;
  /**
   * Unset variables the exporter needs (endpoint, DCR id, hash keys) are errors, not warnings:
   * for CI that checks the environment a deployment will run with. Default off.
   */
  readonly requireEnv?: boolean;
}

/** Enough records to see what an app sends, without holding a large file in memory. */
const MAX_SAMPLES = 10_000;

export async function validateCommand(mapping: string, options: ValidateOptions, io: CliIo): Promise<number> {
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  const file = resolve(io.cwd, mapping);
  let samples: LogRecordLike[] | undefined;
  try {
    samples = options.sample === undefined ? undefined : await readSamples(options.sample, io);
  } catch (error) {
    if (!(error instanceof NotOtlpError)) throw error;
    await write(io.stderr, error.report());
    return 1;
  }
  const { result, unset } = await loadChecked(file, env, samples);
  // Problems name the file as the user wrote it, so editors and CI can find it (those from a
  // preset the file extends keep naming the preset).
  const named = result.problems.map((p) => (p.file === file ? { ...p, file: mapping } : p));
  const problems = options.requireEnv === true ? requiringEnv(named) : named;
  const config = problems.some((p) => p.severity === 'error') ? undefined : result.config;
  if (options.json === true) {
    await write(io.stdout, `${JSON.stringify(jsonReport(config, problems), null, 2)}\n`);
    return config ? 0 : 1;
  }
  if (!config) {
    await write(io.stderr, renderProblems(problems, styleFor(io.stderr, io.env)));
    return 1;
  }
  await write(io.stdout, renderValidSummary(config, mapping, problems, styleFor(io.stdout, io.env)));
  if (unset.length > 0) await write(io.stderr, envWarning(unset, styleFor(io.stderr, io.env)));
  return 0;
}

/** The one line that says the file is fine but the environment is not ready for the exporter. */
function envWarning(unset: readonly string[], style: Style): string {
  const [verb, them] = unset.length === 1 ? ['is', 'it'] : ['are', 'them'];
  return `${style.yellow('otel-sentinel: warning:')} the mapping is valid, but ${unset.join(', ')} ${verb} not set, and the exporter and the gateway refuse to start without ${them}: set ${them} (in the environment or an --env-file) where those run; --require-env makes this an error\n`;
}

/**
 * Loads the mapping; when it has a DCR transform, loads it again with `@otel-sentinel/kql`'s
 * transform checker, so transform problems are reported at their file:line:col. The checker (Microsoft's KQL parser)
 * is loaded only then: most mappings have no transform, and validate stays fast for them.
 */
async function loadChecked(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  samples: readonly LogRecordLike[] | undefined,
): Promise<DeferredLoad> {
  const first = loadBeforeDeployment(file, { env, ...(samples !== undefined ? { samples } : {}) });
  if (!hasTransform(first.result, file)) return first;
  const { checkTransformKql } = await import('@otel-sentinel/kql');
  return loadBeforeDeployment(file, {
    env,
    checkTransform: checkTransformKql,
    ...(samples !== undefined ? { samples } : {}),
  });
}

/** The first `MAX_SAMPLES` records of an OTLP/JSON file (`-`: standard input). */
async function readSamples(input: string, io: CliIo): Promise<LogRecordLike[]> {
  const out: LogRecordLike[] = [];
  try {
    for await (const records of readRequests(input, io)) {
      for (const r of records) if (out.length < MAX_SAMPLES) out.push(r);
      if (out.length >= MAX_SAMPLES) break;
    }
  } catch (error) {
    if (error instanceof OtlpJsonError)
      throw new CliError('E_OTLP_JSON', `--sample ${input}: ${error.message}`, { cause: error });
    throw error;
  }
  return out;
}

/** Whether a stream gives a transformKql; for a mapping with errors, whether the text names one. */
function hasTransform(result: ValidationResult, file: string): boolean {
  if (result.config) return result.config.streams.some((s) => s.transformKql !== undefined);
  try {
    return readFileSync(file, 'utf8').includes('transformKql');
  } catch {
    return false;
  }
}

function jsonReport(config: MappingConfig | undefined, problems: readonly MappingProblem[]): unknown {
  return {
    valid: config !== undefined,
    problems,
    streams: (config?.streams ?? []).map((s) => ({
      stream: s.stream,
      table: s.table,
      // null: the variable is not set yet (a warning, or an error with --require-env, says which).
      endpoint: isPlaceholder(s.endpoint) ? null : s.endpoint,
      dcrImmutableId: isPlaceholder(s.dcrImmutableId) ? null : s.dcrImmutableId,
      columns: tableSchema(s).columns,
      declaration: streamDeclaration(s).columns,
    })),
  };
}
