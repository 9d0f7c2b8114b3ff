// Parses JSON text for the workbook list, and when it is not JSON says where: the line and column
// of the first character that breaks the grammar, found by our own scanner, since V8 names a
// position for some errors only.

import { jsonErrorOffset } from './json-error-offset.js';

/** Why and where a text is not JSON (1-based line and column). */
export interface JsonProblem {
  readonly reason: string;
  readonly line: number;
  readonly column: number;
}

export type JsonParse =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonProblem };

export function parseJsonText(text: string): JsonParse {
  // Files saved by Windows editors often start with a byte order mark, which JSON.parse refuses.
  const body = text.replace(/^\uFEFF/, '');
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    // V8's reason without its copy of the text or its own position.
    const reason = message
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ (?:in JSON )?at position \d+.*$/s, '');
    return { ok: false, problem: { reason, ...lineAndColumn(body, jsonErrorOffset(body)) } };
  }
}

/** The 1-based line and column of character `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
