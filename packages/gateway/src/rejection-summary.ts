// Tallies why security records of one request produced no row, for the OTLP partial-success
// message: 'rejected 3 of 512 log records: 2 required column EventName missing (stream
// Custom-X), 1 unrouted'. Built from codes, columns and stream names only, never record values.

import type { RejectReason } from '@otel-sentinel/mapping';

function describe(reason: RejectReason): string {
  const column = reason.column ?? '?';
  const where = reason.stream !== undefined ? ` (stream ${reason.stream})` : '';
  switch (reason.code) {
    case 'E_REQUIRED_MISSING':
      return `required column ${column} missing${where}`;
    case 'E_REQUIRED_INVALID':
      return `required column ${column} invalid${where}`;
    case 'E_COLUMN_MISMATCH':
      return `column ${column} value does not fit its type${where}`;
    case 'E_ROW_TOO_LARGE':
      return `row over the size limit${where}`;
    case 'E_UNROUTED':
      return 'unrouted';
  }
}

export class RejectionSummary {
  private readonly counts = new Map<string, number>();
  /** Records that produced no row. */
  rejected = 0;
  /** Of those, the records no stream takes. */
  unrouted = 0;

  add(reason: RejectReason): void {
    this.rejected++;
    if (reason.code === 'E_UNROUTED') this.unrouted++;
    const key = describe(reason);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** The English message of the partial success, most frequent cause first. */
  message(records: number): string {
    const parts = [...this.counts]
      .sort((a, b) => b[1] - a[1])
      .map(([what, n]) => `${n} ${what}`)
      .join(', ');
    return `rejected ${this.rejected} of ${records} log records: ${parts}`;
  }
}
