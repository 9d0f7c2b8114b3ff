import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeKql } from '@otel-sentinel/kql';
import { tableSchema } from '@otel-sentinel/mapping';
import type { AsimStreamSpec, MappingConfig } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import { generateArmTemplate, generateSolution } from '../src/index.js';
import type { AnalyticRuleFile, GeneratedFile } from '../src/index.js';
import { FIXTURES, loadFixture, NOW, SOLUTION } from './helpers.js';

interface Item {
  type: number;
  name: string;
  customWidth?: string;
  content: Record<string, unknown> & { json?: string; query?: string; parameters?: Parameter[] };
}
interface Parameter extends Record<string, unknown> {
  name: string;
  type: number;
  query?: string;
}
interface Workbook extends Record<string, unknown> {
  items: Item[];
}

/** SecurityAlert's columns, written from Microsoft's table reference (Azure Monitor Logs, SecurityAlert). */
const SECURITY_ALERT = {
  name: 'SecurityAlert',
  columns: [
    ...[
      'AlertLink',
      'AlertName',
      'AlertSeverity',
      'AlertType',
      'CompromisedEntity',
      'ConfidenceLevel',
      'Description',
      'DisplayName',
      'Entities',
      'ExtendedLinks',
      'ExtendedProperties',
      'ProductComponentName',
      'ProductName',
      'ProviderName',
      'RemediationSteps',
      'ResourceId',
      'SourceComputerId',
      'SourceSystem',
      'Status',
      'SubTechniques',
      'SystemAlertId',
      'Tactics',
      'Techniques',
      'TenantId',
      'Type',
      'VendorName',
      'VendorOriginalId',
      'WorkspaceResourceGroup',
      'WorkspaceSubscriptionId',
    ].map((name) => ({ name, type: 'string' as const })),
    { name: 'ConfidenceScore', type: 'real' as const },
    { name: 'IsIncident', type: 'boolean' as const },
    ...['EndTime', 'ProcessingEndTime', 'StartTime', 'TimeGenerated'].map((name) => ({
      name,
      type: 'datetime' as const,
    })),
  ],
};

/**
 * The query as Azure Workbooks runs it, with the parameters expanded as Microsoft's workbook docs
 * say: `{TimeRange}` → `> ago(7d)`, `{TimeRange:grain}` → a timespan, a multi-select dropdown → its
 * values quoted with ' and joined with , (`'*'` when All is selected).
 */
function expanded(query: string, events: string): string {
  return query
    .replaceAll('{TimeRange}', '> ago(7d)')
    .replaceAll('{TimeRange:grain}', '30m')
    .replaceAll('{EventType}', events);
}

/** Every diagnostic of Microsoft's analyzer on each query of the workbook, with All and with two events. */
function diagnostics(book: Workbook, config: MappingConfig): string[] {
  const tables = [
    ...config.streams.map((s) => {
      const t = tableSchema(s);
      return { name: t.name, columns: t.columns };
    }),
    SECURITY_ALERT,
  ];
  const queries = [
    ...book.items.filter((i) => i.type === 3).map((i) => [i.name, i.content.query ?? ''] as const),
    ...parameters(book).map((p) => [p.name, p.query ?? ''] as const),
  ].filter(([, q]) => q !== '');
  return queries.flatMap(([name, query]) =>
    ["'*'", "'authn_login_fail','authn_login_success'"].flatMap((events) =>
      analyzeKql(expanded(query, events), tables).diagnostics.map(
        (d) => `${name} (${events}): ${d.severity} ${d.code} ${d.message}`,
      ),
    ),
  );
}

function parameters(book: Workbook): Parameter[] {
  return book.items.filter((i) => i.type === 9).flatMap((i) => i.content.parameters ?? []);
}

function item(book: Workbook, name: string): Item {
  const found = book.items.find((i) => i.name === name);
  if (found === undefined) throw new Error(`no item ${name} in ${book.items.map((i) => i.name).join(', ')}`);
  return found;
}

