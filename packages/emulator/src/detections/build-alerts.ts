// The alerts of one run: one for the whole result (SingleAlert) or one per row (AlertPerResult,
// at most 150 a run, the 150th standing for the rest), each with its entities, custom details
// and the rule's alertDetailsOverride filled in from the row's columns.

import { randomUUID } from 'node:crypto';
import { stringifyExactJson } from '@otel-sentinel/kql';
import type { AnalyticRule } from './analytic-rule.js';
import type { Alert, Entity, Severity } from './detection-types.js';
import { MAX_ALERTS_PER_RUN } from './rule-limits.js';

export type ResultRow = Readonly<Record<string, unknown>>;

/** Where and why the run happened. */
export interface RunContext {
  readonly start: Date;
  readonly end: Date;
  readonly at: Date;
  readonly trigger: 'scheduled' | 'on demand';
}

const SEVERITIES: readonly Severity[] = ['Informational', 'Low', 'Medium', 'High'];
const PLACEHOLDER = /\{\{\s*([^}\s]+)\s*\}\}/g;

/** The alerts `rows` raise under `rule`, whose trigger held. */
export function buildAlerts(rule: AnalyticRule, rows: readonly ResultRow[], run: RunContext): Alert[] {
  // A trigger that holds on no rows (`lt 1`, `eq 0`) raises one alert for the absence itself.
  if (rule.aggregationKind === 'SingleAlert') return [alertOf(rule, rows, run)];
  if (rows.length === 0) return [];
  if (rows.length <= MAX_ALERTS_PER_RUN) return rows.map((row) => alertOf(rule, [row], run));
  const each = rows.slice(0, MAX_ALERTS_PER_RUN - 1).map((row) => alertOf(rule, [row], run));
  return [...each, { ...alertOf(rule, rows, run), summarises: rows.length }];
}

function alertOf(rule: AnalyticRule, rows: readonly ResultRow[], run: RunContext): Alert {
  const first = rows[0] ?? {};
  const override = rule.alertDetailsOverride;
  return {
    id: randomUUID(),
    ruleId: rule.id,
    ruleName: rule.name,
    displayName: fill(override.alertDisplayNameFormat, first) ?? rule.name,
    description: fill(override.alertDescriptionFormat, first) ?? rule.description,
    severity: severityFrom(first, override.alertSeverityColumnName) ?? rule.severity,
    tactics: tacticsFrom(first, override.alertTacticsColumnName) ?? rule.tactics,
    techniques: rule.techniques,
    entities: entitiesOf(rule, rows),
    customDetails: customDetailsOf(rule, rows),
    rows,
    startTime: run.start.toISOString(),
    endTime: run.end.toISOString(),
    timeGenerated: run.at.toISOString(),
    trigger: run.trigger,
  };
}

/** `{{Column}}` replaced by the row's value (an unknown column is left as written). */
function fill(format: string | undefined, row: ResultRow): string | undefined {
  if (format === undefined) return undefined;
  return format.replace(PLACEHOLDER, (whole, column: string) =>
    Object.hasOwn(row, column) ? cellText(row[column]) : whole,
  );
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return stringifyExactJson(value) ?? '';
}

function severityFrom(row: ResultRow, column: string | undefined): Severity | undefined {
  if (column === undefined) return undefined;
  const value = cellText(row[column]).toLowerCase();
  return SEVERITIES.find((s) => s.toLowerCase() === value);
}

function tacticsFrom(row: ResultRow, column: string | undefined): string[] | undefined {
  if (column === undefined) return undefined;
  const value = cellText(row[column]);
  return value === ''
    ? undefined
    : value
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '');
}

/** Each mapping's entity per row, identifiers with no value left out, duplicates once. */
export function entitiesOf(rule: AnalyticRule, rows: readonly ResultRow[]): Entity[] {
  const seen = new Map<string, Entity>();
  for (const row of rows) {
    for (const mapping of rule.entityMappings) {
      const properties: Record<string, unknown> = {};
      for (const { identifier, columnName } of mapping.fieldMappings) {
        const value = row[columnName];
        if (value !== null && value !== undefined && value !== '') properties[identifier] = value;
      }
      const values = Object.values(properties);
      if (values.length === 0) continue;
      const entity = {
        kind: mapping.entityType,
        properties: { ...properties, friendlyName: cellText(values[0]) },
      };
      const key = stringifyExactJson(entity) ?? '';
      if (!seen.has(key)) seen.set(key, entity);
    }
  }
  return [...seen.values()];
}

/** customDetails: the row's value per key; for several rows, the list of their values. */
function customDetailsOf(rule: AnalyticRule, rows: readonly ResultRow[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(rule.customDetails))
    out[key] = rows.length === 1 ? (rows[0]?.[column] ?? null) : rows.map((r) => r[column] ?? null);
  return out;
}
