// A rule YAML document as an AnalyticRule: the required fields checked (file:line:col and the
// field when one is missing or wrong), Sentinel's spellings of the trigger operator accepted,
// and the limits Sentinel enforces turned into a reason the rule does not run.

import type {
  AlertDetailsOverride,
  AnalyticRule,
  EntityMapping,
  GroupingConfiguration,
  TriggerOperator,
} from './analytic-rule.js';
import type { Severity } from './detection-types.js';
import { ruleLimitProblem } from './rule-limits.js';
import { durationMs } from './rule-duration.js';
import type { RuleDocument } from './rule-document.js';

const SEVERITIES: readonly Severity[] = ['Informational', 'Low', 'Medium', 'High'];

/** Template spellings (`gt`) and the ARM API's (`GreaterThan`). */
const OPERATORS: Readonly<Record<string, TriggerOperator>> = {
  gt: 'gt',
  greaterthan: 'gt',
  lt: 'lt',
  lessthan: 'lt',
  eq: 'eq',
  equal: 'eq',
  ne: 'ne',
  notequal: 'ne',
};

const FIVE_HOURS_MS = 5 * 3_600_000;

/** The rule of `doc`; throws a DetectionError (E_RULE_FILE) naming the field at fault. */
export function readRule(doc: RuleDocument): AnalyticRule {
  const id = doc.text('id', true);
  const name = doc.text('name', true);
  const kind = doc.text('kind') ?? 'Scheduled';
  const base = {
    id,
    name,
    kind,
    source: doc.file,
    description: (doc.text('description') ?? '').trim().replace(/^'(.*)'$/s, '$1'),
    severity: severityOf(doc),
    enabled: doc.value('enabled') !== false,
    tactics: doc.texts('tactics'),
    techniques:
      doc.texts('relevantTechniques').length > 0 ? doc.texts('relevantTechniques') : doc.texts('techniques'),
  };
  if (kind !== 'Scheduled')
    return { ...notScheduled(base), notRunning: `kind ${kind}: the emulator runs only Scheduled rules` };
  const rule: AnalyticRule = {
    ...base,
    query: doc.text('query', true),
    queryFrequencyMs: duration(doc, 'queryFrequency'),
    queryPeriodMs: duration(doc, 'queryPeriod'),
    triggerOperator: operatorOf(doc),
    triggerThreshold: thresholdOf(doc),
    entityMappings: entityMappingsOf(doc),
    customDetails: doc.textMap('customDetails'),
    alertDetailsOverride: overrideOf(doc),
    aggregationKind: aggregationOf(doc),
    suppressionMs:
      doc.value('suppressionEnabled') === true ? optionalDuration(doc, 'suppressionDuration', 0) : 0,
    createIncident: doc.value('incidentConfiguration', 'createIncident') !== false,
    grouping: groupingOf(doc),
  };
  const limit = ruleLimitProblem(rule);
  return limit === undefined ? rule : { ...rule, notRunning: limit };
}

/** A rule of another kind: listed with the fields it has, never run. */
function notScheduled(
  base: Omit<
    AnalyticRule,
    | 'query'
    | 'queryFrequencyMs'
    | 'queryPeriodMs'
    | 'triggerOperator'
    | 'triggerThreshold'
    | 'entityMappings'
    | 'customDetails'
    | 'alertDetailsOverride'
    | 'aggregationKind'
    | 'suppressionMs'
    | 'createIncident'
    | 'grouping'
  >,
): AnalyticRule {
  return {
    ...base,
    query: '',
    queryFrequencyMs: 0,
    queryPeriodMs: 0,
    triggerOperator: 'gt',
    triggerThreshold: 0,
    entityMappings: [],
    customDetails: {},
    alertDetailsOverride: {},
    aggregationKind: 'SingleAlert',
    suppressionMs: 0,
    createIncident: false,
    grouping: undefined,
  };
}

/** eventGroupingSettings.aggregationKind (templates) or aggregationKind (ARM); default SingleAlert. */
function aggregationOf(doc: RuleDocument): AnalyticRule['aggregationKind'] {
  const kind = doc.value('eventGroupingSettings', 'aggregationKind') ?? doc.value('aggregationKind');
  if (kind === undefined || kind === 'SingleAlert') return 'SingleAlert';
  if (kind === 'AlertPerResult') return 'AlertPerResult';
  throw doc.error(
    ['eventGroupingSettings', 'aggregationKind'],
    `aggregationKind ${shown(kind)} is not SingleAlert or AlertPerResult`,
  );
}

function severityOf(doc: RuleDocument): Severity {
  const text = doc.text('severity', true);
  const severity = SEVERITIES.find((s) => s.toLowerCase() === text.toLowerCase());
  if (severity === undefined)
    throw doc.error(['severity'], `severity ${text} is not one of ${SEVERITIES.join(', ')}`);
  return severity;
}

