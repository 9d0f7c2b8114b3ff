// The options and the result of `replaySpool`; options are validated once, before anything is read.

import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import type { EndedOwner } from '../store/store-types.ts';
import { ReplayRoute } from './replay-route.ts';
import type { TargetFields } from './replay-route.ts';
import { spoolConfigError } from './spool-errors.ts';
import { checkDirectory, checkPrefix, positiveInteger } from './spool-options.ts';

/**
 * Reasons whose rows were valid table rows that only failed to arrive. `rejected` and
 * `unrouted` entries hold what the exporter salvaged of a record the mapping refused: sending
 * that to the table would "succeed" and lose it, so replay leaves them for a person by default.
 */
export const REPLAYABLE_REASONS: readonly UndeliveredReason[] = Object.freeze([
  'permanent',
  'retries-exhausted',
  'queue-full',
  'shutdown',
]);

export interface ReplayOptions {
  /** The spool directory, as given to `SpoolOptions.directory`. Example: `/var/lib/my-app/sentinel-spool`. */
  directory: string;
  /** Prefix of the store (`<prefix>.sqlite`) and of legacy spool files. Default `sentinel-spool`. */
  prefix?: string;
  /**
   * Sends one group of rows (same endpoint, DCR, stream). Resolves with the rows that were NOT
   * delivered — the same row objects it was given (a JSON-equal copy also matches); an empty
   * array means all were delivered. A throw means none was delivered.
   */
  deliver: (target: StreamTarget, rows: readonly Row[]) => Promise<readonly Row[]>;
  /**
   * Rows claimed per page and sent per `deliver` call at most; a group also ends where the
   * target changes. Default 1000.
   */
  batchSize?: number;
  /**
   * Only for legacy JSON-lines spool files (written before the store): files modified less than
   * this many milliseconds ago are left alone, since an exporter of an older version may still
   * append to them. The store's own entries need no such care: a live process's are never taken.
   * Default 0. Example: `300_000` while an older exporter runs on the same directory.
   */
  minAgeMs?: number;
  /**
   * Entries with these reasons are sent; the others stay in the spool, counted as `held`.
   * Default `REPLAYABLE_REASONS` (all but `rejected` and `unrouted`).
   */
  reasons?: readonly UndeliveredReason[];
  /** Stops between groups; what was not sent yet stays where it was. */
  signal?: AbortSignal;
  /**
   * Reads and groups everything, calls nothing, changes nothing and takes nothing over (rows of
   * ended processes are counted as they would be sent). Default false.
   */
  dryRun?: boolean;
  /**
   * Only entries whose target has these values are sent; the others stay where they were,
   * counted as `skipped`. Example: `{ stream: 'Custom-Auth' }`.
   */
  from?: TargetFields;
  /**
   * Sends the selected entries here instead: each field given replaces the entry's own (the
   * table is kept). A field given here must have one value among the selected entries, else
   * replay throws `ReplayRouteError` before it sends anything; narrow them with `from`. That
   * value is pinned: an entry with another one, spooled while replay runs, is skipped.
   * Example: `{ dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef' }`.
   */
  to?: TargetFields;
}

export interface StreamReplayCounts {
  /** Entries of this stream that replay would send (not held). */
  readonly entries: number;
  readonly delivered: number;
  readonly failed: number;
}

