// The memo of values a string column passed through unchanged: it saves the scans of values that
// repeat, and never the counting of a value that had to change.
import { describe, expect, it } from 'vitest';

import { CleanMemo } from '../src/clean-memo.js';
import { compileMapping, parseMapping } from '../src/index.js';
import { ENV, oneStream, record } from './helpers.js';

describe('CleanMemo', () => {
  it('knows the values added to it, and only those', () => {
    const memo = new CleanMemo();
    memo.add('Mozilla/5.0');
    expect(memo.has('Mozilla/5.0')).toBe(true);
    expect(memo.has('curl/8.5.0')).toBe(false);
  });

  it('holds 32 values and starts over when full', () => {
    const memo = new CleanMemo();
    for (let i = 0; i < 32; i++) memo.add(`agent ${i}`);
    expect(memo.has('agent 0')).toBe(true);
    memo.add('agent 32');
    expect(memo.has('agent 0')).toBe(false);
    expect(memo.has('agent 32')).toBe(true);
  });

  it('does not keep values longer than 256 characters', () => {
    const memo = new CleanMemo();
    memo.add('x'.repeat(257));
    expect(memo.has('x'.repeat(257))).toBe(false);
  });

  it('rests when its column hardly repeats: it neither remembers nor answers for a while', () => {
    const memo = new CleanMemo();
    for (let i = 0; i < 256; i++) {
      expect(memo.has(`message ${i}`)).toBe(false);
      memo.add(`message ${i}`);
    }
    // 256 lookups without a hit: resting now.
    memo.add('message 0');
    expect(memo.has('message 0')).toBe(false);
  });
});

describe('a string column that remembers clean values', () => {
  const mapping = () => {
    const parsed = parseMapping(oneStream('      Detail: "attributes[\'detail\']"\n'), { env: ENV });
    if (!parsed.config) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
    return compileMapping(parsed.config, { env: ENV });
  };
  const detail = (m: ReturnType<typeof mapping>, value: string): unknown => {
    const outcome = m.map(record({ attributes: { detail: value } }));
    if (outcome.status !== 'mapped') throw new Error(outcome.status);
    return outcome.row.Detail;
  };

  it('redacts and counts a secret every time it repeats, among repeating clean values', () => {
    const m = mapping();
    const secret = 'password=hunter2';
    for (let i = 0; i < 100; i++) {
      expect(detail(m, i % 3 === 0 ? secret : `agent ${i % 4}`)).toBe(
        i % 3 === 0 ? 'password=[REDACTED:password-field]' : `agent ${i % 4}`,
      );
    }
    expect(m.stats().redactions['password-field']).toBe(34);
  });

  it('escapes and counts a control character every time it repeats', () => {
    const m = mapping();
    for (let i = 0; i < 50; i++) {
      expect(detail(m, i % 2 === 0 ? 'admin\u200B' : 'admin')).toBe(i % 2 === 0 ? 'admin\\u200B' : 'admin');
    }
    expect(m.stats().sanitizedValues).toBe(25);
  });
});
