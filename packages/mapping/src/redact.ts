// Finds secrets inside string values and replaces them with `[REDACTED:<kind>]` before a row
// leaves the process. Detectors compile once; a clean string costs one pre-filter pass and comes
// back untouched.

import { withoutHiding } from './sanitize.js';
import { DETECTORS, prefilterFor, SCAN_HIDING, SCAN_HINT } from './secret-detectors.js';
import type { Detector, Prefilter } from './secret-detectors.js';
import { IMPLIED_KINDS, newRedactionCounts, SECRET_KINDS, UnknownSecretKindError } from './secret-kinds.js';
import type { RedactionCounts, SecretKind } from './secret-kinds.js';

export { newRedactionCounts, SECRET_KINDS, UnknownSecretKindError } from './secret-kinds.js';
export { SCAN_CLEAN } from './secret-detectors.js';
export type { RedactionCounts, SecretKind } from './secret-kinds.js';

export interface Redactor {
  /** The kinds this redactor looks for, in `SECRET_KINDS` order. */
  readonly kinds: readonly SecretKind[];
  /**
   * `value` with every secret replaced by `[REDACTED:<kind>]`, adding one to `counts[kind]` per
   * replacement; `value` itself when nothing was found.
   */
  redact(value: string, counts?: RedactionCounts): string;
}

const MARKERS = Object.fromEntries(SECRET_KINDS.map((k) => [k, `[REDACTED:${k}]`])) as Readonly<
  Record<SecretKind, string>
>;

function applyDetector(
  d: Detector,
  s: string,
  wanted: ReadonlySet<SecretKind>,
  counts: RedactionCounts | undefined,
): string {
  const re = d.pattern;
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let replaced = false;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const found = d.locate(m);
    if (found === undefined || !wanted.has(found.kind)) {
      // Look again from the next character: a rejected candidate may hide a real one inside.
      re.lastIndex = m.index + 1;
      continue;
    }
    out += s.slice(last, m.index + found.start) + MARKERS[found.kind];
    last = m.index + found.end;
    re.lastIndex = last;
    replaced = true;
    if (counts !== undefined) counts[found.kind] += 1;
  }
  return replaced ? out + s.slice(last) : s;
}

const MAX_PASSES = 4;

function total(counts: RedactionCounts): number {
  let n = 0;
  for (const kind of SECRET_KINDS) n += counts[kind];
  return n;
}

/**
 * Not public: a redactor whose pass over a value also says when it needs nothing at all, neither
 * redaction nor sanitising (`SCAN_CLEAN`). The mapper's string and dynamic columns scan first and
 * skip both steps for such values.
 */
export interface RowRedactor extends Redactor {
  /** What the pre-filter sees in `value`: `SCAN_CLEAN` when it needs neither step. */
  scan(value: string): number;
  /** {@link Redactor.redact} for a value already scanned, `seen` being what `scan` returned. */
  redactScanned(value: string, seen: number, counts?: RedactionCounts): string;
}

class PatternRedactor implements RowRedactor {
  readonly kinds: readonly SecretKind[];
  private readonly wanted: ReadonlySet<SecretKind>;
  private readonly detectors: readonly Detector[];
  private readonly prefilter: Prefilter;

  constructor(
    kinds: readonly SecretKind[],
    private readonly filtered = true,
  ) {
    this.kinds = Object.freeze([...kinds]);
    this.wanted = new Set(kinds);
    this.detectors = DETECTORS.filter((d) => d.kinds.some((k) => this.wanted.has(k)));
    this.prefilter = prefilterFor(kinds);
  }

  redact(value: string, counts?: RedactionCounts): string {
    return this.redactScanned(value, this.scan(value), counts);
  }

  scan(value: string): number {
    // Unfiltered, every value counts as hinted.
    return this.filtered ? this.prefilter.scan(value) : SCAN_HINT;
  }

  redactScanned(value: string, seen: number, counts?: RedactionCounts): string {
    if (!this.filtered) return this.detect(value, counts);
    const hinted = seen === SCAN_HINT;
    // The scan stops at a hint, so then only the rest of the value can say whether anything hides.
    if (!hinted && (seen & SCAN_HIDING) === 0) return value;
    const bare = withoutHiding(value);
    if (bare === value) return hinted ? this.detect(value, counts) : value;
    return this.redactHiding(value, bare, hinted, counts);
  }

  /**
   * A zero-width space, soft hyphen or TAG character inside a token splits it for the detectors,
   * and sanitising would then show both halves. So a value holding such characters is also looked
   * at without them (`bare`); that reading wins when it finds more secrets (and the value comes
   * out redacted and without them), else the value keeps them for sanitising to show.
   */
  private redactHiding(
    value: string,
    bare: string,
    hinted: boolean,
    counts: RedactionCounts | undefined,
  ): string {
    const own = newRedactionCounts();
    const out = hinted ? this.detect(value, own) : value;
    const bareCounts = newRedactionCounts();
    const bareOut = this.prefilter.scan(bare) === SCAN_HINT ? this.detect(bare, bareCounts) : bare;
    const [chosen, chosenCounts] = total(bareCounts) > total(own) ? [bareOut, bareCounts] : [out, own];
    if (counts !== undefined) for (const kind of this.kinds) counts[kind] += chosenCounts[kind];
    return chosen;
  }

  private detect(value: string, counts: RedactionCounts | undefined): string {
    let out = value;
    // A replacement can change what its neighbours look like (a storage key glued to a card
    // number stops looking like part of a longer token), so passes repeat until one finds nothing.
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const before = out;
      for (const d of this.detectors) out = applyDetector(d, out, this.wanted, counts);
      if (out === before) break;
    }
    return out;
  }
}

/**
 * A redactor for `kinds` (all kinds by default), with the kinds they imply (`password-field`
 * brings `secret-field`). Build it once per mapping and reuse it; it throws
 * {@link UnknownSecretKindError} when a kind is not one of `SECRET_KINDS`.
 */
export function createRedactor(kinds: readonly SecretKind[] = SECRET_KINDS): Redactor {
  return new PatternRedactor(withImplied(kinds));
}

/** Not public: {@link createRedactor} for the mapper, whose columns scan a value once for both steps. */
export function createRowRedactor(kinds: readonly SecretKind[] = SECRET_KINDS): RowRedactor {
  return new PatternRedactor(withImplied(kinds));
}

/**
 * Not public (`src/index.ts` does not export it): a redactor that runs every detector on every
 * value, without the pre-filter, as the oracle the pre-filter is tested against.
 */
export function createUnfilteredRedactor(kinds: readonly SecretKind[] = SECRET_KINDS): RowRedactor {
  return new PatternRedactor(withImplied(kinds), false);
}

function withImplied(kinds: readonly SecretKind[]): readonly SecretKind[] {
  const known: readonly string[] = SECRET_KINDS;
  const wanted = new Set<SecretKind>();
  for (const kind of kinds) {
    if (!known.includes(kind)) throw new UnknownSecretKindError(kind);
    wanted.add(kind);
    for (const implied of IMPLIED_KINDS[kind] ?? []) wanted.add(implied);
  }
  return SECRET_KINDS.filter((k) => wanted.has(k));
}
