// `otel-sentinel map <mapping>`: a dry run. OTLP/JSON in, one JSON line per row out, rejects
// beside, counts on stderr. Nothing is sent anywhere.

import { compileMapping, OtlpJsonError } from '@otel-sentinel/mapping';
import type { CompiledMapping, MappingConfig, MappingProblem } from '@otel-sentinel/mapping';
import { resolve } from 'node:path';
import { loadBeforeDeployment } from '../deployment-variables.js';
import { loadEnv } from '../env-file.js';
import type { Env } from '../env-file.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { LineWriter, styleFor, write } from '../output.js';
import { NotOtlpError, readRequests } from '../read-input.js';
import { rejectLine } from '../reject-line.js';
import { openRejects } from '../rejects-sink.js';
import { renderMapSummary } from '../render/map-summary.js';
import { problemLine, renderProblems } from '../render/problems.js';

export interface MapOptions {
  /** OTLP/JSON file, or `-` for standard input (the default). */
  readonly input?: string;
  /** File for rejected and unrouted records; default stderr. */
  readonly rejects?: string;
  /** Indent each row. */
  readonly pretty?: boolean;
  /** Exit 2 when any record was rejected or unrouted. */
  readonly failOnReject?: boolean;
  readonly envFile?: string;
}

/** Exit code when `--fail-on-reject` is given and a record produced no row. */
export const EXIT_REJECTED = 2;

export async function mapCommand(mapping: string, options: MapOptions, io: CliIo): Promise<number> {
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  const config = await loadOrReport(mapping, env, io);
  if (config === undefined) return 1;
  const compiled = compileMapping(config, { env, missingHashKey: 'ephemeral' });
  if (compiled.ephemeralHashKeys.length > 0) {
    const keys = compiled.ephemeralHashKeys;
    const names = `${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'} not set`;
    await write(
      io.stderr,
      `otel-sentinel: warning: ${names}; this dry run hashes with a random key, so hashed values will not match production\n`,
    );
  }
  const input = options.input ?? '-';
  const rejects = await openRejects(options.rejects, io.stderr, io.cwd);
  try {
    await mapRecords(input, compiled, options.pretty === true, io, rejects.lines);
  } catch (error) {
    // The expected shape takes a few lines: the usual one-line error would hide it.
    if (!(error instanceof NotOtlpError)) throw error;
    await write(io.stderr, error.report());
    return 1;
  } finally {
    await rejects.close();
  }
  const stats = compiled.stats();
  await write(io.stderr, renderMapSummary(compiled, stats));
  return options.failOnReject === true && stats.rejected + stats.unrouted > 0 ? EXIT_REJECTED : 0;
}

/** The config, or undefined after printing the errors. Warnings go to stderr and the run goes on. */
async function loadOrReport(mapping: string, env: Env, io: CliIo): Promise<MappingConfig | undefined> {
  const file = resolve(io.cwd, mapping);
  // A dry run sends nothing: an unset endpoint or DCR id is a warning here, as in validate.
  const { result } = loadBeforeDeployment(file, { env });
  const problems: MappingProblem[] = result.problems.map((p) =>
    p.file === file ? { ...p, file: mapping } : p,
  );
  const style = styleFor(io.stderr, io.env);
  if (!result.config) {
    await write(io.stderr, renderProblems(problems, style));
    return undefined;
  }
  // The hash-key warning is replaced by the dry run's own note about a random key.
  const warnings = problems.filter((p) => p.severity === 'warning' && p.code !== 'W_HASH_KEY_UNSET');
  if (warnings.length > 0)
    await write(io.stderr, `${warnings.map((p) => problemLine(p, style)).join('\n')}\n`);
  return result.config;
}

async function mapRecords(
  input: string,
  compiled: CompiledMapping,
  pretty: boolean,
  io: CliIo,
  rejects: LineWriter,
): Promise<void> {
  const rows = new LineWriter(io.stdout);
  const indent = pretty ? 2 : undefined;
  let index = 0;
  try {
    for await (const records of readRequests(input, io)) {
      for (const record of records) {
        const outcome = compiled.map(record);
        if (outcome.status === 'mapped') {
          const { stream, table } = outcome.stream;
          await rows.line(JSON.stringify({ stream, table, row: outcome.row }, null, indent));
        } else if (outcome.status !== 'skipped') {
          await rejects.line(rejectLine(index, record, outcome.reason));
        }
        index++;
      }
    }
  } catch (error) {
    if (error instanceof OtlpJsonError) {
      throw new CliError('E_OTLP_JSON', `${input === '-' ? 'standard input' : input}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    await rows.flush();
  }
}
