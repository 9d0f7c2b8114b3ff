// The query API's `timespan`: an ISO 8601 interval (`PT1H`, `start/end`, `start/PT1H`,
// `PT1H/end`) applied as a filter on each table's TimeGenerated before the query runs.

import { OtelSentinelError } from '@otel-sentinel/mapping';
import {
  fromJson,
  parseDateTime,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MINUTE,
  TICKS_PER_SECOND,
  type QuerySource,
} from '@otel-sentinel/kql';

export interface TimeWindow {
  /** Inclusive bounds, in ticks since the Unix epoch. */
  readonly start: bigint;
  readonly end: bigint;
}

export class TimespanError extends OtelSentinelError {
  declare readonly code: 'E_TIMESPAN';
  constructor(message: string) {
    super('E_TIMESPAN', message);
  }
}

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

function ticks(amount: string | undefined, unit: bigint): bigint {
  return amount === undefined ? 0n : BigInt(Math.round(Number(amount) * Number(unit)));
}

/** `P1D`, `PT1H`, `PT30M`, `P1DT12H`, `PT0.5S`; years and months are refused (their length varies). */
export function parseDuration(text: string): bigint | undefined {
  const m = DURATION.exec(text.trim());
  if (m === null || text.trim() === 'P' || text.trim().toUpperCase() === 'PT') return undefined;
  const [, weeks, days, hours, minutes, seconds] = m;
  return (
    ticks(weeks, 7n * TICKS_PER_DAY) +
    ticks(days, TICKS_PER_DAY) +
    ticks(hours, TICKS_PER_HOUR) +
    ticks(minutes, TICKS_PER_MINUTE) +
    ticks(seconds, TICKS_PER_SECOND)
  );
}

function part(text: string): { kind: 'duration'; ticks: bigint } | { kind: 'instant'; ticks: bigint } {
  const duration = parseDuration(text);
  if (duration !== undefined) return { kind: 'duration', ticks: duration };
  const instant = text.includes('T') || text.includes('-') ? parseDateTime(text) : undefined;
  if (instant !== undefined) return { kind: 'instant', ticks: instant };
  throw new TimespanError(
    `Invalid timespan part '${text}': expected an ISO 8601 duration (PT1H, P1D; no years or months) or a UTC datetime`,
  );
}

/** Parses the request's `timespan` relative to `now` (a lone duration ends now). */
export function parseTimespan(text: string, now: bigint): TimeWindow {
  const pieces = text.split('/');
  if (pieces.length > 2 || pieces.some((p) => p.trim() === '')) {
    throw new TimespanError(
      `Invalid timespan '${text}': expected 'duration', 'start/end', 'start/duration' or 'duration/end'`,
    );
  }
  const [first, second] = pieces.map(part);
  if (first === undefined) throw new TimespanError(`Invalid timespan '${text}'`);
  if (second === undefined) {
    if (first.kind !== 'duration')
      throw new TimespanError(`Invalid timespan '${text}': a single part must be a duration`);
    return { start: now - first.ticks, end: now };
  }
  if (first.kind === 'instant' && second.kind === 'instant') return { start: first.ticks, end: second.ticks };
  if (first.kind === 'instant') return { start: first.ticks, end: first.ticks + second.ticks };
  if (second.kind === 'instant') return { start: second.ticks - first.ticks, end: second.ticks };
  throw new TimespanError(`Invalid timespan '${text}': two durations give no point in time`);
}

/** The same source, with each table that has a TimeGenerated column cut to the window. */
export function windowed(source: QuerySource, window: TimeWindow): QuerySource {
  return {
    // The workspace's functions and externaldata files are not time-bound; the tables they read are.
    ...(source.functions !== undefined ? { functions: () => source.functions?.() ?? [] } : {}),
    ...(source.externalData !== undefined
      ? { externalData: (url: string) => source.externalData?.(url) }
      : {}),
    tables: () => source.tables(),
    columns: (table) => source.columns(table),
    scan: function* (table) {
      const timed = source.columns(table)?.some((c) => c.name === 'TimeGenerated') === true;
      for (const row of source.scan(table)) {
        if (!timed) {
          yield row;
          continue;
        }
        const t = fromJson(row['TimeGenerated'], 'datetime');
        if (typeof t === 'bigint' && t >= window.start && t <= window.end) yield row;
      }
    },
  };
}