function query(book: Workbook, name: string): string {
  const it = item(book, name);
  expect(it.type, `${name} is a query item`).toBe(3);
  return it.content.query ?? '';
}

function fileOf(files: readonly GeneratedFile[], suffix: string): string {
  const f = files.find((x) => x.path.endsWith(suffix));
  if (f === undefined) throw new Error(`no file ending ${suffix}`);
  return f.content;
}

function workbookOf(files: readonly GeneratedFile[], name: string): Workbook {
  return JSON.parse(fileOf(files, `/Workbooks/${name}.json`)) as Workbook;
}

/** The OWASP detections of the sibling package, read as files (never imported). */
function owaspRules(): AnalyticRuleFile[] {
  const dir = join(FIXTURES, '..', '..', '..', 'owasp', 'detections');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((fileName) => ({ fileName, content: readFileSync(join(dir, fileName), 'utf8') }));
}

describe('a workbook for a mapping without ASIM roles', () => {
  const config = loadFixture('app-security.yaml');
  const files = generateSolution(config, { solution: SOLUTION, now: NOW });
  const book = workbookOf(files, 'ContosoAuditAppAuthEvents');

  it('has the gallery template shape Microsoft Sentinel solutions need', () => {
    expect(book.version).toBe('Notebook/1.0');
    expect(book.fromTemplateId).toBe('sentinel-ContosoAuditAppAuthEvents');
    expect(book.styleSettings).toEqual({});
    expect(book.fallbackResourceIds).toEqual([]);
    expect(book.$schema).toBe(
      'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json',
    );
  });

  it('has a time-range parameter of 7 days with custom ranges, and an event-type dropdown with All', () => {
    const [time, event] = parameters(book);
    expect(time).toMatchObject({
      name: 'TimeRange',
      type: 4,
      value: { durationMs: 604800000 },
      typeSettings: { allowCustom: true },
    });
    expect(event).toMatchObject({
      name: 'EventType',
      type: 2,
      multiSelect: true,
      quote: "'",
      delimiter: ',',
      typeSettings: { additionalResourceOptions: ['value::all'], selectAllValue: '*' },
      value: ['value::all'],
      timeContextFromParameter: 'TimeRange',
    });
    expect(event?.query).toBe(
      [
        'AppAuthEvents_CL',
        '| where TimeGenerated {TimeRange}',
        '| where isnotempty(EventName)',
        '| summarize Count = count() by EventName',
        '| order by Count desc, EventName asc',
        '| project value = EventName, label = strcat(EventName, " (", Count, ")")',
      ].join('\n'),
    );
  });

  it('charts events by EventName over {TimeRange}, filtered by the event type', () => {
    expect(query(book, 'events-by-name')).toBe(
      [
        'AppAuthEvents_CL',
        '| where TimeGenerated {TimeRange}',
        "| where '*' in ({EventType}) or EventName in ({EventType})",
        '| summarize Events = count() by bin(TimeGenerated, {TimeRange:grain}), EventName',
      ].join('\n'),
    );
    expect(item(book, 'events-by-name').content).toMatchObject({
      visualization: 'timechart',
      timeContextFromParameter: 'TimeRange',
      resourceType: 'microsoft.operationalinsights/workspaces',
    });
  });

  it('says in a text item why the result and failure panels are missing without an EventResult', () => {
    for (const name of ['events-by-result', 'failures-by-user', 'failures-by-source']) {
      expect(item(book, name).type, name).toBe(1);
      expect(item(book, name).content.json, name).toContain('AppAuthEvents_CL');
    }
    expect(item(book, 'rule-hits').content.json).toContain('ships no analytic rule');
  });

  it('lists the top targets by the Url column the table has', () => {
    expect(query(book, 'top-targets')).toContain('| extend Target = Url\n');
  });

  it("passes Microsoft's semantic analysis, every query with All and with chosen events", () => {
    for (const f of files.filter((x) => /\/Workbooks\/ContosoAudit\w+\.json$/.test(x.path)))
      expect(diagnostics(JSON.parse(f.content) as Workbook, config), f.path).toEqual([]);
  });

  it('is listed in the solution file with a description, and has a WorkbooksMetadata entry', () => {
    const solution = JSON.parse(fileOf(files, '/Data/Solution_ContosoAudit.json'));
    expect(solution.Workbooks).toEqual([
      'Workbooks/ContosoAuditAppAuthEvents.json',
      'Workbooks/ContosoAuditAppSecurityEvents.json',
    ]);
    expect(solution.WorkbookDescription).toHaveLength(2);
    const metadata = JSON.parse(fileOf(files, '/Workbooks/WorkbooksMetadata.json'));
    expect(metadata.map((e: { templateRelativePath: string }) => e.templateRelativePath)).toEqual([
      'ContosoAuditAppAuthEvents.json',
      'ContosoAuditAppSecurityEvents.json',
    ]);
  });
});

