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
/** Only a number of 16 digits or more can be beyond 2^53 (9007199254740991 has 16). */
const LONG_DIGITS = /\d{16}/;

function exactReviver(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER_LITERAL.test(source) ? api.rawJSON(source) : value;
}

/**
 * `JSON.parse` that keeps integers beyond 2^53 exact: each becomes a `RawJson` of its digits, so
 * `JSON.stringify` writes it back unchanged. Text without a run of 16 digits is parsed plainly.
 * Throws as `JSON.parse` does.
 */
export function parseJsonExact(text: string): unknown {
  return LONG_DIGITS.test(text) ? JSON.parse(text, exactReviver) : JSON.parse(text);
}
