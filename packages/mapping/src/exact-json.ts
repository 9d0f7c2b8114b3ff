// Integers beyond a double's 2^53 kept exact in JSON text: a row value that must stay a JSON
// number with more digits than a double holds is a `JSON.rawJSON` value (Node ≥ 22), which
// `JSON.stringify` writes verbatim; `parseJsonExact` reads such text back without rounding.

/** A primitive JSON text that `JSON.stringify` writes as it is (`JSON.rawJSON`). */
export interface RawJson {
  readonly rawJSON: string;
}

// Node ≥ 22 has both; TypeScript's lib does not declare them yet.
const api = JSON as unknown as {
  rawJSON(text: string): RawJson;
  isRawJSON(value: unknown): value is RawJson;
};

/** True for a value made by `JSON.rawJSON` (such as a long beyond 2^53 in a row). */
export function isRawJson(value: unknown): value is RawJson {
  return api.isRawJSON(value);
}

/** The integer as a JSON number with all its digits: a plain number when a double holds it exactly. */
export function exactInteger(value: bigint): number | RawJson {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : api.rawJSON(value.toString());
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** A JSON integer literal: optional minus, digits, no fraction or exponent. */
const INTEGER_LITERAL = /^-?\d+$/;
/**
 * A JSON number token of 16 digits or more (at the start, or after `:`, `,` or `[`): only an
 * integer that long can be beyond 2^53 (9007199254740991 has 16), and only then is the slower
 * parse with a reviver needed. Digits inside strings (`"timeUnixNano":"1700000000000000000"`)
 * do not match, so ordinary OTLP/JSON takes the plain parse, which also copes with deeper nesting
 * than a reviver's walk does.
 */
const LONG_DIGITS = /(?:^|[:,[])\s*-?\d{16}/;

/** JSON.parse's reviver with the ES2025 source text context (Node 22+), which TypeScript lacks. */
type SourceReviver = (key: string, value: unknown, context?: { readonly source?: string }) => unknown;
const parseWithSource = JSON.parse as (text: string, reviver: SourceReviver) => unknown;

/** The digits of a JSON integer a double could not hold exactly; undefined for any other value. */
function unsafeIntegerDigits(value: unknown, context?: { readonly source?: string }): string | undefined {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return undefined;
  const source = context?.source;
  return source !== undefined && INTEGER_LITERAL.test(source) ? source : undefined;
}

const exactReviver: SourceReviver = (_key, value, context) => {
  const digits = unsafeIntegerDigits(value, context);
  return digits === undefined ? value : api.rawJSON(digits);
};

const bigintReviver: SourceReviver = (_key, value, context) => {
  const digits = unsafeIntegerDigits(value, context);
  return digits === undefined ? value : BigInt(digits);
};

/**
 * `JSON.parse` that keeps integers beyond 2^53 exact: each becomes a `RawJson` of its digits, so
 * `JSON.stringify` writes it back unchanged. Text without a run of 16 digits is parsed plainly.
 * Throws as `JSON.parse` does.
 */
export function parseJsonExact(text: string): unknown {
  return LONG_DIGITS.test(text) ? parseWithSource(text, exactReviver) : (JSON.parse(text) as unknown);
}

/**
 * `JSON.parse` that reads each integer beyond 2^53 as the exact bigint its digits spell (OTLP/JSON's
 * int64 and fixed64 fields may be sent so; the OTLP readers take bigints). Throws as `JSON.parse`
 * does.
 */
export function parseJsonWithBigInts(text: string): unknown {
  return LONG_DIGITS.test(text) ? parseWithSource(text, bigintReviver) : (JSON.parse(text) as unknown);
}
