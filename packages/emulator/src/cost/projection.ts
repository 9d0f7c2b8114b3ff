// The monthly projection: the average billed bytes per day over a recent window of UTC days,
// times 30.4 days a month, in GB of 10^9 bytes (the unit Log Analytics bills in).

/** Log Analytics bills GB of 10^9 bytes. */
export const BYTES_PER_GB = 1e9;
/** Days in an average month (365 / 12, rounded as Microsoft's pricing pages do). */
export const DAYS_PER_MONTH = 30.4;

const DAY_MS = 86_400_000;

/** The UTC days a projection averages, `from` and `to` included (`YYYY-MM-DD`). */
export interface ProjectionWindow {
  /** The first day averaged. */
  readonly from: string;
  /** The last day averaged: today. */
  readonly to: string;
  /** How many days `from` to `to` are. */
  readonly days: number;
}

/** `YYYY-MM-DD` of `at`, in UTC. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The day `n` days after `day` (negative: before). */
function addDays(day: string, n: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/**
 * The `days` UTC days ending `today`, but starting no earlier than `firstDay`, the first day
 * with any data: a workspace that started receiving data yesterday averages over two days, not
 * seven. Undefined when there is no data yet.
 */
export function projectionWindow(
  today: string,
  days: number,
  firstDay: string | undefined,
): ProjectionWindow | undefined {
  if (firstDay === undefined) return undefined;
  let from = addDays(today, -(days - 1));
  if (firstDay > from) from = firstDay < today ? firstDay : today;
  const span = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
  return { from, to: today, days: span };
}

/** Bytes per day averaged over `window` (days without data count as 0). */
export function dailyAverage(
  perDay: readonly { readonly day: string; readonly bytes: number }[],
  window: ProjectionWindow | undefined,
): number {
  if (window === undefined) return 0;
  let sum = 0;
  for (const d of perDay) if (d.day >= window.from && d.day <= window.to) sum += d.bytes;
  return sum / window.days;
}

/** GB per month at `bytesPerDay`. */
export function monthlyGb(bytesPerDay: number): number {
  return (bytesPerDay * DAYS_PER_MONTH) / BYTES_PER_GB;
}
