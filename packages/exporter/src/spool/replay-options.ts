// The options and the result of `replaySpool`; options are validated once, before any file is read.

import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget, UndeliveredReason } from '../row-batch.js';
import { SpoolConfigError } from './spool-errors.js';
import { checkDirectory, checkPrefix, positiveInteger } from './spool-options.js';

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
  /** File name prefix of the spool files. Default `sentinel-spool`. */
  prefix?: string;
  /**
   * Sends one group of rows (same endpoint, DCR, stream). Resolves with the rows that were NOT
   * delivered — the same row objects it was given (a JSON-equal copy also matches); an empty
   * array means all were delivered. A throw means none was delivered.
   */
  deliver: (target: StreamTarget, rows: readonly Row[]) => Promise<readonly Row[]>;
  /** Rows per `deliver` call; a group also ends where the target changes or a file ends. Default 1000. */
  batchSize?: number;
  /**
   * Files modified less than this many milliseconds ago are left alone: a running exporter may
   * still be appending to its current file. Default 0 (the CLI, with no exporter on the
   * directory). Example: `300_000` when replaying next to a running exporter.
   */
  minAgeMs?: number;
  /**
   * Entries with these reasons are sent; the others stay in the spool, counted as `held`.
   * Default `REPLAYABLE_REASONS` (all but `rejected` and `unrouted`).
   */
  reasons?: readonly UndeliveredReason[];
  /** Stops between batches; what was not sent yet stays in the files. */
  signal?: AbortSignal;
  /** Reads and groups everything, calls nothing and changes nothing. Default false. */
  dryRun?: boolean;
}

export interface StreamReplayCounts {
  /** Entries of this stream that replay would send (not held). */
  readonly entries: number;
  readonly delivered: number;
  readonly failed: number;
}

export interface ReplayResult {
  /** Spool files read. */
  readonly files: number;
  /** Spool files left alone because they were modified within `minAgeMs`. */
  readonly filesSkipped: number;
  /** Valid entries read; always `delivered + failed + unsent + held`. */
  readonly entries: number;
  /** Entries delivered and removed from the spool. */
  readonly delivered: number;
  /** Entries offered to `deliver` and not delivered; they stay in the spool. */
  readonly failed: number;
  /** Entries read but not offered (dry run, or after an abort); they stay in the spool. */
  readonly unsent: number;
  /** Entries not replayable (reason not in `reasons`, or no target); they stay in the spool. */
  readonly held: number;
  /** Lines that are not valid entries; kept in the spool verbatim. */
  readonly malformed: number;
  /** `deliver` calls made (in a dry run: that would have been made). */
  readonly batches: number;
  /** `deliver` calls that threw. */
  readonly deliverErrors: number;
  /** True when the signal stopped the replay before the end. */
  readonly aborted: boolean;
  /** Per `<dcrImmutableId>/<stream>`: one stream may be spread over several DCRs. */
  readonly perStream: Readonly<Record<string, StreamReplayCounts>>;
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
}

/** Applies defaults; throws `SpoolConfigError` naming the field that cannot work. */
export function resolveReplayOptions(options: ReplayOptions): ReplayConfig {
  const directory = checkDirectory(options.directory);
  if (typeof options.deliver !== 'function') {
    throw new SpoolConfigError('deliver', 'must be a function (target, rows) => Promise<rows not delivered>');
  }
  const minAgeMs = options.minAgeMs ?? 0;
  if (!Number.isFinite(minAgeMs) || minAgeMs < 0) {
    throw new SpoolConfigError('minAgeMs', `must be 0 or more milliseconds, got ${String(minAgeMs)}`);
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
  };
}
