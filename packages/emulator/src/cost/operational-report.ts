// A self-metrics report from an exporter or gateway: how many records it filtered out (left to
// the operational pipeline) and what they would weigh as Application Insights rows. Checked field
// by field, so a sender learns exactly which field to fix.

import { OtelSentinelError } from '@otel-sentinel/mapping';

/**
 * What `POST /console/api/operational-volume` and `emulator.cost.reportOperational` take.
 * With `since`, the counts are cumulative for the run that started then (the exporter's
 * `stats()` since it started): a later report of the same `source` and `since` replaces it.
 * Without `since`, the counts are new since the source's last report, and add up.
 */
export interface OperationalReport {
  /** Who filtered the records, e.g. `audit-app` or `gateway`. 1–200 characters. */
  readonly source: string;
  /** `recordsFiltered` of the exporter's or gateway's stats. */
  readonly recordsFiltered: number;
  /** `bytesFiltered` of the exporter's or gateway's stats (an estimate, see its README). */
  readonly bytesFiltered: number;
  /** ISO 8601: when the counting started (the process start). */
  readonly since?: string;
  /** ISO 8601: when the counts were read. Default: when the emulator received the report. */
  readonly until?: string;
}

/**
 * A report that cannot be taken: `E_REPORT_INVALID` (a field is wrong: the message names it and
 * what a valid one looks like) or `E_REPORT_SHRANK` (a run's cumulative counts went down).
 * `path` names the field.
 */
export class OperationalReportError extends OtelSentinelError {
  declare readonly code: 'E_REPORT_INVALID' | 'E_REPORT_SHRANK';
}

const FIELDS = new Set(['source', 'recordsFiltered', 'bytesFiltered', 'since', 'until']);

/** A value as a message shows it. */
function shown(v: unknown): string {
  return v === undefined ? 'missing' : JSON.stringify(v);
}

function fail(message: string, path?: string): never {
  throw new OperationalReportError('E_REPORT_INVALID', message, { path });
}

function count(body: Record<string, unknown>, field: string): number {
  const v = body[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    fail(`${field} is ${shown(v)}: give a whole number of 0 or more`, field);
  }
  return v;
}

function time(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(Date.parse(v))) {
    fail(`${field} is ${shown(v)}: give an ISO 8601 date and time, e.g. 2026-12-08T09:30:00Z`, field);
  }
  return new Date(Date.parse(v)).toISOString();
}

/** The report in `body`, or an OperationalReportError naming the first field that is wrong. */
export function readOperationalReport(body: unknown): OperationalReport {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    fail(
      'the report must be a JSON object: {"source", "recordsFiltered", "bytesFiltered", "since"?, "until"?}',
    );
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) {
    fail(
      `unknown field ${unknown.join(', ')}: a report has source, recordsFiltered, bytesFiltered, since, until`,
    );
  }
  const source = record.source;
  if (typeof source !== 'string' || source.trim() === '' || source.length > 200) {
    fail(
      `source is ${shown(source)}: name who filtered the records in 1 to 200 characters, e.g. "audit-app"`,
      'source',
    );
  }
  const since = time(record, 'since');
  const until = time(record, 'until');
  if (since !== undefined && until !== undefined && since > until) {
    fail(
      `since (${since}) is after until (${until}): since is when counting started, until when it was read`,
      'since',
    );
  }
  return {
    source: source.trim(),
    recordsFiltered: count(record, 'recordsFiltered'),
    bytesFiltered: count(record, 'bytesFiltered'),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}
