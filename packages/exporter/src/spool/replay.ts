// `replaySpool`: sends again what the spool directory's store holds. Replay is an owner of the
// store like a pipeline: opening it takes over the queues of processes that ended (a crashed or
// stopped app's rows), which are sent first; then legacy JSON-lines files are imported, and the
// spool is sent a page at a time. A page is claimed (marked as replay's in one
// statement, with its time, reason and detail kept), sent per group of one target, and settled:
// delivered entries are deleted, the others put back unchanged. A replay that dies at any point
// leaves its claims under an ended owner; the next start puts them back. Delivery is at least once.

import { OtelSentinelError } from '@otel-sentinel/mapping/errors';
import { stat } from 'node:fs/promises';
import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import { SqliteDeliveryStore } from '../store/sqlite-delivery-store.ts';
import type { AdoptionReport } from '../store/store-types.ts';
import { countMalformed, importLegacyFiles } from './legacy-import.ts';
import { ReplayCounts } from './replay-counts.ts';
import type { ReplayConfig, ReplayOptions, ReplayResult } from './replay-options.ts';
import { resolveReplayOptions } from './replay-options.ts';
import { previewReplay } from './replay-preview.ts';
import { ReplayRouteError, storedTargets } from './replay-route.ts';
import { systemCodeOf } from './spool-errors.ts';
import { undeliveredIndexes } from './undelivered-rows.ts';

export type {
  RedirectedEntries,
  ReplayOptions,
  ReplayResult,
  SpooledBecause,
  StreamReplayCounts,
} from './replay-options.ts';
export { REPLAYABLE_REASONS } from './replay-options.ts';

/** Replay could not open, read or write the store or a spool file; `result` says what was done until then. */
export class ReplayError extends OtelSentinelError {
  declare readonly code: 'E_SPOOL_REPLAY';
  declare readonly path: string;
  readonly result: ReplayResult;

  constructor(path: string, cause: unknown, result: ReplayResult) {
    const reason = systemCodeOf(cause) ?? (cause instanceof Error ? cause.message : String(cause));
    super(
      'E_SPOOL_REPLAY',
      `replay stopped at ${path}: ${reason}; check that the path is the spool directory and that ` +
        'this user may read and write it, then run replay again (delivered entries are already removed)',
      { cause, path },
    );
    this.result = result;
  }
}

/** An entry on its way: from replay's queue (taken over or claimed). */
interface Outgoing {
  readonly id: number;
  readonly target: StreamTarget;
  readonly row: Row;
  /** Why it was spooled; absent for rows taken over from a queue. */
  readonly reason?: UndeliveredReason;
  readonly detail?: string;
}

/** An entry the route took, with the target it goes to. */
interface Routed extends Outgoing {
  readonly to: StreamTarget;
}

/** How a page ended: ids delivered, offered and failed, and not offered (after an abort). */
interface Settled {
  readonly delivered: number[];
  readonly failed: number[];
  readonly unsent: number[];
}

export async function replaySpool(options: ReplayOptions): Promise<ReplayResult> {
  let config = resolveReplayOptions(options);
  const counts = new ReplayCounts();
  try {
    if (!(await stat(config.directory)).isDirectory())
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    // A redirect is refused before anything is sent when the entries it takes differ in a field it replaces.
    if (config.route.redirects)
      config = {
        ...config,
        route: config.route.pinned(storedTargets(config.directory, config.prefix, config.reasons)),
      };
  } catch (error) {
    if (error instanceof ReplayRouteError) throw error;
    throw new ReplayError(config.directory, error, counts.result());
  }
  if (config.dryRun) return previewReplay(config, counts);
  if (config.signal?.aborted === true) {
    counts.aborted = true;
    return counts.result();
  }
  const store = new SqliteDeliveryStore({
    directory: config.directory,
    prefix: config.prefix,
    role: 'replay',
    durability: 'disk',
  });
  let report: AdoptionReport;
  try {
    report = await store.open();
  } catch (error) {
    throw new ReplayError(store.path, error, counts.result());
  }
  // Processes that end while replay runs: their rows are sent in the second round below.
  const later: AdoptionReport[] = [];
  store.onAdopted((r) => later.push(r));
  counts.tookOver(report);
  try {
    await sendTakenOver(store, config, counts);
    if (!counts.aborted) await importLegacyFiles(store, config, counts);
    const reached = await sendSpooled(store, config, counts);
    if (!counts.aborted) {
      for (const r of later.splice(0)) counts.tookOver(r);
      await sendTakenOver(store, config, counts);
    }
    await countLeft(store, config, counts, reached);
    await countMalformed(config.directory, config.prefix, counts);
    if (!counts.aborted) await store.request({ op: 'vacuum' });
  } catch (error) {
    throw new ReplayError(store.path, error, counts.result());
  } finally {
    // Ended: what is left in replay's queue (rows that failed again) is the next start's at once.
    await store.close({ ended: true });
  }
  return counts.result();
}

