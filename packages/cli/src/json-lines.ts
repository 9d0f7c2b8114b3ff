// Splits a byte stream into the lines of JSON lines: only `\n` (or `\r\n`) ends a line. Node's
// readline also ends one at a lone `\r` and at U+2028/U+2029, which JSON allows raw inside a
// string, so a valid record holding one would be cut in two.

import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/** Yields each line of `input` without its `\n` or `\r\n`; a last line without one too. */
export async function* jsonLines(input: Readable): AsyncGenerator<string, void, undefined> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<unknown>) {
    // Search only the new text: a long line spread over many chunks is scanned once.
    const from = rest.length;
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let start = 0;
    let end = rest.indexOf('\n', from);
    while (end !== -1) {
      yield withoutCr(rest.slice(start, end));
      start = end + 1;
      end = rest.indexOf('\n', start);
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') yield withoutCr(rest);
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
