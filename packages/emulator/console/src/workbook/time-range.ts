// A workbook time range parameter (type 4) as a relative duration: its label ("Last 7 days"), the
// KQL it expands to, the bin size of {TimeRange:grain}, and the ISO 8601 timespan of the query API.
// Pure (no DOM), so node tests import it.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How Azure's picker names a range: minutes below an hour, hours below 3 days, then days. */
export function timeRangeLabel(durationMs: number): string {
  if (durationMs === HOUR) return 'Last hour';
  if (durationMs < HOUR) return `Last ${plural(durationMs / MINUTE, 'minute')}`;
  if (durationMs < 3 * DAY) return `Last ${plural(durationMs / HOUR, 'hour')}`;
  return `Last ${plural(durationMs / DAY, 'day')}`;
}

function plural(amount: number, unit: string): string {
  const rounded = Math.round(amount * 100) / 100;
  return `${rounded} ${unit}${rounded === 1 ? '' : 's'}`;
}

/** A KQL timespan literal in the largest whole unit: `7d`, `4h`, `5m`, `30s`, `250ms`. */
export function kqlTimespan(durationMs: number): string {
  for (const [unit, ms] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ] as const) {
    if (durationMs % ms === 0) return `${durationMs / ms}${unit}`;
  }
  return `${durationMs}ms`;
}

/** `{TimeRange}` in a query, `{TimeRange:value}`, `{TimeRange:query}`: `> ago(7d)` (Microsoft's docs). */
export function agoFilter(durationMs: number): string {
  return `> ago(${kqlTimespan(durationMs)})`;
}

/**
 * Bin sizes for `{TimeRange:grain}`. Microsoft documents one pair (24 hours gives 30m); the rule
 * here, the smallest bin giving at most 48 bins, reproduces it and keeps charts readable.
 */
const GRAINS = [
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
];
const MAX_BINS = 48;

export function timeGrain(durationMs: number): string {
  const grain = GRAINS.find((g) => durationMs / g <= MAX_BINS) ?? GRAINS[GRAINS.length - 1] ?? DAY;
  return kqlTimespan(grain);
}

/** The query API's `timespan` for the last `durationMs`: `P7D`, `PT4H`, `PT5M`, `PT30S`. */
export function isoDuration(durationMs: number): string {
  if (durationMs % DAY === 0) return `P${durationMs / DAY}D`;
  if (durationMs % HOUR === 0) return `PT${durationMs / HOUR}H`;
  if (durationMs % MINUTE === 0) return `PT${durationMs / MINUTE}M`;
  return `PT${durationMs / SECOND}S`;
}

/** A KQL datetime literal: `datetime(2026-12-08T10:00:00.000Z)`. */
export function kqlDatetime(at: Date): string {
  return `datetime(${at.toISOString()})`;
}
