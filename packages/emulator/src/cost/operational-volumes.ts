// The operational volume reported so far, per source and UTC day. Cumulative reports of one run
// (same source and `since`) are turned into what is new since the run's previous report, and that
// goes to the day of the report's `until`: an app reporting every hour spreads over its days.

import type { OperationalReport } from './operational-report.js';
import { OperationalReportError } from './operational-report.js';
import { utcDay } from './projection.js';

/** What one source filtered on one UTC day. */
export interface OperationalDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  readonly records: number;
  /** Their estimated size as Application Insights rows (the reports' `bytesFiltered`). */
  readonly bytes: number;
}

/** What one source filtered: totals and per UTC day. */
export interface OperationalSource {
  /** The reports' `source`. */
  readonly source: string;
  /** Every record reported, whatever its day. */
  readonly recordsFiltered: number;
  /** Their estimated size as Application Insights rows. */
  readonly bytesFiltered: number;
  /** When its last report was read. */
  readonly lastReportAt: string;
  readonly days: readonly OperationalDay[];
}

interface RunCounts {
  records: number;
  bytes: number;
}

interface SourceState {
  readonly runs: Map<string, RunCounts>;
  readonly days: Map<string, RunCounts>;
  lastReportAt: string;
}

export class OperationalVolumes {
  private readonly sources = new Map<string, SourceState>();

  /** Takes a checked report; `receivedAt` stands in for a missing `until`. */
  add(report: OperationalReport, receivedAt: Date): void {
    const until = report.until ?? receivedAt.toISOString();
    const state = this.sources.get(report.source) ?? {
      runs: new Map<string, RunCounts>(),
      days: new Map<string, RunCounts>(),
      lastReportAt: until,
    };
    let records = report.recordsFiltered;
    let bytes = report.bytesFiltered;
    if (report.since !== undefined) {
      const before = state.runs.get(report.since) ?? { records: 0, bytes: 0 };
      if (records < before.records || bytes < before.bytes) {
        throw new OperationalReportError(
          'E_REPORT_SHRANK',
          `${report.source}'s run since ${report.since} reported ${before.records} records (${before.bytes} bytes) ` +
            `before and ${records} (${bytes}) now: a run's counts only grow; a restarted process sends a new since`,
          { path: 'recordsFiltered' },
        );
      }
      state.runs.set(report.since, { records, bytes });
      records -= before.records;
      bytes -= before.bytes;
    }
    const day = utcDay(new Date(until));
    const sum = state.days.get(day) ?? { records: 0, bytes: 0 };
    sum.records += records;
    sum.bytes += bytes;
    state.days.set(day, sum);
    if (until > state.lastReportAt) state.lastReportAt = until;
    this.sources.set(report.source, state);
  }

  /** Every source, by name, with its days in order. */
  list(): OperationalSource[] {
    return [...this.sources]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([source, state]) => {
        const days = [...state.days]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([day, v]) => ({ day, records: v.records, bytes: v.bytes }));
        return {
          source,
          recordsFiltered: days.reduce((n, d) => n + d.records, 0),
          bytesFiltered: days.reduce((n, d) => n + d.bytes, 0),
          lastReportAt: state.lastReportAt,
          days,
        };
      });
  }
}
