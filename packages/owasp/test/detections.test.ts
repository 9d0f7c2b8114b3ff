// The analytic rule templates in detections/: each is an Azure-Sentinel scheduled rule template as
// the Content Hub packager (createSolutionV3.ps1) reads it, and its query is KQL that Microsoft's
// Kusto parser and semantic analyzer accept against the OwaspSecurityEvents_CL table.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeKql, KqlQueryError, parseKql } from '@otel-sentinel/kql';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OWASP_EVENTS } from '../src/vocabulary.js';
import { COLUMNS, TABLE } from './support/owasp-table.js';

const DIR = fileURLToPath(new URL('../detections/', import.meta.url));

/** The placeholder the connector generator replaces with the solution's connector definition id. */
const CONNECTOR_ID = 'OwaspSecurityEventsPush';

/** The tactic names Sentinel accepts (AttackTactic of the SecurityInsights API). */
const TACTICS = new Set([
  'Reconnaissance',
  'ResourceDevelopment',
  'InitialAccess',
  'Execution',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'CredentialAccess',
  'Discovery',
  'LateralMovement',
  'Collection',
  'Exfiltration',
  'CommandAndControl',
  'Impact',
  'ImpairProcessControl',
  'InhibitResponseFunction',
  'PreAttack',
]);

/** Entity types the rules map, with the identifiers Sentinel defines for each. */
const ENTITY_IDENTIFIERS: ReadonlyMap<string, readonly string[]> = new Map([
  [
    'Account',
    [
      'Name',
      'FullName',
      'NTDomain',
      'DnsDomain',
      'UPNSuffix',
      'Sid',
      'AadTenantId',
      'AadUserId',
      'PUID',
      'IsDomainJoined',
      'DisplayName',
      'ObjectGuid',
    ],
  ],
  ['IP', ['Address']],
  [
    'Host',
    ['DnsDomain', 'NTDomain', 'HostName', 'FullName', 'NetBiosName', 'AzureID', 'OMSAgentID', 'OSFamily'],
  ],
  ['URL', ['Url']],
]);

const REQUIRED_KEYS = [
  'id',
  'name',
  'description',
  'severity',
  'requiredDataConnectors',
  'queryFrequency',
  'queryPeriod',
  'triggerOperator',
  'triggerThreshold',
  'tactics',
  'relevantTechniques',
  'query',
  'entityMappings',
  'eventGroupingSettings',
  'version',
  'kind',
] as const;
const OPTIONAL_KEYS = ['status', 'customDetails', 'alertDetailsOverride'] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
/** The template form of a duration: a KQL timespan in minutes, hours or days (`5m`, `1h`, `14d`). */
const DURATION = /^(\d+)([mhd])$/;
const MINUTES: Readonly<Record<string, number>> = { m: 1, h: 60, d: 1440 };

interface RuleFile {
  readonly file: string;
  readonly rule: Readonly<Record<string, unknown>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadRules(): RuleFile[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const rule: unknown = parse(readFileSync(`${DIR}${file}`, 'utf8'));
      if (!isRecord(rule)) throw new Error(`${file} is not a YAML mapping`);
      return { file, rule };
    });
}

const RULES = loadRules();