/** Rows taken over from ended processes: delivered ones deleted, the rest stay in the queue. */
async function sendTakenOver(
  store: SqliteDeliveryStore,
  config: ReplayConfig,
  counts: ReplayCounts,
): Promise<void> {
  for (;;) {
    const page = await store.takeAdopted(config.batchSize);
    if (page.length === 0) return;
    const settled = await sendPage(page, config, counts);
    await store.remove(settled.delivered);
    if (counts.aborted) return;
  }
}

/** The spool, a claimed page at a time, oldest first. Returns the last id claimed. */
async function sendSpooled(
  store: SqliteDeliveryStore,
  config: ReplayConfig,
  counts: ReplayCounts,
): Promise<number> {
  const reasons = [...config.reasons];
  let after = 0;
  while (!counts.aborted) {
    if (config.signal?.aborted === true) {
      counts.aborted = true;
      break;
    }
    const page = await store.claim(after, config.batchSize, reasons);
    if (!Array.isArray(page)) throw page;
    const last = page.at(-1);
    if (last === undefined) break;
    after = last.id;
    const settled = await sendPage(page, config, counts);
    await Promise.all([
      store.removeClaimed(settled.delivered),
      store.unclaim([...settled.failed, ...settled.unsent]),
    ]);
  }
  return after;
}

/**
 * Offers a page group by group (consecutive entries of one destination), stopping on abort.
 * Entries the route does not take are left as they are (`unsent` in the settlement, `skipped` in the counts).
 */
async function sendPage(
  page: readonly Outgoing[],
  config: ReplayConfig,
  counts: ReplayCounts,
): Promise<Settled> {
  const settled: Settled = { delivered: [], failed: [], unsent: [] };
  const routed: Routed[] = [];
  for (const e of page) {
    counts.entries++;
    const to = config.route.admit(e.target);
    if (to === undefined) {
      counts.skipped++;
      settled.unsent.push(e.id);
      continue;
    }
    counts.stream(to).entries++;
    counts.redirected(e.target, to);
    if (e.reason !== undefined) counts.spooledBecause(e.target, e.reason, e.detail);
    routed.push({ ...e, to });
  }
  for (let start = 0; start < routed.length;) {
    const target = routed[start]?.to;
    let end = start;
    while (end < routed.length && sameTarget(routed[end]?.to, target)) end++;
    const group = routed.slice(start, end);
    start = end;
    if (config.signal?.aborted === true) counts.aborted = true;
    if (counts.aborted) {
      counts.unsent += group.length;
      settled.unsent.push(...group.map((e) => e.id));
      continue;
    }
    counts.batches++;
    const undelivered = await deliverGroup(group, config, counts);
    group.forEach((e, i) => {
      const stream = counts.stream(e.to);
      if (undelivered === 'all' || undelivered.has(i)) {
        stream.failed++;
        counts.failed++;
        settled.failed.push(e.id);
      } else {
        stream.delivered++;
        counts.delivered++;
        settled.delivered.push(e.id);
      }
    });
  }
  return settled;
}

async function deliverGroup(
  group: readonly Routed[],
  config: ReplayConfig,
  counts: ReplayCounts,
): Promise<ReadonlySet<number> | 'all'> {
  const target = group[0]?.to;
  if (target === undefined) return new Set();
  const rows = group.map((e) => e.row);
  try {
    return undeliveredIndexes(rows, await config.deliver(target, rows));
  } catch {
    // The contract: a throw means nothing of the group was delivered. The error is the caller's
    // to report (it wrote deliver); here it is only counted.
    counts.deliverErrors++;
    return 'all';
  }
}

/** Spool entries replay holds, and (after an abort) the replayable ones after `reached`, not offered. */
async function countLeft(
  store: SqliteDeliveryStore,
  config: ReplayConfig,
  counts: ReplayCounts,
  reached: number,
): Promise<void> {
  const reply = await store.request({ op: 'count', reasons: [...config.reasons], afterId: reached });
  if (!reply.ok) return;
  const { held, remaining } = reply.value as { held: number; remaining: number };
  counts.held += held;
  counts.entries += held;
  if (!counts.aborted) return;
  counts.unsent += remaining;
  counts.entries += remaining;
}

function sameTarget(a: StreamTarget | undefined, b: StreamTarget | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.endpoint === b.endpoint &&
    a.dcrImmutableId === b.dcrImmutableId &&
    a.stream === b.stream &&
    a.table === b.table
  );
}
