// The secret corpus (test/fixtures/secrets) run through the public mapping API: each entry placed
// in a string column, a dynamic column (flat and nested) and the body, judged against the corpus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import fc from 'fast-check';

import { compileMapping, parseMapping, type CompiledMapping } from '../../src/index.js';
import { ENV, oneStream, record } from '../helpers.js';

export interface CorpusEntry {
  readonly kind: string;
  readonly value: string;
  /** The text around the value, with `{}` where the value goes. */
  readonly context: string;
  readonly source: string;
  /** Look-alikes only: why the value is harmless. */
  readonly why?: string;
}

export const POSITIONS = ['string', 'dynamic', 'dynamic-nested', 'body'] as const;
export type Position = (typeof POSITIONS)[number];

/**
 * The corpus folder: the committed one, or `SECRET_CORPUS_DIR` (a fresh corpus written by
 * `generate.mjs <seed> <dir>`, to measure detectors on values they were not tuned on).
 */
export const CORPUS_DIR =
  process.env.SECRET_CORPUS_DIR ?? fileURLToPath(new URL('../fixtures/secrets/', import.meta.url));

function readJsonLines(name: string): CorpusEntry[] {
  const text = readFileSync(join(CORPUS_DIR, name), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as CorpusEntry);
}

export const SECRETS: readonly CorpusEntry[] = readJsonLines('secrets.jsonl');
export const LOOKALIKES: readonly CorpusEntry[] = readJsonLines('lookalikes.jsonl');

/** The entry's context with its value in place. */
export function fill(entry: CorpusEntry): string {
  return entry.context.replace('{}', () => entry.value);
}

/**
 * A mapping with default safety (redaction and sanitising on): a string column and the body fed
 * the text, and a dynamic column over the attributes holding it flat and one level down. The
 * attribute keys are ordinary names, so no sensitive-key rule does the work of a detector.
 */
export function corpusMapping(): CompiledMapping {
  const text = oneStream(
    [
      '      Detail: { from: "attributes[\'event.detail\']", type: string }',
      '      Extra: { from: attributes, type: dynamic, exclude: [event.detail, security.event] }',
      '      Message: { from: body, type: string }',
      '',
    ].join('\n'),
  );
  const parsed = parseMapping(text, { env: ENV });
  if (!parsed.config) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return compileMapping(parsed.config, { env: ENV });
}

/** Maps `text` once in every position and returns what each position's value became. */
export function mapEverywhere(mapping: CompiledMapping, text: string): Record<Position, string> {
  const outcome = mapping.map(
    record({
      body: text,
      attributes: { 'event.detail': text, detail: text, request: { note: text } },
    }),
  );
  if (outcome.status !== 'mapped') throw new Error(`record not mapped: ${outcome.status}`);
  const row = outcome.row;
  const extra = row.Extra as Record<string, unknown> | undefined;
  const nested = extra?.request as Record<string, unknown> | undefined;
  return {
    string: asText(row.Detail),
    dynamic: asText(extra?.detail),
    'dynamic-nested': asText(nested?.note),
    body: asText(row.Message),
  };
}

/** A position's value as text: strings as they are, anything else (a cut-down map, a number) as JSON. */
function asText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const FRAGMENT = 8;

/** The parts of `value` that must not survive: every 8-character window, or the whole if shorter. */
export function fragments(value: string): string[] {
  if (value.length <= FRAGMENT) return [value];
  const out: string[] = [];
  for (let i = 0; i + FRAGMENT <= value.length; i++) out.push(value.slice(i, i + FRAGMENT));
  return out;
}