describe('the WorkbooksMetadata entry', () => {
  const files = generateSolution(loadFixture('app-security.yaml'), { solution: SOLUTION, now: NOW });
  const [entry] = JSON.parse(fileOf(files, '/Workbooks/WorkbooksMetadata.json')) as Record<string, unknown>[];
  const definition = JSON.parse(fileOf(files, '/connectorDefinition.json'));

  it("has every key Azure-Sentinel's workbooksMetadataSchema.json requires, and only keys it allows", () => {
    // .script/utils/schemas/workbooksMetadataSchema.json (Azure/Azure-Sentinel @1b4ccf67): required, then optional.
    const required = [
      'workbookKey',
      'logoFileName',
      'description',
      'dataTypesDependencies',
      'dataConnectorsDependencies',
      'previewImagesFileNames',
      'version',
      'title',
      'templateRelativePath',
      'subtitle',
      'provider',
    ];
    const optional = ['featureFlag', 'source', 'author', 'support', 'categories'];
    expect(Object.keys(entry ?? {}).filter((k) => !required.includes(k) && !optional.includes(k))).toEqual(
      [],
    );
    expect(required.filter((k) => !(k in (entry ?? {})))).toEqual([]);
  });

  it('follows the Learn rules: key <Name>Workbook for sentinel-<Name>, file name only, connector id, version 1.0', () => {
    expect(entry).toMatchObject({
      workbookKey: 'ContosoAuditAppAuthEventsWorkbook',
      templateRelativePath: 'ContosoAuditAppAuthEvents.json',
      dataTypesDependencies: ['AppAuthEvents_CL'],
      dataConnectorsDependencies: [definition.properties.connectorUiConfig.id],
      version: '1.0',
      provider: 'Contoso',
    });
    expect(definition.properties.connectorUiConfig.id).toBe('ContosoAuditPush');
  });

  it('names one dark and one light PNG preview, as the gallery check wants', () => {
    expect(entry?.previewImagesFileNames).toEqual([
      'ContosoAuditAppAuthEventsBlack.png',
      'ContosoAuditAppAuthEventsWhite.png',
    ]);
  });

  it('leaves no resource id in the template (the gallery check rejects subscriptions/<guid>)', () => {
    const template = fileOf(files, '/Workbooks/ContosoAuditAppAuthEvents.json');
    expect(template).not.toMatch(/subscriptions\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-/);
  });
});

/** The app-security mapping with an ASIM declaration on its first stream, written by hand. */
function withAsim(config: MappingConfig, asim: AsimStreamSpec): MappingConfig {
  return { ...config, streams: config.streams.map((s, i) => (i === 0 ? { ...s, asim } : s)) };
}

