// Where JSON.parse failed, as a line of the sample, and its message without the copy of the input
// V8 appends: a user fixing a sample file needs the line, not an offset.

/** The 1-based line of a JSON.parse error in `text`. */
export function lineOf(error: unknown, text: string): number {
  return text.slice(0, errorOffset(error, text)).split('\n').length;
}

/**
 * Where JSON.parse failed. V8 gives the position for most errors but not for "Unexpected token";
 * then the longest prefix that is still valid or merely incomplete ends there.
 */
function errorOffset(error: unknown, text: string): number {
  const at = positionIn(errorText(error));
  if (at !== undefined) return at;
  let fine = 0;
  let bad = text.length;
  while (bad - fine > 1) {
    const mid = (fine + bad) >>> 1;
    if (isValidPrefix(text.slice(0, mid))) fine = mid;
    else bad = mid;
  }
  return fine;
}

function isValidPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = errorText(error);
    const at = positionIn(message);
    return message.startsWith('Unexpected end') || (at !== undefined && at >= prefix.length);
  }
}

function positionIn(message: string): number | undefined {
  const m = /at position (\d+)/.exec(message);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** The error message on one line, without the copy of the input V8 appends to some of them. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const head = message.split(/, (?:\.\.\.)?"/)[0] ?? message;
  return head.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
