// `otel-sentinel replay <spool-dir>`: sends again, through the exporter's own delivery pipeline,
// the rows an exporter or gateway spooled (they could not be delivered at the time) and the rows
// processes that ended left in their write-ahead queue. Delivered rows leave the store; rows
// still refused stay, so the command is safe to run again. It also says what processes that
// crashed held in memory only: lost, and the only place that can tell.

import { resolve } from 'node:path';
import type { ReplayResult } from '@otel-sentinel/exporter';
import { loadEnv } from '../env-file.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { write } from '../output.js';

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
}

type EndedOwner = ReplayResult['endedOwners'][number];

/** Exit code when some entries could not be sent and stay in the spool. */
export const EXIT_LEFT_IN_SPOOL = 3;

export async function replayCommand(
  directory: string,
  options: ReplayCommandOptions,
  io: CliIo,
): Promise<number> {
  const env = await loadEnv(options.envFile, io.env, io.cwd);
  // The Azure credential reads AZURE_* from the process environment; the file fills the gaps.
  for (const [k, v] of Object.entries(env))
    if (process.env[k] === undefined && v !== undefined) process.env[k] = v;
  const minAgeSeconds = options.minAge === undefined ? 0 : Number(options.minAge);
  if (!Number.isFinite(minAgeSeconds) || minAgeSeconds < 0) {
    await write(
      io.stderr,
      `otel-sentinel: --min-age must be a number of seconds ≥ 0, got "${options.minAge ?? ''}"\n`,
    );
    return 1;
  }
  const audience = options.audience ?? env.OTEL_SENTINEL_AUDIENCE;
  // Loaded here, not at start-up: the exporter brings the Azure SDK, which the other commands
  // do not need.
  const { ReplayError, replayToSentinel, SpoolConfigError } = await import('@otel-sentinel/exporter');
  let result: ReplayResult;
  try {
    result = await replayToSentinel({
      directory: resolve(io.cwd, directory),
      minAgeMs: minAgeSeconds * 1000,
      ...(options.dryRun === true ? { dryRun: true } : {}),
      ...(options.includeRejected === true
        ? { reasons: ['permanent', 'retries-exhausted', 'queue-full', 'shutdown', 'rejected'] as const }
        : {}),
      ...(audience !== undefined && audience !== '' ? { audience } : {}),
    });
  } catch (error) {
    // The spool's own errors (unreadable directory, bad options) say what to do: show them as is.
    if (error instanceof ReplayError || error instanceof SpoolConfigError) {
      throw new CliError(error.code, error.message, { cause: error });
    }
    throw error;
  }
  await write(io.stderr, summary(result, options.dryRun === true));
  const left = result.failed + result.malformed;
  return left > 0 ? EXIT_LEFT_IN_SPOOL : 0;
}

function summary(r: ReplayResult, dryRun: boolean): string {
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
  for (const [stream, c] of Object.entries(r.perStream))
    lines.push(`    ${stream}: ${c.delivered} delivered, ${c.failed} failed of ${c.entries}`);
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
