// The secret corpus itself (test/fixtures/secrets): enough entries, each well formed, so that
// what secret-corpus.accuracy.test.ts measures (recall, false positives, no half-redacted secret)
// depends on the detectors alone.
import { crc32 } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { fill, LOOKALIKES, SECRETS } from './support/secret-corpus.js';

/** Kinds that name a form rather than a provider. */
const FORMS = /^(generic|http|curl|url|private|jwt|card)-?/;
const AWS_PREFIXES = [
  'AKIA',
  'ASIA',
  'ABIA',
  'ACCA',
  'AGPA',
  'AIDA',
  'AIPA',
  'ANPA',
  'ANVA',
  'APKA',
  'AROA',
  'ASCA',
];
/** Characters sanitising rewrites; a look-alike holding one would change for that reason alone. */
const REWRITTEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62Crc(random: string): string {
  let n = crc32(Buffer.from(random));
  let s = '';
  while (n > 0) {
    s = (B62[n % 62] ?? '') + s;
    n = Math.floor(n / 62);
  }
  return s.padStart(6, '0');
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[digits.length - 1 - i]) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return sum % 10 === 0;
}

describe('the secret corpus', () => {
  it('holds at least 490 secrets from at least 40 providers, each with a source', () => {
    const providers = new Set(
      SECRETS.map((s) => s.kind)
        .filter((k) => !FORMS.test(k))
        .map((k) => k.split('-')[0]),
    );
    expect(SECRETS.length).toBeGreaterThanOrEqual(490);
    expect(providers.size).toBeGreaterThanOrEqual(40);
    expect(SECRETS.filter((s) => s.source.trim() === '')).toEqual([]);
  });

  it('has an AWS access key id of every prefix', () => {
    const prefixes = new Set(
      SECRETS.filter((s) => s.kind.startsWith('aws-access-key-id')).map((s) => s.value.slice(0, 4)),
    );
    expect([...prefixes].sort()).toEqual([...AWS_PREFIXES].sort());
  });

  it('puts each secret once into its context, with no piece of it elsewhere in the text', () => {
    const bad = SECRETS.filter((s) => {
      const parts = s.context.split('{}');
      if (parts.length !== 2 || s.value.length < 8) return true;
      const rest = parts.join(' ');
      for (let i = 0; i + 8 <= s.value.length; i++) if (rest.includes(s.value.slice(i, i + 8))) return true;
      return false;
    });
    expect(bad.map((s) => s.kind)).toEqual([]);
  });

  it('gives generated GitHub and npm tokens the CRC32 checksum their formats carry', () => {
    const tokens = SECRETS.filter((s) => /^(github-gh|npm-token)/.test(s.kind));
    expect(tokens.length).toBeGreaterThan(10);
    for (const { value } of tokens) {
      const body = value.slice(value.indexOf('_') + 1);
      expect(body.slice(30), value).toBe(base62Crc(body.slice(0, 30)));
    }
  });

  it('uses test card numbers that pass the Luhn check', () => {
    const cards = SECRETS.filter((s) => s.kind.startsWith('card-'));
    expect(cards.length).toBeGreaterThanOrEqual(15);
    for (const { value } of cards) expect(luhnValid(value.replace(/[ -]/g, '')), value).toBe(true);
  });

  it('holds at least 290 look-alikes, each saying why it is harmless, none with a character sanitising rewrites', () => {
    expect(LOOKALIKES.length).toBeGreaterThanOrEqual(290);
    expect(LOOKALIKES.filter((l) => (l.why ?? '').trim() === '').map((l) => l.value)).toEqual([]);
    expect(LOOKALIKES.filter((l) => REWRITTEN.test(fill(l))).map((l) => l.value)).toEqual([]);
  });
});
