import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonLines } from '../src/json-lines.js';

async function linesOf(chunks: readonly (string | Buffer)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of jsonLines(Readable.from(chunks, { objectMode: false }))) out.push(line);
  return out;
}

describe('jsonLines', () => {
  it('keeps a raw U+2028 and U+2029 inside a line', async () => {
    expect(await linesOf(['{"a":"x\u2028y"}\n{"b":"\u2029"}\n'])).toEqual([
      '{"a":"x\u2028y"}',
      '{"b":"\u2029"}',
    ]);
  });

  it('ends a line at \\n and at \\r\\n, not at a lone \\r', async () => {
    expect(await linesOf(['a\r\nb\rc\nd'])).toEqual(['a', 'b\rc', 'd']);
  });

  it('joins a \\r\\n split between two chunks', async () => {
    expect(await linesOf(['a\r', '\nb\n'])).toEqual(['a', 'b']);
  });

  it('joins a line spread over several chunks', async () => {
    expect(await linesOf(['{"a"', ':"b', 'c"}\n{', '}'])).toEqual(['{"a":"bc"}', '{}']);
  });

  it('decodes a UTF-8 character whose bytes are split between chunks', async () => {
    const bytes = Buffer.from('x\u2028y\n😀\n');
    expect(
      await linesOf([bytes.subarray(0, 2), bytes.subarray(2, 3), bytes.subarray(3, 8), bytes.subarray(8)]),
    ).toEqual(['x\u2028y', '😀']);
  });

  it('yields blank lines as empty strings and nothing after a final newline', async () => {
    expect(await linesOf(['a\n\n  \nb\n'])).toEqual(['a', '', '  ', 'b']);
  });

  it('yields nothing for empty input', async () => {
    expect(await linesOf([])).toEqual([]);
  });
});
