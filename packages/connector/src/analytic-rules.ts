// The analytic rules of a solution: rule templates the caller passes (the owasp package's
// detections, or the user's own), checked, pointed at the solution's connector and written under
// `Analytic Rules/`, where the Azure-Sentinel packager picks them up.

import { presetTables } from '@otel-sentinel/mapping';
import type { MappingConfig } from '@otel-sentinel/mapping';
import { readRuleTemplate, retargetConnectors, type RuleTemplate } from './rule-template.js';

export interface AnalyticRuleFile {
  /** The template's file name, e.g. `brute-force-by-user.yaml`: a plain name ending in `.yaml`. */
  readonly fileName: string;
  /** The template's YAML text (Azure-Sentinel scheduled rule template format). */
  readonly content: string;
}

export const ANALYTIC_RULES_FOLDER = 'Analytic Rules';

const [owaspTable = ''] = presetTables('owasp');

/**
 * The table of the `owasp` preset (OwaspSecurityEvents_CL), as the preset file names it: a
 * mapping that writes it is the one the OWASP detections fit.
 */
export const OWASP_TABLE: string = owaspTable;

/**
 * Whether the mapping writes the owasp preset's table (`extends: owasp`, or a stream of its own
 * into that table): then pass `@otel-sentinel/owasp`'s detections as `analyticRules`.
 */
export function usesOwaspTable(config: MappingConfig): boolean {
  return config.streams.some((s) => s.table === OWASP_TABLE);
}

const REQUIRED = ['id', 'name', 'description', 'severity', 'query', 'kind'] as const;
const REQUIRED_SCHEDULED = ['queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold'] as const;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SEVERITIES = ['Informational', 'Low', 'Medium', 'High'];
const KINDS = ['Scheduled', 'NRT'];
const TIMESPAN = /^(\d+)([mhd])$/i;
const MINUTES: Readonly<Record<string, number>> = { m: 1, h: 60, d: 1440 };
export const RULE_FILE_NAME = /^[^/\\]+\.ya?ml$/;

function minutes(value: string): number | undefined {
  const match = TIMESPAN.exec(value);
  if (match === null) return undefined;
  return Number(match[1]) * (MINUTES[(match[2] ?? '').toLowerCase()] ?? Number.NaN);
}

/** What the packager needs of a template: the keys it copies, with values it can convert. */
export function templateProblems(template: RuleTemplate): string[] {
  const problems: string[] = [];
  const value = (key: string): string => template.values.get(key) ?? '';
  const kind = value('kind');
  const required = kind === 'Scheduled' ? [...REQUIRED, ...REQUIRED_SCHEDULED] : REQUIRED;
  for (const key of required) if (value(key).trim() === '') problems.push(`${key} is missing or empty`);
  const id = value('id');
  if (id !== '' && !GUID.test(id)) problems.push(`id "${id}" is not a GUID`);
  const severity = value('severity');
  if (severity !== '' && !SEVERITIES.includes(severity))
    problems.push(`severity "${severity}" is not one of ${SEVERITIES.join(', ')}`);
  if (kind !== '' && !KINDS.includes(kind)) problems.push(`kind "${kind}" is not Scheduled or NRT`);
  if (kind === 'Scheduled') {
    const spans = (['queryFrequency', 'queryPeriod'] as const).map((key) => {
      const text = value(key);
      const span = minutes(text);
      if (text !== '' && span === undefined)
        problems.push(
          `${key} "${text}" is not a KQL timespan such as 5m, 1h or 1d (the packager adds the ISO 8601 P/PT prefix itself)`,
        );
      return span;
    });
    const [frequency, period] = spans;
    if (frequency !== undefined && period !== undefined && frequency > period)
      problems.push(
        `queryFrequency ${value('queryFrequency')} is longer than queryPeriod ${value('queryPeriod')}`,
      );
  }
  return problems;
}

/** Problems with the required connectors: one must read a table of this solution, with a connectorId line. */
export function connectorProblems(
  template: RuleTemplate,
  tables: ReadonlySet<string>,
  connectorIds: ReadonlySet<string> | undefined,
): { readonly message: string; readonly fix: string }[] {
  const ours = template.connectors.filter((c) => c.dataTypes.some((t) => tables.has(t)));
  const tableList = [...tables].join(', ');
  if (ours.length === 0)
    return [
      {
        message: `requiredDataConnectors names none of this solution's tables (${tableList})`,
        fix: 'add an entry whose dataTypes lists the table the query reads',
      },
    ];
  const wanted = connectorIds === undefined ? '' : [...connectorIds].map((i) => `"${i}"`).join(' or ');
  const problems: { message: string; fix: string }[] = [];
  for (const entry of ours) {
    if (entry.range === undefined)
      problems.push({
        message: `the requiredDataConnectors entry for ${entry.dataTypes.join(', ')} has no connectorId`,
        fix: `add a connectorId line to that entry${wanted === '' ? '' : ` with ${wanted}`}`,
      });
    else if (connectorIds !== undefined && !connectorIds.has(entry.connectorId))
      problems.push({
        message: `requiredDataConnectors connectorId "${entry.connectorId}" is not this solution's connector (${[...connectorIds].join(', ')})`,
        fix: `set connectorId to ${wanted} for the entry of this solution's table`,
      });
  }
  return problems;
}

/**
 * Checks each rule and points its connectors at `connectorId`: the files to write (relative to
 * the solution folder, sorted by name) and every problem found, each naming its file.
 */
export function analyticRuleFiles(
  rules: readonly AnalyticRuleFile[],
  connectorId: string,
  tables: ReadonlySet<string>,
): { readonly files: { path: string; content: string }[]; readonly problems: string[] } {
  const problems: string[] = [];
  const files: { path: string; content: string }[] = [];
  const ids = new Map<string, string>();
  const names = new Set<string>();
  for (const rule of [...rules].sort((a, b) => a.fileName.localeCompare(b.fileName))) {
    const file = rule.fileName;
    if (!RULE_FILE_NAME.test(file)) {
      problems.push(`analytic rule "${file}": the file name must be a plain name ending in .yaml`);
      continue;
    }
    if (names.has(file)) problems.push(`analytic rule ${file} is given twice`);
    names.add(file);
    const reading = readRuleTemplate(rule.content);
    if (!reading.ok) {
      problems.push(...reading.problems.map((p) => `${file}: ${p}`));
      continue;
    }
    const { template } = reading;
    const found = [
      ...templateProblems(template),
      ...connectorProblems(template, tables, undefined).map((p) => `${p.message}: ${p.fix}`),
    ];
    problems.push(...found.map((p) => `${file}: ${p}`));
    const id = (template.values.get('id') ?? '').toLowerCase();
    const other = ids.get(id);
    if (id !== '' && other !== undefined) problems.push(`${file}: id ${id} is also the id of ${other}`);
    ids.set(id, file);
    files.push({
      path: `${ANALYTIC_RULES_FOLDER}/${file}`,
      content: retargetConnectors(rule.content, template, connectorId, tables),
    });
  }
  return { files, problems };
}
