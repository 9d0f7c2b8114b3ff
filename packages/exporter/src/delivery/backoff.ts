// The two timing rules every sender here follows (the exporter's uploads, the gateway's forwarding
// to an upstream): wait as a `Retry-After` header says, else back off exponentially with full jitter.

const DECIMAL = /^\d+(?:\.\d+)?$/;
// All three HTTP-date forms (RFC 9110 §5.6.7) start with a day name; Date.parse alone would also
// take text such as "-5" or "2025-01-01" as a date.
const HTTP_DATE_START = /^[A-Za-z]{3}/;

/**
 * Milliseconds to wait from a `Retry-After` value: delay-seconds (`"7"`, `"1.5"`) or an HTTP-date,
 * measured from `now` (a date in the past is no wait). Undefined when absent, blank or neither.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const v = value?.trim();
  if (v === undefined || v === '') return undefined;
  if (DECIMAL.test(v)) return Math.ceil(Number(v) * 1000);
  if (!HTTP_DATE_START.test(v)) return undefined;
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * Milliseconds from a millisecond header (`retry-after-ms`, `x-ms-retry-after-ms`, as Azure
 * services send them); undefined when absent or not a non-negative decimal.
 */
export function parseRetryAfterMs(value: string | undefined): number | undefined {
  const v = value?.trim();
  return v !== undefined && DECIMAL.test(v) ? Math.ceil(Number(v)) : undefined;
}

/**
 * Full jitter: a delay drawn uniformly from [0, min(maxDelayMs, initialDelayMs · 2^(attempt−1))),
 * `attempt` counting from 1. `random` is a source in [0, 1) (a value outside it counts as 0).
 */
export function backoffDelayMs(
  attempt: number,
  initialDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(Math.trunc(attempt), 1) - 1, 52);
  const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** exponent);
  const r = random();
  const jitter = r >= 0 && r < 1 ? r : 0;
  return Math.floor(jitter * ceiling);
}
