// `otel-sentinel init --sample <event.json>`: a starter mapping inferred from sample events;
// `otel-sentinel init --preset owasp`: a ready mapping that extends (or, with --expand, copies) a
// shipped preset. Either is checked against the validator before anyone sees it.

import {
  InferError,
  inferMapping,
  parseMapping,
  parseSampleText,
  PRESET_NAMES,
  renderMappingYaml,
  renderPresetMapping,
} from '@otel-sentinel/mapping';
import type { MappingConfig, PresetName } from '@otel-sentinel/mapping';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadEnv } from '../env-file.js';
import type { Env } from '../env-file.js';
import { CliError, fsReason } from '../errors.js';
import type { CliIo } from '../io.js';
import { styleFor, write } from '../output.js';
import { renderProblems } from '../render/problems.js';
import { schemaReferenceFor } from '../schema-path.js';

export interface InitOptions {
  /** Sample event file: a JSON object, an array of them, JSON lines, or OTLP/JSON. */
  readonly sample?: string;
  /** A shipped preset to start from instead of a sample, e.g. `owasp`. */
  readonly preset?: string;
  /** With `preset`: write the preset's streams into the file instead of `extends:`. */
  readonly expand?: boolean;
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

/** Where the mapping comes from: sample events to infer it from, or a preset. */
type Start = { readonly sample: string } | { readonly preset: PresetName };

export async function initCommand(options: InitOptions, io: CliIo): Promise<number> {
  const start = startFrom(options);
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  const outFile = options.out === undefined ? undefined : resolve(io.cwd, options.out);
  const schema = schemaReferenceFor(outFile, io.cwd);
  const schemaPath = schema.path;
  let yaml: string;
  let notes: readonly string[];
  if ('sample' in start) {
    const samples = parseSamples(await readSample(start.sample, io.cwd), start.sample);
    const inferred = infer(samples, options);
    yaml = renderMappingYaml(inferred, { schemaPath });
    notes = inferred.notes;
  } else {
    yaml = renderPresetMapping(start.preset, { expand: options.expand, schemaPath });
    notes = [];
  }
  const config = await selfCheck(yaml, env, io, start);

  if (outFile === undefined) await write(io.stdout, yaml);
  else await writeOut(outFile, yaml, options);

  const style = styleFor(io.stderr, io.env);
  const lines = [
    ...notes,
    ...('preset' in start ? presetNotes(start.preset, config) : []),
    ...(schema.note !== undefined ? [schema.note] : []),
  ].map((n) => `${style.dim('note:')} ${n}`);
  lines.push('', ...nextSteps(yaml, config, env, options.out));
  await write(io.stderr, `${lines.join('\n')}\n`);
  return 0;
}

/** Exactly one of --sample and --preset; the other flags only where they mean something. */
function startFrom(options: InitOptions): Start {
  const { sample, preset } = options;
  if (sample !== undefined && preset !== undefined)
    throw new CliError(
      'E_USAGE',
      'give --sample or --preset, not both: they are two ways to start a mapping',
    );
  if (options.expand === true && preset === undefined)
    throw new CliError(
      'E_USAGE',
      "--expand goes with --preset: it writes the preset's streams into the file",
    );
  if (sample !== undefined) return { sample };
  if (preset === undefined)
    throw new CliError(
      'E_USAGE',
      `give --sample <file> to infer a mapping from sample events, or --preset <name> to start from a preset (${PRESET_NAMES.join(', ')})`,
    );
  if (!isPresetName(preset))
    throw new CliError('E_USAGE', `unknown preset "${preset}"; the presets are: ${PRESET_NAMES.join(', ')}`);
  const flag =
    options.table !== undefined ? '--table' : options.stream !== undefined ? '--stream' : undefined;
  if (flag !== undefined)
    throw new CliError(
      'E_USAGE',
      `${flag} goes with --sample; the ${preset} preset names its own streams and tables (use --expand to write them out and edit them)`,
    );
  return { preset };
}

function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** What the preset sets up, from the validated mapping. */
function presetNotes(preset: PresetName, config: MappingConfig): string[] {
  return config.streams.map(
    (s) =>
      `The ${preset} preset sends ${s.match === undefined ? 'every security record' : 'the security records its match takes'} to ${s.table} (stream ${s.stream}, ${s.columns.length} columns).`,
  );
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
async function selfCheck(yaml: string, env: Env, io: CliIo, start: Start): Promise<MappingConfig> {
  const result = parseMapping(yaml, { env: withPlaceholders(env), fileName: '<generated mapping>' });
  if (result.config) return result.config;
  await write(io.stderr, renderProblems(result.problems, styleFor(io.stderr, io.env)));
  const input = 'sample' in start ? 'the sample' : 'the command line';
  throw new CliError(
    'E_INIT_SELF_CHECK',
    `the generated mapping does not validate (problems above). Unless they come from your environment variables, this is a bug in otel-sentinel: please report it with ${input}. Nothing was written.`,
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
  const lines = ['Then run:', `  otel-sentinel validate ${out ?? '<the file you saved it to>'}`];
  // validate and map only warn about them; the exporter and the gateway refuse to start without.
  if (unset.length > 0)
    lines.push(
      `Set ${unset.join(', ')} (in the environment or a file for --env-file) where the exporter or the gateway runs: they refuse to start without ${unset.length === 1 ? 'it' : 'them'}, and validate warns until then.`,
    );
  return lines;
}