/** Sanitising writes line breaks and tabs as `\n`, `\r`, `\t`; read them back for the search. */
function unescaped(text: string): string {
  return text.replace(/\\([nrt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\t'));
}

export const MARKER = /\[REDACTED:[^\]]*\]/;
const MARKERS_ALL = /\[REDACTED:[^\]]*\]/g;

/** `output` without its markers, so a kind name in one (`[REDACTED:rubygems-key]`) is no leftover. */
function unmarked(output: string): string {
  return output.replace(MARKERS_ALL, '\u0000');
}

/** The first fragment of `value` still in `output` (as written, or with escapes read back). */
export function survivingFragment(value: string, output: string): string | undefined {
  const bare = unmarked(output);
  const plain = unescaped(bare);
  return fragments(value).find((f) => bare.includes(f) || plain.includes(f));
}

/** Caught: a `[REDACTED:…]` marker is there and no fragment of the secret survives. */
export function isCaught(value: string, output: string): boolean {
  return MARKER.test(output) && survivingFragment(value, output) === undefined;
}

/** Never partly: the secret is either gone entirely or there whole (a miss, not a half-redaction). */
export function survivesPartially(value: string, output: string): boolean {
  if (survivingFragment(value, output) === undefined) return false;
  const bare = unmarked(output);
  return !bare.includes(value) && !unescaped(bare).includes(value);
}

// Characters of a value are redrawn within their class, so hex stays hex and base32 stays base32.
const CLASSES = ['abcdef', 'ghijklmnopqrstuvwxyz', 'ABCDEF', 'GHIJKLMNOPQRSTUVWXYZ', '234567', '0189'];
/** Kinds whose value carries a checksum or structure that redrawing characters would break. */
const FIXED =
  /^(card-|github-gh|npm-token|jwt|http-basic|private-key-|mailgun-signing|flutterwave|age-secret|gcp-service-account)/;
/** Fixed parts inside otherwise random tokens (OpenAI's `T3BlbkFJ`). */
const FIXED_PARTS = ['T3BlbkFJ'];

/**
 * Another secret of the same format: the second half of the value, except its last two
 * characters and any fixed part, redrawn class by class from `picks`.
 */
export function redraw(entry: CorpusEntry, picks: readonly number[]): string {
  const { value } = entry;
  if (FIXED.test(entry.kind)) return value;
  const keep = new Set<number>();
  for (const part of FIXED_PARTS) {
    const at = value.indexOf(part);
    if (at >= 0) for (let i = at; i < at + part.length; i++) keep.add(i);
  }
  const out = Array.from(value, (ch) => ch);
  for (let i = Math.ceil(value.length / 2); i < value.length - 2; i++) {
    const ch = out[i] ?? '';
    const cls = CLASSES.find((c) => c.includes(ch));
    if (cls === undefined || keep.has(i)) continue;
    out[i] = cls[(picks[i] ?? 0) % cls.length] ?? ch;
  }
  return out.join('');
}

const WORDS = [
  'user',
  'login',
  'failed',
  'ok',
  'id=42',
  'GET',
  '/api/v1/orders',
  'status',
  'from',
  '10.0.0.1',
  'retry',
  'note:',
  'WARN',
  '->',
];
const SEPARATORS = [' ', '  ', '\t', '\n', ' | ', '; ', ', ', ' - ', '\r\n'];

const words = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.stringMatching(/^[a-z]{1,10}$/)), {
  maxLength: 6,
});
const separator = fc.constantFrom(...SEPARATORS);

export interface Glued {
  readonly entry: CorpusEntry;
  /** The secret, redrawn from the corpus value. */
  readonly value: string;
  /** The secret in its context, with random words and separators on both sides. */
  readonly text: string;
}

/** A corpus-format secret in its context, glued into random surrounding text with separators. */
export const gluedSecret: fc.Arbitrary<Glued> = fc.constantFrom(...SECRETS).chain((entry) =>
  fc
    .record({
      // Not shrunk: a shrunk redraw is a run of one repeated character, no longer a likely secret.
      picks: fc.noShrink(
        fc.array(fc.nat({ max: 1000 }), { minLength: entry.value.length, maxLength: entry.value.length }),
      ),
      before: words,
      after: words,
      sepBefore: separator,
      sepAfter: separator,
    })
    .map(({ picks, before, after, sepBefore, sepAfter }) => {
      const value = redraw(entry, picks);
      const core = entry.context.replace('{}', () => value);
      const head = before.length > 0 ? before.join(sepBefore) + sepBefore : '';
      const tail = after.length > 0 ? sepAfter + after.join(sepAfter) : '';
      return { entry, value, text: head + core + tail };
    }),
);
