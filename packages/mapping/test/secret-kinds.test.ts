// Every secret kind, by its hand-written cases (support/secret-kind-cases.ts): the secret goes, the
// text around it stays, the count names the kind, and a second pass changes nothing.
import { describe, expect, it } from 'vitest';

import { createRedactor, newRedactionCounts, SECRET_KINDS } from '../src/redact.js';
import { hasTokenChecksum } from '../src/secrets/checksums.js';
import { KIND_CASES as CASES } from './support/secret-kind-cases.js';

const redactor = createRedactor();

describe('every secret kind', () => {
  it.each(CASES)('$kind: "$input"', ({ kind, input, output }) => {
    const counts = newRedactionCounts();
    expect(redactor.redact(input, counts)).toBe(output);
    expect(counts[kind]).toBeGreaterThanOrEqual(1);
  });

  it.each(CASES)(
    'finds $kind with a redactor built for that kind alone: "$input"',
    ({ kind, input, output }) => {
      // Marker text in the input (from another kind) stays as it is.
      expect(createRedactor([kind]).redact(input)).toBe(output);
    },
  );

  it.each(CASES)('changes nothing the second time: "$input"', ({ output }) => {
    expect(redactor.redact(output)).toBe(output);
  });

  it('has a case for every kind', () => {
    const covered = new Set(CASES.map((c) => c.kind));
    expect(SECRET_KINDS.filter((k) => !covered.has(k))).toEqual([]);
  });

  it('covers at least 40 providers', () => {
    const generic = new Set(['jwt', 'bearer', 'basic-auth', 'url-credentials', 'private-key', 'card']);
    const providers = SECRET_KINDS.filter(
      (k) => !generic.has(k) && !k.endsWith('-field') && k !== 'auth-header',
    );
    expect(providers.length).toBeGreaterThanOrEqual(40);
  });
});

describe('token checksums', () => {
  it('accepts a GitHub token whose last six characters are the CRC32 of the rest', () => {
    expect(hasTokenChecksum('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')).toBe(true);
    expect(hasTokenChecksum('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')).toBe(true);
  });

  it('rejects the same token with one character changed', () => {
    expect(hasTokenChecksum('ghp_abcdefghijklmnopqrstuvwxyzABCE4dNndU')).toBe(false);
    expect(hasTokenChecksum('ghp_abcdefghijklmnopqrstuvwxyzABCD4dNndV')).toBe(false);
  });

  it('leaves a ghp_ word without a checksum or random look alone', () => {
    const text = 'rule ghp_abcdefghijklmnopqrstuvwxyzabcdefghij matched';
    expect(redactor.redact(text)).toBe(text);
  });
});
