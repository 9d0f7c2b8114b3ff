// JSON that keeps 64-bit integers exact: integer literals beyond 2^53 are read as `bigint` (with
// their own digits) and bigints are written as plain JSON numbers, as the Log Analytics APIs do.

/** An integer literal: what `BigInt()` reads back digit for digit. */
const INTEGER_LITERAL = /^-?\d+$/;
/** A run of 16 digits: the only way a literal can be an integer beyond 2^53 (9007199254740992). */
const LONG_DIGITS = /\d{16}/;

interface SourceContext {
  readonly source?: string;
}

type ExactJson = JSON & { rawJSON(text: string): unknown };

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * Reads an integer literal that a double cannot hold exactly, and a long can, as a bigint. One
 * beyond 64 bits stays a double: a `long` column then stores null, a `dynamic` one a real
 * (assumed: Kusto's dynamic has no integers wider than a long).
 */
function exactNumbers(_key: string, value: unknown, context?: SourceContext): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  if (source === undefined || !INTEGER_LITERAL.test(source)) return value;
  const n = BigInt(source);
  return n >= LONG_MIN && n <= LONG_MAX ? n : value;
}

/**
 * `JSON.parse`, except that an integer literal outside ±(2^53−1) and within the 64-bit range
 * becomes a `bigint` with its exact digits. Text with no run of 16 digits takes the plain
 * (faster) path.
 */
export function parseExactJson(text: string): unknown {
  return LONG_DIGITS.test(text) ? (JSON.parse(text, exactNumbers) as unknown) : (JSON.parse(text) as unknown);
}

function bigintAsNumber(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? (JSON as ExactJson).rawJSON(value.toString()) : value;
}

/** `JSON.stringify`, with each bigint written as a JSON number with its exact digits. */
export function stringifyExactJson(value: unknown): string | undefined {
  const text: string | undefined = JSON.stringify(value, bigintAsNumber);
  return text;
}