function text(rule: RuleFile['rule'], key: string): string {
  const value = rule[key];
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** What the packager writes for the ARM rule: `1h` → `PT1H`, `1d` → `P1D`. */
function iso8601(duration: string): string {
  const upper = duration.toUpperCase();
  return upper.includes('D') ? `P${upper}` : `PT${upper}`;
}

function minutes(duration: string): number | undefined {
  const match = DURATION.exec(duration);
  if (match === null) return undefined;
  return Number(match[1]) * (MINUTES[match[2] ?? ''] ?? Number.NaN);
}

/** Every way `rule` breaks the template format; [] when it fits. */
function templateProblems(rule: RuleFile['rule']): string[] {
  const problems: string[] = [];
  const problem = (key: string, message: string): void => {
    problems.push(`${key}: ${message}`);
  };
  for (const key of REQUIRED_KEYS) if (!(key in rule)) problem(key, 'missing');
  const known = new Set<string>([...REQUIRED_KEYS, ...OPTIONAL_KEYS]);
  for (const key of Object.keys(rule)) if (!known.has(key)) problem(key, 'not a template key');

  if (!GUID.test(text(rule, 'id'))) problem('id', `"${text(rule, 'id')}" is not a lower-case GUID`);
  const name = text(rule, 'name');
  if (!name.startsWith('OWASP - ') || name.length > 50 || name.endsWith('.'))
    problem('name', `"${name}" should start with "OWASP - ", fit 50 characters and not end in a period`);
  // The packager strips the quotes of a description written as '…' in a block literal.
  const description = text(rule, 'description').trim();
  const inner = description.slice(1, -1);
  if (!description.startsWith("'") || !description.endsWith("'"))
    problem('description', "write it as a block literal in single quotes: |\\n  '…'");
  if (!/^(Identifies|This query searches for) /.test(inner) || inner.length > 255)
    problem('description', 'should start with "Identifies" and fit 255 characters');
  if (!['Informational', 'Low', 'Medium', 'High'].includes(text(rule, 'severity')))
    problem('severity', `"${text(rule, 'severity')}" is not Informational, Low, Medium or High`);
  if ('status' in rule && text(rule, 'status') !== 'Available') problem('status', 'should be Available');

  const connectors = list(rule.requiredDataConnectors);
  const wanted = connectors.filter(isRecord).filter((c) => c.connectorId === CONNECTOR_ID);
  if (connectors.length !== 1 || wanted.length !== 1)
    problem('requiredDataConnectors', `should be one connector, ${CONNECTOR_ID}`);
  const dataTypes = list(wanted[0]?.dataTypes);
  if (dataTypes.length !== 1 || dataTypes[0] !== TABLE)
    problem('requiredDataConnectors', `dataTypes should be [${TABLE}]`);

  const frequency = minutes(text(rule, 'queryFrequency'));
  const period = minutes(text(rule, 'queryPeriod'));
  if (frequency === undefined || period === undefined)
    problem('queryFrequency/queryPeriod', 'should be KQL timespans such as 5m, 1h or 1d');
  else {
    if (frequency < 5 || period < 5 || frequency > 14 * 1440 || period > 14 * 1440)
      problem('queryFrequency/queryPeriod', 'should be between 5m and 14d');
    if (frequency > period) problem('queryFrequency', 'should not exceed queryPeriod');
    if (period >= 2 * 1440 && frequency < 60)
      problem('queryFrequency', 'should be at least 1h when queryPeriod is 2d or more');
  }
  if (!['gt', 'lt', 'eq', 'ne'].includes(text(rule, 'triggerOperator')))
    problem('triggerOperator', 'should be gt, lt, eq or ne');
  const threshold = rule.triggerThreshold;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 0 || threshold > 10_000)
    problem('triggerThreshold', 'should be an integer from 0 to 10000');

  const tactics = list(rule.tactics);
  if (tactics.length === 0) problem('tactics', 'empty');
  for (const t of tactics)
    if (typeof t !== 'string' || !TACTICS.has(t))
      problem('tactics', `"${String(t)}" is not a Sentinel tactic`);
  const techniques = list(rule.relevantTechniques);
  if (techniques.length === 0) problem('relevantTechniques', 'empty');
  for (const t of techniques)
    if (typeof t !== 'string' || !TECHNIQUE.test(t))
      problem('relevantTechniques', `"${String(t)}" is not T#### or T####.###`);

  const query = text(rule, 'query');
  if (query.trim() === '' || query.length > 10_000)
    problem('query', 'should be KQL of at most 10000 characters');

  const mappings = list(rule.entityMappings);
  if (mappings.length === 0 || mappings.length > 10)
    problem('entityMappings', 'should have 1 to 10 entities');
  for (const m of mappings) {
    const entity = isRecord(m) ? m : {};
    const identifiers = ENTITY_IDENTIFIERS.get(String(entity.entityType));
    const fields = list(entity.fieldMappings);
    if (identifiers === undefined)
      problem('entityMappings', `entity type ${String(entity.entityType)} is not one we expect`);
    if (fields.length === 0 || fields.length > 3)
      problem('entityMappings', 'each entity takes 1 to 3 field mappings');
    for (const f of fields) {
      const field = isRecord(f) ? f : {};
      if (typeof field.columnName !== 'string' || !identifiers?.includes(String(field.identifier)))
        problem(
          'entityMappings',
          `${String(entity.entityType)}.${String(field.identifier)} → ${String(field.columnName)}`,
        );
    }
  }
  const grouping = isRecord(rule.eventGroupingSettings)
    ? rule.eventGroupingSettings.aggregationKind
    : undefined;
  if (grouping !== 'SingleAlert' && grouping !== 'AlertPerResult')
    problem('eventGroupingSettings', 'aggregationKind should be SingleAlert or AlertPerResult');

  const details = rule.customDetails;
  if (details !== undefined) {
    const entries = isRecord(details) ? Object.entries(details) : [];
    if (entries.length === 0 || entries.length > 20) problem('customDetails', 'should have 1 to 20 entries');
    for (const [key, value] of entries)
      if (!/^[A-Za-z0-9]{1,20}$/.test(key) || typeof value !== 'string')
        problem('customDetails', `${key}: ${String(value)}`);
  }
  const override = rule.alertDetailsOverride;
  if (override !== undefined) {
    const formats = isRecord(override) ? override : {};
    for (const [key, limit] of [
      ['alertDisplayNameFormat', 256],
      ['alertDescriptionFormat', 5000],
    ] as const) {
      const format = formats[key];
      if (format === undefined) continue;
      if (typeof format !== 'string' || format.length > limit || placeholders(format).length > 3)
        problem(
          'alertDetailsOverride',
          `${key} should be text of at most ${limit} characters with at most 3 {{Column}}s`,
        );
    }
  }
  if (!SEMVER.test(text(rule, 'version'))) problem('version', 'should be MAJOR.MINOR.PATCH');
  if (rule.kind !== 'Scheduled') problem('kind', 'should be Scheduled');
  return problems;
}

