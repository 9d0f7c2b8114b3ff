// Which rows of a group `deliver` handed back as not delivered. Identity is the contract; a
// JSON-equal copy is accepted too, and anything else makes replay keep the whole group.

import type { Row } from '@otel-sentinel/mapping';

/**
 * Which of `rows` `deliver` handed back. By identity first; a copy (same JSON) also counts. When
 * a returned row matches none, which ones were delivered cannot be known, so all are kept: a
 * row sent twice is better than a row lost.
 */
export function undeliveredIndexes(rows: readonly Row[], returned: unknown): ReadonlySet<number> | 'all' {
  if (!Array.isArray(returned)) return 'all';
  const failed = new Set<number>();
  if (returned.length === 0) return failed;
  const byIdentity = new Map<unknown, number>();
  rows.forEach((row, i) => byIdentity.set(row, i));
  let byJson: Map<string, number[]> | undefined;
  for (const row of returned as readonly unknown[]) {
    const i = byIdentity.get(row);
    if (i !== undefined && !failed.has(i)) {
      failed.add(i);
      continue;
    }
    byJson ??= indexByJson(rows);
    const candidates = byJson.get(jsonOf(row)) ?? [];
    const match = candidates.find((c) => !failed.has(c));
    if (match === undefined) return 'all';
    failed.add(match);
  }
  return failed;
}

/** Positions of rows by their JSON text: to match copies of rows handed back. */
export function indexByJson(rows: readonly Row[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = jsonOf(row);
    const list = map.get(key);
    if (list === undefined) map.set(key, [i]);
    else list.push(i);
  });
  return map;
}

/** The JSON text of a value, or a marker no JSON text can equal when it has none. */
export function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '\u0000unserialisable';
  }
}