const AUTH_ASIM: AsimStreamSpec = {
  vendor: 'Contoso',
  product: 'Contoso Audit',
  eventColumn: 'EventName',
  schemas: [
    {
      schema: 'Authentication',
      events: [
        { name: 'authn_login_fail', set: { EventType: 'Logon', EventResult: 'Failure' } },
        { name: 'authn_login_success', set: { EventType: 'Logon', EventResult: 'Success' } },
        { name: 'authn_login_lock', set: { EventType: 'Logon', EventResult: 'Failure' } },
      ],
      fields: [
        { field: 'TargetUsername', column: 'ActorUserId' },
        { field: 'TargetUserId', column: 'ActorUserId' },
        { field: 'SrcIpAddr', column: 'SrcIpAddr' },
        { field: 'Url', column: 'Url' },
      ],
    },
  ],
};

describe('a workbook for a mapping with ASIM roles', () => {
  const config = withAsim(loadFixture('app-security.yaml'), AUTH_ASIM);
  const files = generateSolution(config, { solution: SOLUTION, now: NOW });
  const book = workbookOf(files, 'ContosoAuditAppAuthEvents');
  const result =
    '| extend Result = case(EventName in ("authn_login_fail", "authn_login_lock"), "Failure", EventName in ("authn_login_success"), "Success", "")';

  it('charts events by the EventResult the declaration fixes for each event', () => {
    expect(query(book, 'events-by-result')).toBe(
      [
        'AppAuthEvents_CL',
        '| where TimeGenerated {TimeRange}',
        "| where '*' in ({EventType}) or EventName in ({EventType})",
        result,
        '| summarize Events = count() by bin(TimeGenerated, {TimeRange:grain}), Result',
      ].join('\n'),
    );
  });

  it('counts failures by the column that plays TargetUsername, and by SrcIpAddr with its users', () => {
    const byUser = query(book, 'failures-by-user');
    expect(byUser).toContain(`${result}\n| where Result == "Failure" and isnotempty(ActorUserId)\n`);
    expect(byUser).toContain('| summarize Failures = count() by ActorUserId\n');
    expect(item(book, 'failures-by-user').content.visualization).toBe('barchart');
    expect(query(book, 'failures-by-source')).toContain(
      '| summarize Failures = count(), Users = dcount(ActorUserId) by SrcIpAddr\n',
    );
  });

  it('takes the EventResult column, through its lookup, for events the declaration does not fix', () => {
    const withColumn: AsimStreamSpec = {
      ...AUTH_ASIM,
      schemas: [
        {
          schema: 'AuditEvent',
          events: [],
          fields: [
            { field: 'EventResult', column: 'Service', lookup: { ok: 'Success' }, otherwise: 'Failure' },
          ],
        },
      ],
    };
    const other = generateSolution(withAsim(loadFixture('app-security.yaml'), withColumn), {
      solution: SOLUTION,
      now: NOW,
    });
    expect(query(workbookOf(other, 'ContosoAuditAppAuthEvents'), 'events-by-result')).toContain(
      '| extend Result = case(Service == "ok", "Success", "Failure")\n',
    );
  });

  it('leaves the user column out of the targets, though it plays TargetUserId', () => {
    expect(query(book, 'top-targets')).toContain('| extend Target = Url\n');
  });

  it("stands an event's ifEmpty result in for an empty EventResult column", () => {
    const standIn: AsimStreamSpec = {
      ...AUTH_ASIM,
      schemas: [
        {
          schema: 'AuditEvent',
          events: [{ name: 'authz_fail', set: { EventType: 'Other' }, ifEmpty: { EventResult: 'Failure' } }],
          fields: [{ field: 'EventResult', column: 'Service' }],
        },
      ],
    };
    const other = generateSolution(withAsim(loadFixture('app-security.yaml'), standIn), {
      solution: SOLUTION,
      now: NOW,
    });
    expect(query(workbookOf(other, 'ContosoAuditAppAuthEvents'), 'events-by-result')).toContain(
      '| extend Result = case(EventName in ("authz_fail") and isempty(Service), "Failure", Service)\n',
    );
  });

  it('says in its opening text that the columns come from the ASIM declaration', () => {
    expect(item(book, 'title').content.json).toContain("from the mapping's ASIM declaration");
  });

  it("passes Microsoft's semantic analysis", () => {
    expect(diagnostics(book, config)).toEqual([]);
  });
});