function placeholders(format: string): string[] {
  return [...format.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1] ?? '');
}

/** Columns the template reads from the query's result: entities, custom details, placeholders. */
function referencedColumns(rule: RuleFile['rule']): string[] {
  const out: string[] = [];
  for (const m of list(rule.entityMappings))
    for (const f of list(isRecord(m) ? m.fieldMappings : undefined))
      if (isRecord(f) && typeof f.columnName === 'string') out.push(f.columnName);
  if (isRecord(rule.customDetails))
    for (const value of Object.values(rule.customDetails)) if (typeof value === 'string') out.push(value);
  if (isRecord(rule.alertDetailsOverride))
    for (const value of Object.values(rule.alertDetailsOverride))
      if (typeof value === 'string') out.push(...placeholders(value));
  return [...new Set(out)];
}

const EVENT_NAMES = new Set(OWASP_EVENTS.map((e) => e.name));

/** The columns of OwaspSecurityEvents_CL in the mapping package's owasp preset. */
function presetColumns(): { name: string; type: string }[] {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@otel-sentinel/mapping/package.json'));
  const preset: unknown = parse(readFileSync(join(root, 'presets', 'owasp.yaml'), 'utf8'));
  const streams = list(isRecord(preset) ? preset.streams : undefined).filter(isRecord);
  const columns = streams.find((s) => s.table === TABLE)?.columns;
  return Object.entries(isRecord(columns) ? columns : {}).map(([name, c]) => {
    const type = isRecord(c) && typeof c.type === 'string' ? c.type : 'string';
    return { name, type };
  });
}

