// `otel-sentinel init --sample <event.json>`: a starter mapping inferred from sample events,
// checked against the validator before anyone sees it.

import {
  InferError,
  inferMapping,
  parseMapping,
  parseSampleText,
  renderMappingYaml,
} from '@otel-sentinel/mapping';
import type { MappingConfig } from '@otel-sentinel/mapping';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadEnv } from '../env-file.js';
import type { Env } from '../env-file.js';
import { CliError, fsReason } from '../errors.js';
import type { CliIo } from '../io.js';
import { styleFor, write } from '../output.js';
import { renderProblems } from '../render/problems.js';
import { schemaPathFor } from '../schema-path.js';

export interface InitOptions {
  /** Sample event file: a JSON object, an array of them, JSON lines, or OTLP/JSON. */
  readonly sample: string;
  /** Destination table; default chosen by the inference (`SecurityEvents_CL`). */
  readonly table?: string;
  /** DCR input stream; default `Custom-` plus the table name without `_CL`. */
  readonly stream?: string;
  /** Output file; default stdout. */
  readonly out?: string;
  /** Overwrite `--out` when it exists. */
  readonly force?: boolean;
  readonly envFile?: string;
}

/** Stand-ins for the self-check only; the user's own values win when set. */
const PLACEHOLDERS: Env = {
  SENTINEL_DCE_ENDPOINT: 'https://placeholder.westeurope-1.ingest.monitor.azure.com',
  SENTINEL_DCR_IMMUTABLE_ID: 'dcr-00000000000000000000000000000000',
  OTEL_SENTINEL_HASH_KEY: 'placeholder-key-for-the-init-self-check',
};

export async function initCommand(options: InitOptions, io: CliIo): Promise<number> {
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  const outFile = options.out === undefined ? undefined : resolve(io.cwd, options.out);
  const samples = parseSamples(await readSample(options.sample, io.cwd), options.sample);
  const inferred = infer(samples, options);
  const yaml = renderMappingYaml(inferred, { schemaPath: schemaPathFor(outFile) });
  const config = await selfCheck(yaml, env, io);

  if (outFile === undefined) await write(io.stdout, yaml);
  else await writeOut(outFile, yaml, options);

  const style = styleFor(io.stderr, io.env);
  const lines = inferred.notes.map((n) => `${style.dim('note:')} ${n}`);
  lines.push('', ...nextSteps(yaml, config, env, options.out));
  await write(io.stderr, `${lines.join('\n')}\n`);
  return 0;
}

async function readSample(sample: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, sample), 'utf8');
  } catch (error) {
    throw new CliError('E_SAMPLE', `cannot read sample ${sample}: ${fsReason(error)}`, { cause: error });
  }
}

function parseSamples(text: string, sample: string): unknown[] {
  try {
    return parseSampleText(text);
  } catch (error) {
    if (error instanceof InferError)
      throw new CliError('E_SAMPLE', `sample ${sample}: ${error.message}`, { cause: error });
    throw error;
  }
}

function infer(samples: readonly unknown[], options: InitOptions): ReturnType<typeof inferMapping> {
  try {
    return inferMapping(samples, { table: options.table, stream: options.stream });
  } catch (error) {
    if (error instanceof InferError) throw new CliError('E_INFER', error.message, { cause: error });
    throw error;
  }
}

/** The generated text must validate; if it does not, that is our bug and we say so loudly. */
async function selfCheck(yaml: string, env: Env, io: CliIo): Promise<MappingConfig> {
  const result = parseMapping(yaml, { env: withPlaceholders(env), fileName: '<generated mapping>' });
  if (result.config) return result.config;
  await write(io.stderr, renderProblems(result.problems, styleFor(io.stderr, io.env)));
  throw new CliError(
    'E_INIT_SELF_CHECK',
    'the generated mapping does not validate (problems above). Unless they come from your environment variables, this is a bug in otel-sentinel: please report it with the sample. Nothing was written.',
  );
}

function withPlaceholders(env: Env): Env {
  const merged: Record<string, string | undefined> = { ...PLACEHOLDERS };
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && value !== '') merged[key] = value;
  return merged;
}

async function writeOut(outFile: string, yaml: string, options: InitOptions): Promise<void> {
  const shown = options.out ?? outFile;
  try {
    await writeFile(outFile, yaml, { flag: options.force === true ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliError('E_OUT_EXISTS', `${shown} already exists; pass --force to overwrite it`, {
        cause: error,
      });
    }
    throw new CliError('E_OUT', `cannot write ${shown}: ${fsReason(error)}`, { cause: error });
  }
}

/** The variables the mapping reads, and the command to run next. */
function nextSteps(yaml: string, config: MappingConfig, env: Env, out: string | undefined): string[] {
  const names = new Set<string>();
  for (const m of yaml.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) if (m[1] !== undefined) names.add(m[1]);
  for (const s of config.streams)
    for (const c of s.columns)
      for (const t of c.transforms) if (t.kind === 'hmac-sha256') names.add(t.keyEnv);
  const unset = [...names].filter((n) => env[n] === undefined || env[n] === '');
  const lines: string[] = [];
  if (unset.length > 0)
    lines.push(`Set ${unset.join(', ')} (in the environment or a file for --env-file), then run:`);
  else lines.push('Then run:');
  lines.push(`  otel-sentinel validate ${out ?? '<the file you saved it to>'}`);
  return lines;
}
