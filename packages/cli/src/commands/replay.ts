// `otel-sentinel replay <spool-dir>`: sends again, through the exporter's own delivery pipeline,
// the rows an exporter or gateway spooled (they could not be delivered at the time) and the rows
// processes that ended left in their write-ahead queue. Delivered rows leave the store; rows
// still refused stay, so the command is safe to run again. It also says what processes that
// crashed held in memory only: lost, and the only place that can tell.

import { resolve } from 'node:path';
import type { ReplayRouteError, ReplayToSentinelResult, TargetFields } from '@otel-sentinel/exporter';
import { loadEnv } from '../env-file.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { write } from '../output.js';
import { failureLines, redirectLines, spooledLines, stopLine } from '../render/replay-reasons.js';

export interface ReplayCommandOptions {
  readonly dryRun?: boolean;
  /**
   * Spool files of versions before the store (`*.jsonl`) modified within this many seconds are
   * left alone (an older exporter may still append to them). The store needs no such care.
   */
  readonly minAge?: string;
  /** Also send entries the mapping rejected (after the mapping was fixed). */
  readonly includeRejected?: boolean;
  readonly audience?: string;
  readonly envFile?: string;
  /** Send the selected rows to this ingestion endpoint, DCR or stream instead of their own. */
  readonly endpoint?: string;
  readonly dcrImmutableId?: string;
  readonly stream?: string;
  /** Only replay rows spooled for this endpoint, DCR or stream. */
  readonly fromEndpoint?: string;
  readonly fromDcrImmutableId?: string;
  readonly fromStream?: string;
}

type EndedOwner = ReplayToSentinelResult['endedOwners'][number];

/** Exit code when some entries could not be sent and stay in the spool. */
export const EXIT_LEFT_IN_SPOOL = 3;
/** Exit code when Entra ID or the ingestion endpoint gave no answer: replay stopped, nothing was lost. */
export const EXIT_UNREACHABLE = 4;

/** The flag that selects by each field, for messages. */
const FROM_FLAG = {
  endpoint: '--from-endpoint',
  dcrImmutableId: '--from-dcr-immutable-id',
  stream: '--from-stream',
} as const;
const TO_FLAG = { endpoint: '--endpoint', dcrImmutableId: '--dcr-immutable-id', stream: '--stream' } as const;

export async function replayCommand(
  directory: string,
  options: ReplayCommandOptions,
  io: CliIo,
): Promise<number> {
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  // The Azure credential reads AZURE_* from the process environment; the file fills the gaps.
  for (const [k, v] of Object.entries(env))
    if (process.env[k] === undefined && v !== undefined) process.env[k] = v;
  const minAgeSeconds = secondsOf(options.minAge);
  if (minAgeSeconds === undefined) {
    await write(
      io.stderr,
      `otel-sentinel: --min-age must be a number of seconds ≥ 0, got "${options.minAge ?? ''}"\n`,
    );
    return 1;
  }
  const audience = options.audience ?? env.OTEL_SENTINEL_AUDIENCE;
  checkEndpointFlags(options);
  const from = fields(options.fromEndpoint, options.fromDcrImmutableId, options.fromStream);
  const to = fields(options.endpoint, options.dcrImmutableId, options.stream);
  // Loaded here, not at start-up: the exporter brings the Azure SDK, which the other commands
  // do not need.
  const {
    ConfigError,
    ReplayError,
    ReplayRouteError: RouteError,
    replayToSentinel,
  } = await import('@otel-sentinel/exporter');
  let result: ReplayToSentinelResult;
  try {
    result = await replayToSentinel({
      directory: resolve(io.cwd, directory),
      minAgeMs: minAgeSeconds * 1000,
      ...selectionOptions(options, audience, from, to),
    });
  } catch (error) {
    if (error instanceof RouteError) throw routeError(error, to ?? {});
    // The spool's own errors (unreadable directory, bad options) say what to do: show them as is.
    if (error instanceof ReplayError || error instanceof ConfigError) {
      throw new CliError(error.code, error.message, { cause: error });
    }
    throw error;
  }
  await write(io.stderr, summary(result, options.dryRun === true));
  if (result.stopped !== undefined) {
    await write(io.stderr, `otel-sentinel: ${stopLine(result.stopped, result.entries - result.delivered)}\n`);
    return EXIT_UNREACHABLE;
  }
  const left = result.failed + result.malformed;
  return left > 0 ? EXIT_LEFT_IN_SPOOL : 0;
}