describe('detections: the rule files', () => {
  it("are checked against the owasp preset's table, column for column", () => {
    expect(presetColumns()).toEqual(COLUMNS.map((c) => ({ name: c.name, type: c.type })));
  });

  it('are there, one YAML file per rule with a kebab-case name', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(11);
    for (const { file } of RULES) expect(file).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.yaml$/);
  });

  it('have unique ids and names', () => {
    const ids = RULES.map((r) => text(r.rule, 'id'));
    const names = RULES.map((r) => text(r.rule, 'name'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(RULES.map((r) => [r.file, r] as const))(
    '%s has every template key, of the right type',
    (_file, r) => {
      expect(templateProblems(r.rule)).toEqual([]);
    },
  );

  it('write durations the packager turns into ISO 8601 (1h → PT1H, 1d → P1D)', () => {
    expect(iso8601('1h')).toBe('PT1H');
    expect(iso8601('5m')).toBe('PT5M');
    expect(iso8601('1d')).toBe('P1D');
    for (const { file, rule } of RULES)
      expect(iso8601(text(rule, 'queryPeriod')), file).toMatch(/^P(T\d+[HM]|\d+D)$/);
  });

  it('catch a template that breaks the format, naming each problem', () => {
    const first = RULES[0];
    if (first === undefined) throw new Error('no rules');
    const broken = {
      ...first.rule,
      id: 'not-a-guid',
      severity: 'Critical',
      queryFrequency: 'PT1H',
      tactics: ['Credential Access'],
      relevantTechniques: ['1110'],
      extra: true,
    };
    expect(templateProblems(broken)).toEqual([
      'extra: not a template key',
      'id: "not-a-guid" is not a lower-case GUID',
      'severity: "Critical" is not Informational, Low, Medium or High',
      'queryFrequency/queryPeriod: should be KQL timespans such as 5m, 1h or 1d',
      'tactics: "Credential Access" is not a Sentinel tactic',
      'relevantTechniques: "1110" is not T#### or T####.###',
    ]);
  });
});

describe('detections: the queries', () => {
  it.each(RULES.map((r) => [r.file, r] as const))('%s parses with Microsoft’s Kusto parser', (file, r) => {
    let message = '';
    try {
      parseKql(text(r.rule, 'query'));
    } catch (error) {
      if (!(error instanceof KqlQueryError)) throw error;
      message = `${file}: ${error.message}`;
    }
    expect(message).toBe('');
  });

  it.each(RULES.map((r) => [r.file, r] as const))(
    '%s passes Microsoft’s semantic analysis against OwaspSecurityEvents_CL',
    (file, r) => {
      const { diagnostics } = analyzeKql(text(r.rule, 'query'), [{ name: TABLE, columns: COLUMNS }]);
      const reported = diagnostics.map(
        (d) => `${file}:${d.position.line}:${d.position.column} ${d.severity} ${d.code} ${d.message}`,
      );
      expect(reported).toEqual([]);
    },
  );

  it.each(RULES.map((r) => [r.file, r] as const))(
    '%s returns every column its entities, custom details and alert overrides name',
    (_file, r) => {
      const { columns } = analyzeKql(text(r.rule, 'query'), [{ name: TABLE, columns: COLUMNS }]);
      const returned = new Set(columns.map((c) => c.name));
      expect(referencedColumns(r.rule).filter((c) => !returned.has(c))).toEqual([]);
    },
  );

  it.each(RULES.map((r) => [r.file, r] as const))(
    '%s names OWASP events in double quotes, and only events of the vocabulary',
    (_file, r) => {
      const query = text(r.rule, 'query');
      const quoted = [...query.matchAll(/"([a-z][a-z0-9]*(?:_[a-z0-9]+)+)"/g)].map((m) => m[1] ?? '');
      expect(quoted.length).toBeGreaterThan(0);
      expect(quoted.filter((name) => !EVENT_NAMES.has(name))).toEqual([]);
    },
  );

  it.each(RULES.map((r) => [r.file, r] as const))(
    '%s declares its thresholds with let before the table, not as literals in the pipeline',
    (_file, r) => {
      const lines = text(r.rule, 'query').split('\n');
      const tableLine = lines.findIndex((l) => l.trim() === TABLE);
      expect(tableLine).toBeGreaterThanOrEqual(0);
      expect(lines.slice(tableLine).filter((l) => l.trimStart().startsWith('let '))).toEqual([]);
      // A comparison with a number other than 0 or 1 in the pipeline is a threshold left inline.
      expect(lines.slice(tableLine).filter((l) => /(==|!=|>=|<=|>|<)\s*(\d{2,}|[2-9])\b/.test(l))).toEqual(
        [],
      );
    },
  );
});
