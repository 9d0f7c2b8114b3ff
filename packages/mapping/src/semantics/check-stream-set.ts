// The streams of a file together: routing order and streams declared twice.

import type { Problems } from './semantic-context.js';

/** Checks that span streams: routing order, duplicates, tables written by several streams. */
export function checkStreamSet(
  streams: readonly {
    readonly stream: string;
    readonly match?: unknown;
    readonly dcrImmutableId?: string | undefined;
  }[],
  problems: Problems,
): void {
  const catchAll = streams.findIndex((s) => s.match === undefined);
  if (catchAll === -1) {
    problems.warn(
      'W_NO_CATCH_ALL',
      ['streams'],
      'every stream has a match, so a security record that fits none is unrouted (counted and reported, not sent); add a last stream without match to catch the rest',
    );
  } else if (catchAll < streams.length - 1) {
    problems.warn(
      'W_UNREACHABLE_STREAM',
      ['streams', catchAll + 1],
      `stream ${catchAll} has no match and takes every record, so the streams after it never receive any; move the catch-all last`,
    );
  }
  const byKey = new Map<string, number>();
  streams.forEach((s, i) => {
    const key = `${s.dcrImmutableId ?? '<top>'}|${s.stream}`;
    const prev = byKey.get(key);
    if (prev !== undefined)
      problems.error(
        'E_DUPLICATE_STREAM',
        ['streams', i, 'stream'],
        `stream ${s.stream} is already declared by streams[${prev}] for the same DCR`,
      );
    else byKey.set(key, i);
  });
}