export interface ReplayResult {
  /** Legacy JSON-lines spool files read (and imported into the store, unless a dry run). */
  readonly files: number;
  /** Legacy spool files left alone because they were modified within `minAgeMs`. */
  readonly filesSkipped: number;
  /** Entries of legacy files added to the store's spool by this run (0 in a dry run). */
  readonly imported: number;
  /**
   * Rows that processes which ended (crashed, killed or stopped) left in their write-ahead queue,
   * taken over by this run and offered like spool entries (counted in `entries` too).
   */
  readonly takenOver: number;
  /**
   * The processes whose rows this run took over, or found ended (in a dry run: would take over).
   * One that did not end cleanly lost what it held in memory only: `heldInMemory`.
   */
  readonly endedOwners: readonly EndedOwner[];
  /** Sum of `heldInMemory` of the owners that did not end cleanly: records lost with them. */
  readonly lostInMemory: number;
  /** Entries considered; always `delivered + failed + unsent + held + skipped`. */
  readonly entries: number;
  /** Entries delivered and removed from the store. */
  readonly delivered: number;
  /** Entries offered to `deliver` and not delivered; they stay in the store. */
  readonly failed: number;
  /** Entries not offered (dry run, or after an abort); they stay in the store. */
  readonly unsent: number;
  /** Spool entries not replayable (reason not in `reasons`, or no target); they stay in the spool. */
  readonly held: number;
  /** Entries `from` did not select (or with another value than a redirect pinned); they stay where they were. */
  readonly skipped: number;
  /**
   * Why the entries this run offered (in a dry run: would offer) had been spooled: the stored
   * reason and detail (`HTTP 404 NotFound`), with counts, most first. Rows taken over from ended
   * processes were never refused and are not counted here.
   */
  readonly spooledBecause: readonly SpooledBecause[];
  /** Entries sent (in a dry run: that would be sent) elsewhere than their own target, per route. */
  readonly redirected: readonly RedirectedEntries[];
  /** Lines of legacy files that are not valid entries, kept verbatim in `malformedFiles`. */
  readonly malformed: number;
  /** Files holding those lines (`<legacy file>.malformed`); a person decides what they were. */
  readonly malformedFiles: readonly string[];
  /** `deliver` calls made (in a dry run: that would have been made). */
  readonly batches: number;
  /** `deliver` calls that threw. */
  readonly deliverErrors: number;
  /** True when the signal stopped the replay before the end. */
  readonly aborted: boolean;
  /** Per `<dcrImmutableId>/<stream>`: one stream may be spread over several DCRs. */
  readonly perStream: Readonly<Record<string, StreamReplayCounts>>;
}

export interface SpooledBecause {
  /** The target the entries were spooled for (before any redirect). */
  readonly target: StreamTarget;
  readonly reason: UndeliveredReason;
  /** What the pipeline knew of the failure, e.g. `HTTP 400 InvalidStream`; absent when it had nothing. */
  readonly detail?: string;
  readonly entries: number;
}

export interface RedirectedEntries {
  readonly from: StreamTarget;
  readonly to: StreamTarget;
  readonly entries: number;
}

export interface ReplayConfig {
  readonly directory: string;
  readonly prefix: string;
  readonly deliver: ReplayOptions['deliver'];
  readonly batchSize: number;
  readonly minAgeMs: number;
  readonly reasons: ReadonlySet<string>;
  readonly signal: AbortSignal | undefined;
  readonly dryRun: boolean;
  readonly route: ReplayRoute;
}

/** Applies defaults; throws `ConfigError` naming the option that cannot work. */
export function resolveReplayOptions(options: ReplayOptions): ReplayConfig {
  const directory = checkDirectory(options.directory);
  if (typeof options.deliver !== 'function') {
    throw spoolConfigError('deliver', 'must be a function (target, rows) => Promise<rows not delivered>');
  }
  const minAgeMs = options.minAgeMs ?? 0;
  if (!Number.isFinite(minAgeMs) || minAgeMs < 0) {
    throw spoolConfigError('minAgeMs', `must be 0 or more milliseconds, got ${String(minAgeMs)}`);
  }
  return {
    directory,
    prefix: checkPrefix(options.prefix),
    deliver: options.deliver,
    batchSize: positiveInteger('batchSize', options.batchSize, 1000, 'rows'),
    minAgeMs,
    reasons: new Set(options.reasons ?? REPLAYABLE_REASONS),
    signal: options.signal,
    dryRun: options.dryRun ?? false,
    route: new ReplayRoute(options.from, options.to),
  };
}
