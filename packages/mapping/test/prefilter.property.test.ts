// The pre-filter in front of the detectors may wake for too much, never for too little: wherever
// the detectors (run on their own, without it) find a secret, it must have reported a hint. The
// oracle is the detectors; the texts are the hand-written cases, the corpus, and random text cut
// and glued from both.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createUnfilteredRedactor, SECRET_KINDS } from '../src/redact.js';
import { expandPrefix, prefilterFor, SCAN_CLEAN, SCAN_HINT } from '../src/secrets/hints.js';
import { fill, gluedSecret, LOOKALIKES, SECRETS } from './support/secret-corpus.js';
import { KIND_CASES } from './support/secret-kind-cases.js';

const unfiltered = createUnfilteredRedactor();
const prefilter = prefilterFor(SECRET_KINDS);

/** The detectors change `text`, yet the pre-filter would have let it through untouched. */
function missed(text: string): boolean {
  return unfiltered.redact(text) !== text && prefilter.scan(text) !== SCAN_HINT;
}

const TEXTS = [...KIND_CASES.map((c) => c.input), ...SECRETS.map(fill), ...LOOKALIKES.map(fill)];
const GLUE = [
  ' ',
  '',
  '=',
  ':',
  ': ',
  '"',
  "'",
  '-',
  '--',
  '_',
  '.',
  '/',
  '\n',
  '\t',
  '&',
  '?',
  '@',
  '\u200B',
];

/** A piece of a case or corpus text: anything from one character to all of it. */
const piece = fc
  .record({ text: fc.constantFrom(...TEXTS), a: fc.nat(), b: fc.nat() })
  .map(({ text, a, b }) => {
    const from = a % text.length;
    return text.slice(from, from + 1 + (b % (text.length - from)));
  });

describe('the secret pre-filter', () => {
  it('wakes for the hand-written case of every kind', () => {
    expect(KIND_CASES.filter((c) => missed(c.input)).map((c) => c.kind)).toEqual([]);
  });

  it('wakes for every corpus secret in its context, and wherever a look-alike trips a detector', () => {
    expect([...SECRETS, ...LOOKALIKES].map(fill).filter(missed)).toEqual([]);
  });

  it('wakes for what random runs found it missing: a PascalCase `Pat` key, a GitLab token with a dot', () => {
    const found = ['EntityPat=crede?', 'deploy token gldt-GdtWRW.g8A5sAP_WeYX28r-J6HF4Bgrm used'];
    for (const text of found) expect(unfiltered.redact(text), text).not.toBe(text);
    expect(found.filter(missed)).toEqual([]);
  });

  it('wakes for corpus-format secrets glued into random text', () => {
    fc.assert(
      fc.property(gluedSecret, ({ text }) => !missed(text)),
      { numRuns: 500 },
    );
  });

  it('wakes wherever the detectors find something in pieces of secrets and look-alikes glued together', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(piece, fc.constantFrom(...GLUE)), { minLength: 1, maxLength: 5 }),
        (parts) => !missed(parts.map(([p, glue]) => p + glue).join('')),
      ),
      { numRuns: 3000 },
    );
  });

  it('built for a few kinds, wakes for their cases in a mapping that names only them', () => {
    for (const c of KIND_CASES) {
      const own = createUnfilteredRedactor([c.kind]);
      expect(own.redact(c.input), c.kind).not.toBe(c.input);
      expect(prefilterFor(own.kinds).scan(c.input), c.kind).toBe(SCAN_HINT);
    }
  });

  it('wakes for a token after every text each provider prefix stands for, at the start or inside', () => {
    // Prefix texts written out by hand, including those a set, a group or `?` stands for.
    const words = [
      'gho_',
      'github_',
      'fm1r_',
      'fm2_',
      'dp.audit.',
      'dt0c42.',
      'glffct-',
      'NRJS-',
      'xoxp-',
      'sq0csp-',
    ];
    const tail = 'Q7vK2mX9pL4wR8tZ';
    for (const w of words) {
      expect(prefilter.scan(w + tail), w).toBe(SCAN_HINT);
      expect(prefilter.scan(`token=(${w}${tail})`), w).toBe(SCAN_HINT);
    }
  });

  it('stays quiet at the dots, dashes and underscores of host names, paths and identifiers', () => {
    const clean = [
      'user17@contoso.com',
      'agw-prod-westeurope-01.internal.cloudapp.net',
      '/api/v2/accounts/1017/login',
      'snake_case_identifier_with_words',
      'release-2026.12.07-build_4711',
    ];
    expect(clean.filter((t) => prefilter.scan(t) !== SCAN_CLEAN)).toEqual([]);
  });
});

describe('expandPrefix (the prefix texts the pre-filter tables are built from)', () => {
  it('writes out literals, escapes, sets, groups and optional parts', () => {
    expect(expandPrefix('npm_')).toEqual(['npm_']);
    expect(expandPrefix('hv[sbr]\\.')).toEqual(['hvs.', 'hvb.', 'hvr.']);
    expect(expandPrefix('fm[12][ar]?_')).toEqual(['fm1_', 'fm1a_', 'fm1r_', 'fm2_', 'fm2a_', 'fm2r_']);
    expect(expandPrefix('NR(?:AK|II)-')).toEqual(['NRAK-', 'NRII-']);
    expect(expandPrefix('dt0[a-b]\\d\\.')).toHaveLength(20);
    expect(expandPrefix('dt0[a-b]\\d\\.')).toContain('dt0b7.');
  });

  it('refuses regex syntax it does not read, naming the prefix', () => {
    expect(() => expandPrefix('ab+_')).toThrow(/prefix ab\+_: operator \+/);
    expect(() => expandPrefix('x\\w_')).toThrow(/escape/);
    expect(() => expandPrefix('(ab_')).toThrow(/group other than/);
    expect(() => expandPrefix('[ab_')).toThrow(/unclosed set/);
  });
});
