// Secrets split by characters that hide text (zero-width space, soft hyphen, word joiner, bidi
// marks, TAG characters): the detectors look at the value without them, so a pasted token with a
// zero-width space inside is still redacted, not shown in two escaped halves.
import { describe, expect, it } from 'vitest';

import { createRedactor, newRedactionCounts } from '../src/redact.js';
import { record } from './helpers.js';
import { corpusMapping } from './support/secret-corpus.js';

const TOKEN = 'ghp_3TnJIEXbTOneQTvfSWNvbBz7c9kq5m5OAMGW';
const TAG_A = '\u{E0041}';
const HIDERS: readonly (readonly [name: string, ch: string])[] = [
  ['zero-width space', '\u200B'],
  ['zero-width joiner', '\u200D'],
  ['soft hyphen', '\u00AD'],
  ['word joiner', '\u2060'],
  ['left-to-right mark', '\u200E'],
  ['byte order mark', '\uFEFF'],
  ['TAG character', TAG_A],
  ['lone surrogate', '\uD800'],
];

const redactor = createRedactor();

function split(secret: string, ch: string): string {
  return secret.slice(0, 12) + ch + secret.slice(12, 25) + ch + secret.slice(25);
}

describe('secrets split by hiding characters', () => {
  for (const [name, ch] of HIDERS) {
    it(`redacts a GitHub token split by a ${name}`, () => {
      const counts = newRedactionCounts();
      const out = redactor.redact(`pushed with ${split(TOKEN, ch)} today`, counts);
      expect(out).toBe('pushed with [REDACTED:github-token] today');
      expect(counts['github-token']).toBe(1);
    });
  }

  it('redacts a password whose value holds a zero-width space', () => {
    expect(redactor.redact('login password=hun\u200Bter2 rejected')).toBe(
      'login password=[REDACTED:password-field] rejected',
    );
  });

  it('redacts a key name split by a zero-width space', () => {
    expect(redactor.redact('client_sec\u200Bret: Zx9qL2wE7rT5yU3i')).toBe(
      'client_secret: [REDACTED:secret-field]',
    );
  });

  it('keeps a hiding character that splits no secret, when the value holds one elsewhere', () => {
    const counts = newRedactionCounts();
    expect(redactor.redact('admin\u200B set password=hunter2', counts)).toBe(
      'admin\u200B set password=[REDACTED:password-field]',
    );
    expect(counts['password-field']).toBe(1);
  });

  it('counts a secret once when the value read with and without hiding characters both show it', () => {
    const counts = newRedactionCounts();
    expect(redactor.redact(`${split(TOKEN, '\u200B')} and ${TOKEN}`, counts)).toBe(
      '[REDACTED:github-token] and [REDACTED:github-token]',
    );
    expect(counts['github-token']).toBe(2);
  });

  it('leaves a value with hiding characters but no secret to sanitising, unchanged', () => {
    const value = 'admin\u200B signed in from 203.0.113.7 \u202Eevil';
    expect(redactor.redact(value)).toBe(value);
  });

  it('in a mapped row, no piece of the token survives in a string column, a dynamic column or the body', () => {
    const mapping = corpusMapping();
    const value = `token ${split(TOKEN, '\u200B')} used`;
    const outcome = mapping.map(
      record({ body: value, attributes: { 'event.detail': value, 'deploy.note': value } }),
    );
    if (outcome.status !== 'mapped') throw new Error(`record not mapped: ${outcome.status}`);
    const json = JSON.stringify(outcome.row);
    for (let i = 0; i + 8 <= TOKEN.length; i++) expect(json).not.toContain(TOKEN.slice(i, i + 8));
    expect(json.match(/\[REDACTED:github-token\]/g)).toHaveLength(3);
    expect(mapping.stats().redactions['github-token']).toBe(3);
  });
});
