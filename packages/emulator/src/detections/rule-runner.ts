// One run of one rule: its query over the window (each table cut to TimeGenerated in
// [start, end], now() = end), the trigger on the row count, rows an earlier run already alerted
// on left out, alerts built and filed into incidents, SecurityAlert and SecurityIncident rows written.

import {
  KqlQueryError,
  runQuery,
  stringifyExactJson,
  ticksFromDate,
  type QuerySource,
  type QueryTable,
} from '@otel-sentinel/kql';
import type { Store } from '../model.js';
import { windowed } from '../query/timespan.js';
import type { AnalyticRule } from './analytic-rule.js';
import { buildAlerts, type ResultRow, type RunContext } from './build-alerts.js';
import type { Alert, Incident, IncidentEvent, RunRecord } from './detection-types.js';
import type { IncidentBook } from './incident-book.js';
import { alertRow, incidentRow, SECURITY_ALERT, SECURITY_INCIDENT } from './security-tables.js';
import { triggers } from './trigger.js';

export interface RunnerDeps {
  readonly source: QuerySource;
  readonly store: Store;
  readonly book: IncidentBook;
  readonly tenantId: string;
  readonly workspaceId: string;
  /** Leave out rows an earlier run of the rule alerted on (default on). */
  readonly dedupe: boolean;
  readonly emit: (event: IncidentEvent) => void;
}

export interface RunResult {
  readonly record: RunRecord;
  readonly alerts: readonly Alert[];
  readonly incidents: readonly Incident[];
}

/** Runs `query` over [start, end] with now() = end. */
export function queryWindow(source: QuerySource, query: string, start: Date, end: Date): QueryTable {
  return runQuery(query, windowed(source, { start: ticksFromDate(start), end: ticksFromDate(end) }), end);
}

/** The rows of a result as `column → value` objects. */
export function resultRows(table: QueryTable): ResultRow[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i] ?? null])));
}

export function runRule(rule: AnalyticRule, run: RunContext, seen: Set<string>, deps: RunnerDeps): RunResult {
  const base = {
    at: run.at.toISOString(),
    trigger: run.trigger,
    start: run.start.toISOString(),
    end: run.end.toISOString(),
  };
  let rows: ResultRow[];
  try {
    rows = resultRows(queryWindow(deps.source, rule.query, run.start, run.end));
  } catch (error: unknown) {
    // A run that fails is a failed run, never a crash of the timer that started it.
    const message =
      error instanceof KqlQueryError
        ? error.message
        : `the query engine failed: ${error instanceof Error ? error.message : String(error)}`;
    const record: RunRecord = {
      ...base,
      status: 'error',
      resultCount: 0,
      alerts: 0,
      duplicateRows: 0,
      triggered: false,
      error: message,
    };
    return { record, alerts: [], incidents: [] };
  }
  const triggered = triggers(rule.triggerOperator, rule.triggerThreshold, rows.length);
  const fresh = triggered ? newRows(rows, seen, deps.dedupe && run.trigger === 'scheduled') : [];
  // Rows all alerted on before raise nothing; a trigger on no rows at all raises its alert.
  const raise = triggered && (fresh.length > 0 || rows.length === 0);
  const alerts = raise ? buildAlerts(rule, fresh, run) : [];
  const incidents = record(rule, alerts, run.at, deps);
  const duplicateRows = triggered ? rows.length - fresh.length : 0;
  const result: RunRecord = {
    ...base,
    status: 'ok',
    resultCount: rows.length,
    alerts: alerts.length,
    duplicateRows,
    triggered,
  };
  return { record: result, alerts, incidents };
}

/**
 * The rows not alerted on before (all of them when `dedupe` is off), remembering each. Overlapping
 * windows (queryPeriod longer than queryFrequency) return the same rows again.
 */
function newRows(rows: readonly ResultRow[], seen: Set<string>, dedupe: boolean): ResultRow[] {
  const out: ResultRow[] = [];
  for (const row of rows) {
    const key = stringifyExactJson(row) ?? '';
    if (dedupe && seen.has(key)) continue;
    seen.add(key);
    out.push(row);
  }
  return out;
}

/** Writes the alerts' rows, files them into incidents (when the rule creates them) and tells listeners. */
function record(rule: AnalyticRule, alerts: readonly Alert[], at: Date, deps: RunnerDeps): Incident[] {
  if (alerts.length === 0) return [];
  deps.store.insert(
    SECURITY_ALERT.name,
    alerts.map((a) => alertRow(a, rule, deps.tenantId, deps.workspaceId)),
    at,
  );
  if (!rule.createIncident) return [];
  const touched = new Map<number, { incident: Incident; created: boolean }>();
  for (const alert of alerts) {
    const filed = deps.book.file(rule, alert, at);
    const earlier = touched.get(filed.incident.incidentNumber);
    touched.set(filed.incident.incidentNumber, {
      incident: filed.incident,
      created: filed.created || earlier?.created === true,
    });
  }
  const changed = [...touched.values()];
  deps.store.insert(
    SECURITY_INCIDENT.name,
    changed.map(({ incident, created }) =>
      incidentRow(
        incident,
        deps.tenantId,
        created ? 'Incident created from alert' : 'Alert added to incident',
      ),
    ),
    at,
  );
  for (const { incident, created } of changed)
    deps.emit({
      change: created ? 'created' : 'updated',
      incident,
      alerts: deps.book.alerts(incident.incidentNumber),
    });
  return changed.map((c) => c.incident);
}
