// What reached the table, read back through the query API: every row's seq (so losses and
// duplicates are exact), and the documented dedup query's count.
import type { EmulatorProcess } from './emulator-process.js';

export const TABLE = 'CrashEvents_CL';
/** The query the mapping README documents for removing duplicates, as a user would run it. */
export const DEDUP_COUNT_QUERY = `${TABLE} | summarize arg_max(TimeGenerated, *) by RowId | count`;

export interface Landed {
  /** Rows in the table. */
  readonly rows: number;
  /** Copies of each seq that landed. */
  readonly copies: ReadonlyMap<number, number>;
  /** Rows beyond the first copy of their seq. */
  readonly duplicates: number;
  /** Rows without a RowId (the dedup query cannot remove their duplicates). */
  readonly withoutRowId: number;
  /** The documented dedup query's answer. */
  readonly dedupCount: number;
}

export async function readLanded(emulator: EmulatorProcess): Promise<Landed> {
  const all = await emulator.kql(`${TABLE} | project Seq, RowId`);
  const copies = new Map<number, number>();
  let withoutRowId = 0;
  for (const [seq, rowId] of all.rows) {
    if (typeof seq !== 'number') throw new Error(`a row without a numeric Seq: ${JSON.stringify(seq)}`);
    copies.set(seq, (copies.get(seq) ?? 0) + 1);
    if (typeof rowId !== 'string' || rowId === '') withoutRowId++;
  }
  const dedup = await emulator.kql(DEDUP_COUNT_QUERY);
  const dedupCount = dedup.rows[0]?.[0];
  if (typeof dedupCount !== 'number') throw new Error(`the dedup query answered ${JSON.stringify(dedup)}`);
  return {
    rows: all.rows.length,
    copies,
    duplicates: all.rows.length - copies.size,
    withoutRowId,
    dedupCount,
  };
}

/** The seqs of `expected` that did not land, in order. */
export function missingOf(expected: Iterable<number>, landed: Landed): number[] {
  const missing: number[] = [];
  for (const seq of expected) if (!landed.copies.has(seq)) missing.push(seq);
  return missing;
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** `[1, 2, 3, 7, 9, 10]` → `1-3,7,9-10` (at most `max` ranges), for failure messages. */
export function ranges(seqs: readonly number[], max = 20): string {
  const parts: string[] = [];
  let i = 0;
  while (i < seqs.length && parts.length < max) {
    const start = seqs[i] ?? 0;
    let end = start;
    while (seqs[i + 1] === end + 1) end = seqs[++i] ?? end;
    parts.push(start === end ? String(start) : `${start}-${end}`);
    i++;
  }
  return i < seqs.length ? `${parts.join(',')},…` : parts.join(',');
}