describe('a workbook for the owasp preset with its detections', () => {
  const config = loadFixture('owasp-preset.yaml');
  const rules = owaspRules();
  const files = generateSolution(config, { now: NOW, analyticRules: rules });
  const book = workbookOf(files, 'ShopSecurityOwaspSecurityEvents');

  it('offers the OWASP event names (EventOriginalType) in the event-type dropdown', () => {
    expect(parameters(book)[1]?.query).toContain('| summarize Count = count() by EventOriginalType\n');
  });

  it('shows every panel: the preset has the event, result, user, source and target columns', () => {
    expect(book.items.filter((i) => i.type === 1).map((i) => i.name)).toEqual(['title']);
    expect(query(book, 'failures-by-source')).toContain(' by SrcIpAddr\n');
    expect(query(book, 'top-targets')).toContain('| extend Target = coalesce(Object, TargetUserId, Url)\n');
  });

  it('lists the alerts of the shipped rules by rule name, from Sentinel only', () => {
    const hits = query(book, 'rule-hits');
    expect(hits).toContain('| where ProductName in ("Azure Sentinel", "Microsoft Sentinel")\n');
    expect(hits).toContain(
      '| extend Rule = coalesce(tostring(todynamic(ExtendedProperties)["Analytic Rule Name"]), AlertName)\n',
    );
    expect(hits).toContain('"OWASP - Brute force against one account"');
    const names = /\| where Rule in \((.*)\)\n/.exec(hits)?.[1]?.split('", "') ?? [];
    expect(names).toHaveLength(rules.length);
  });

  it("passes Microsoft's semantic analysis, the SecurityAlert query included", () => {
    expect(diagnostics(book, config)).toEqual([]);
  });
});

describe('the workbooks of the --arm template', () => {
  const config = loadFixture('app-security.yaml');
  const template = JSON.parse(generateArmTemplate(config).content) as {
    resources: { type: string; [key: string]: unknown }[];
  };
  const books = template.resources.filter((r) => r.type === 'Microsoft.Insights/workbooks');

  it('deploys one shared workbook per table into the workspace, category sentinel', () => {
    expect(
      books.map((b) => ({ ...b, properties: { ...(b.properties as object), serializedData: '…' } })),
    ).toEqual(
      ['AppAuthEvents_CL', 'AppSecurityEvents_CL'].map((table) => ({
        type: 'Microsoft.Insights/workbooks',
        apiVersion: '2023-06-01',
        name: `[guid(variables('workspaceResourceId'), '${table}', 'otel-sentinel-workbook')]`,
        location: "[parameters('location')]",
        kind: 'shared',
        properties: {
          displayName: `${table} (otel-sentinel)`,
          category: 'sentinel',
          serializedData: '…',
          sourceId: "[variables('workspaceResourceId')]",
          version: '1.0',
        },
      })),
    );
  });

  it('carries the workbook as a JSON string, which ARM does not read as an expression', () => {
    const data = (books[0]?.properties as { serializedData: string }).serializedData;
    expect(data.startsWith('{')).toBe(true);
    const book = JSON.parse(data) as Workbook;
    expect(book.fromTemplateId).toBe('sentinel-AppAuthEvents');
    expect(query(book, 'events-by-name')).toContain('AppAuthEvents_CL\n');
  });

  it('shows the rules’ alerts when given the rules deployed with it', () => {
    const owasp = loadFixture('owasp-preset.yaml');
    const arm = JSON.parse(generateArmTemplate(owasp, { analyticRules: owaspRules() }).content) as {
      resources: { type: string; properties: { serializedData?: string } }[];
    };
    const data = arm.resources.find((r) => r.type === 'Microsoft.Insights/workbooks')?.properties
      .serializedData;
    expect(query(JSON.parse(data ?? '{}') as Workbook, 'rule-hits')).toContain(
      '"OWASP - Brute force against one account"',
    );
  });
});
