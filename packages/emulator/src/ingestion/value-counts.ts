// How many values the emulator did not store as sent, per table (or input stream), column and
// reason, since start-up or the last reset: read with GET /admin/value-counts, and logged.

import type { ValueIssue } from './field-type.js';

export interface ValueCount {
  /**
   * The output table (`…_CL`), or the DCR input stream (`Custom-…`) for what happens before the
   * transform: `undeclared` fields and the type checks of the stream declaration.
   */
  readonly table: string;
  readonly column: string;
  readonly reason: ValueIssue;
  readonly count: number;
}

export class ValueCounts {
  /** `table \0 column \0 reason` → count. */
  private readonly counts = new Map<string, number>();

  add(table: string, column: string, reason: ValueIssue, n = 1): void {
    const key = `${table}\0${column}\0${reason}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  /** Every count, ordered by table, column and reason. */
  list(): ValueCount[] {
    const out: ValueCount[] = [];
    for (const [key, count] of this.counts) {
      const [table = '', column = '', reason = ''] = key.split('\0');
      out.push({ table, column, reason: reason as ValueIssue, count });
    }
    return out.sort(
      (a, b) =>
        a.table.localeCompare(b.table) ||
        a.column.localeCompare(b.column) ||
        a.reason.localeCompare(b.reason),
    );
  }

  /** Adds every count of `other` (one request's) to these. */
  merge(other: ValueCounts): void {
    for (const [key, n] of other.counts) this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  get size(): number {
    return this.counts.size;
  }

  clear(): void {
    this.counts.clear();
  }

  /** `Table.Column reason=n, …`: one log line's worth; never a value. */
  summary(): string {
    return this.list()
      .map((c) => `${c.table}.${c.column} ${c.reason}=${c.count}`)
      .join(', ');
  }
}
