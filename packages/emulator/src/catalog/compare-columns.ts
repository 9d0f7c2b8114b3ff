// Whether two column lists (of a stream or a table) say the same, and how they differ if not.

import type { ColumnDef } from '../model.js';

/** Same names with the same types; the order does not matter. */
export function sameColumns(a: readonly ColumnDef[], b: readonly ColumnDef[]): boolean {
  if (a.length !== b.length) return false;
  const types = new Map(a.map((c) => [c.name, c.type]));
  return b.every((c) => types.get(c.name) === c.type);
}

/** `X only in the first; Y is int vs string`, for conflict messages. */
export function describeDifference(a: readonly ColumnDef[], b: readonly ColumnDef[]): string {
  const left = new Map(a.map((c) => [c.name, c.type]));
  const right = new Map(b.map((c) => [c.name, c.type]));
  const diffs: string[] = [];
  for (const [name, type] of left) {
    const other = right.get(name);
    if (other === undefined) diffs.push(`${name} only in the first`);
    else if (other !== type) diffs.push(`${name} is ${type} vs ${other}`);
  }
  for (const name of right.keys()) if (!left.has(name)) diffs.push(`${name} only in the second`);
  return diffs.join('; ');
}