function duration(doc: RuleDocument, key: string): number {
  const text = doc.text(key, true);
  const ms = durationMs(text);
  if (ms === undefined || ms <= 0)
    throw doc.error(
      [key],
      `${key} ${text} is not a duration: write 5m, 1h, 1d or ISO 8601 (PT5M, PT1H, P1D)`,
    );
  return ms;
}

function optionalDuration(doc: RuleDocument, key: string, fallback: number, within?: string): number {
  const path = within === undefined ? [key] : [within, key];
  const value = doc.value(...path);
  if (value === undefined) return fallback;
  const ms = typeof value === 'string' ? durationMs(value) : undefined;
  if (ms === undefined)
    throw doc.error(path, `${path.join('.')} ${shown(value)} is not a duration: write 5h or ISO 8601 (PT5H)`);
  return ms;
}

function operatorOf(doc: RuleDocument): TriggerOperator {
  const text = doc.text('triggerOperator', true);
  const operator = OPERATORS[text.toLowerCase()];
  if (operator === undefined)
    throw doc.error(
      ['triggerOperator'],
      `triggerOperator ${text} is not gt, lt, eq or ne (GreaterThan, LessThan, Equal, NotEqual)`,
    );
  return operator;
}

function thresholdOf(doc: RuleDocument): number {
  const value = doc.value('triggerThreshold');
  if (value === undefined)
    throw doc.error(['triggerThreshold'], 'has no triggerThreshold: add it (a whole number, e.g. 0)');
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw doc.error(
      ['triggerThreshold'],
      `triggerThreshold ${shown(value)} must be a whole number 0 or more`,
    );
  return n;
}

function entityMappingsOf(doc: RuleDocument): EntityMapping[] {
  const value = doc.value('entityMappings');
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw doc.error(['entityMappings'], 'entityMappings must be a list of { entityType, fieldMappings }');
  return value.map((raw: unknown, i) => {
    const m = raw as { entityType?: unknown; fieldMappings?: unknown } | null;
    const fields = m?.fieldMappings;
    if (typeof m?.entityType !== 'string' || !Array.isArray(fields))
      throw doc.error(
        ['entityMappings', String(i)],
        `entityMappings[${i}] needs an entityType and fieldMappings`,
      );
    return {
      entityType: m.entityType,
      fieldMappings: fields.map((f: unknown, j) => {
        const field = f as { identifier?: unknown; columnName?: unknown } | null;
        if (typeof field?.identifier !== 'string' || typeof field.columnName !== 'string')
          throw doc.error(
            ['entityMappings', String(i), 'fieldMappings', String(j)],
            `entityMappings[${i}].fieldMappings[${j}] needs an identifier and a columnName`,
          );
        return { identifier: field.identifier, columnName: field.columnName };
      }),
    };
  });
}

function overrideOf(doc: RuleDocument): AlertDetailsOverride {
  const value = doc.value('alertDetailsOverride');
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw doc.error(
      ['alertDetailsOverride'],
      'alertDetailsOverride must be a map (alertDisplayNameFormat, alertDescriptionFormat, …)',
    );
  const out: Record<string, string> = {};
  for (const key of [
    'alertDisplayNameFormat',
    'alertDescriptionFormat',
    'alertSeverityColumnName',
    'alertTacticsColumnName',
  ]) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'string' && v !== '') out[key] = v;
  }
  return out;
}

function groupingOf(doc: RuleDocument): GroupingConfiguration | undefined {
  const at = ['incidentConfiguration', 'groupingConfiguration'];
  if (doc.value(...at, 'enabled') !== true) return undefined;
  const method = doc.value(...at, 'matchingMethod') ?? 'AllEntities';
  if (method !== 'AllEntities' && method !== 'AnyAlert' && method !== 'Selected')
    throw doc.error(
      [...at, 'matchingMethod'],
      `matchingMethod ${shown(method)} is not AllEntities, AnyAlert or Selected`,
    );
  const lookback = doc.value(...at, 'lookbackDuration');
  const lookbackMs = typeof lookback === 'string' ? durationMs(lookback) : FIVE_HOURS_MS;
  if (lookbackMs === undefined)
    throw doc.error(
      [...at, 'lookbackDuration'],
      `lookbackDuration ${shown(lookback)} is not a duration (PT5H)`,
    );
  return {
    enabled: true,
    lookbackMs,
    matchingMethod: method,
    groupByEntities: doc.texts(...at, 'groupByEntities'),
    groupByAlertDetails: doc.texts(...at, 'groupByAlertDetails'),
    groupByCustomDetails: doc.texts(...at, 'groupByCustomDetails'),
  };
}

/** A YAML value as the user wrote it, for a message. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
