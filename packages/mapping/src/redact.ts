// Finds secrets inside string values and replaces them with `[REDACTED:<kind>]` before a row
// leaves the process. Detectors compile once; a clean string costs one pre-filter regex test
// and comes back untouched.

import { DETECTORS, hintsFor } from './secret-detectors.js';
import type { Detector } from './secret-detectors.js';
import { IMPLIED_KINDS, SECRET_KINDS, UnknownSecretKindError } from './secret-kinds.js';
import type { RedactionCounts, SecretKind } from './secret-kinds.js';

export { newRedactionCounts, SECRET_KINDS, UnknownSecretKindError } from './secret-kinds.js';
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

class PatternRedactor implements Redactor {
  readonly kinds: readonly SecretKind[];
  private readonly wanted: ReadonlySet<SecretKind>;
  private readonly detectors: readonly Detector[];
  private readonly hints: readonly RegExp[];

  constructor(kinds: readonly SecretKind[]) {
    this.kinds = Object.freeze([...kinds]);
    this.wanted = new Set(kinds);
    this.detectors = DETECTORS.filter((d) => d.kinds.some((k) => this.wanted.has(k)));
    this.hints = hintsFor(kinds);
  }

  redact(value: string, counts?: RedactionCounts): string {
    if (!this.mayHoldSecret(value)) return value;
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

  private mayHoldSecret(value: string): boolean {
    for (const hint of this.hints) if (hint.test(value)) return true;
    return false;
  }
}

/**
 * A redactor for `kinds` (all kinds by default), with the kinds they imply (`password-field`
 * brings `secret-field`). Build it once per mapping and reuse it; it throws
 * {@link UnknownSecretKindError} when a kind is not one of `SECRET_KINDS`.
 */
export function createRedactor(kinds: readonly SecretKind[] = SECRET_KINDS): Redactor {
  const known: readonly string[] = SECRET_KINDS;
  const wanted = new Set<SecretKind>();
  for (const kind of kinds) {
    if (!known.includes(kind)) throw new UnknownSecretKindError(kind);
    wanted.add(kind);
    for (const implied of IMPLIED_KINDS[kind] ?? []) wanted.add(implied);
  }
  return new PatternRedactor(SECRET_KINDS.filter((k) => wanted.has(k)));
}