/** --min-age as seconds (0 when not given), or undefined when it is not a number ≥ 0. */
function secondsOf(minAge: string | undefined): number | undefined {
  const seconds = minAge === undefined ? 0 : Number(minAge);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** --endpoint and --from-endpoint must be https:// URLs. */
function checkEndpointFlags(options: ReplayCommandOptions): void {
  for (const url of [options.endpoint, options.fromEndpoint])
    if (url !== undefined && !(URL.canParse(url) && new URL(url).protocol === 'https:')) {
      const flag = url === options.endpoint ? '--endpoint' : '--from-endpoint';
      throw new CliError('E_USAGE', `${flag} must be an https:// URL, got "${url}"`);
    }
}

/** What to replay and where to: dry run, rejected entries too, audience, and the from/to fields. */
function selectionOptions(
  options: ReplayCommandOptions,
  audience: string | undefined,
  from: TargetFields | undefined,
  to: TargetFields | undefined,
): {
  dryRun?: true;
  reasons?: readonly ['permanent', 'retries-exhausted', 'queue-full', 'shutdown', 'rejected'];
  audience?: string;
  from?: TargetFields;
  to?: TargetFields;
} {
  return {
    ...(options.dryRun === true ? { dryRun: true } : {}),
    ...(options.includeRejected === true
      ? { reasons: ['permanent', 'retries-exhausted', 'queue-full', 'shutdown', 'rejected'] as const }
      : {}),
    ...(audience !== undefined && audience !== '' ? { audience } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

function fields(endpoint?: string, dcrImmutableId?: string, stream?: string): TargetFields | undefined {
  if (endpoint === undefined && dcrImmutableId === undefined && stream === undefined) return undefined;
  return {
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(dcrImmutableId !== undefined ? { dcrImmutableId } : {}),
    ...(stream !== undefined ? { stream } : {}),
  };
}

/** `--stream would send rows of 2 streams (…) to one: pick one with --from-stream`. */
function routeError(error: ReplayRouteError, to: TargetFields): CliError {
  const values = error.values.map((v) => `${v.value}: ${v.entries} row(s)`).join(', ');
  const first = error.values[0]?.value ?? '';
  return new CliError(
    error.code,
    `${TO_FLAG[error.field]} ${to[error.field] ?? ''} would take rows of ${error.values.length} different ` +
      `${error.field} values (${values}); nothing was sent. Replay one at a time: add ${FROM_FLAG[error.field]} ${first}`,
    { cause: error },
  );
}

function summary(r: ReplayToSentinelResult, dryRun: boolean): string {
  const lines = [`replay${dryRun ? ' (dry run: nothing sent, nothing changed, nothing taken over)' : ''}:`];
  lines.push(
    `  ${(dryRun ? 'would take over' : 'taken over').padEnd(25)}${r.takenOver} row(s) left by ended processes`,
  );
  for (const o of r.endedOwners.filter((e) => e.rows > 0)) lines.push(`    ${who(o)}: ${o.rows} row(s)`);
  if (r.files + r.filesSkipped > 0) {
    const skipped = r.filesSkipped > 0 ? `; ${r.filesSkipped} left alone: modified within --min-age` : '';
    lines.push(`  legacy spool files       ${r.files} read, ${r.imported} entries imported${skipped}`);
  }
  lines.push(
    `  entries                  ${r.entries}`,
    `  delivered and removed    ${r.delivered}`,
    `  failed, kept             ${r.failed}`,
    `  held (rejected/unrouted) ${r.held}`,
    `  malformed lines, kept    ${r.malformed}${r.malformedFiles.length > 0 ? ` in ${r.malformedFiles.join(', ')}` : ''}`,
  );
  if (dryRun) lines.push(`  would send               ${r.unsent}`);
  if (r.skipped > 0) lines.push(`  not selected, left       ${r.skipped}`);
  for (const [stream, c] of Object.entries(r.perStream))
    lines.push(
      dryRun
        ? `    ${stream}: ${c.entries} to send`
        : `    ${stream}: ${c.delivered} delivered, ${c.failed} failed of ${c.entries}`,
    );
  lines.push(
    ...redirectLines(r.redirected, dryRun),
    ...spooledLines(r.spooledBecause, dryRun),
    ...failureLines(r.failures),
  );
  const crashed = r.endedOwners.filter((o) => !o.clean && o.heldInMemory > 0);
  if (crashed.length > 0) {
    lines.push(
      `  lost in memory           ${r.lostInMemory} record(s) held in memory only by processes that crashed:`,
    );
    for (const o of crashed)
      lines.push(`    ${who(o)}: about ${o.heldInMemory} record(s) (durability 'memory')`);
  }
  if (r.held > 0)
    lines.push(
      '  held entries are records the mapping refused; fix the mapping, then run with --include-rejected',
    );
  return `${lines.join('\n')}\n`;
}

/** `exporter pid 4242 on web-1, crashed or killed (last seen 2026-03-14T09:26:53.589Z)`. */
function who(o: EndedOwner): string {
  const how = o.clean ? 'stopped' : 'crashed or killed';
  return `${o.role} pid ${o.pid} on ${o.host}, ${how} (last seen ${new Date(o.lastSeenAt).toISOString()})`;
}
