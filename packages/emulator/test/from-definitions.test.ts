// The catalog learned from DCR and table JSON as deployed: solution packages, CCF folders, ARM
// templates and loose files, found by resource type; and an error naming the file, the JSON path
// and the fix for everything the emulator cannot serve.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';
import { DEFAULT_DCR_IMMUTABLE_ID, DEMO_APP } from '../src/catalog/demo-identity.js';
import { catalogFromDefinitions } from '../src/catalog/from-definitions.js';
import type { DefinitionsOptions } from '../src/catalog/from-definitions.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/definitions');
const SOLUTION = join(FIXTURES, 'solution/Solutions/Acme');
const CCF = join(SOLUTION, 'Data Connectors/Acme_ccf');
const ARM = join(FIXTURES, 'arm/azuredeploy.json');
const SEVERAL = join(FIXTURES, 'several-dcrs');
const CONNECTOR_GOLDEN = join(import.meta.dirname, '../../connector/test/fixtures');
const NO_ENV: DefinitionsOptions = { env: {} };
const ID = 'dcr-0123456789abcdef0123456789abcdef';

const dir = mkdtempSync(join(tmpdir(), 'emulator-definitions-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
let folders = 0;

/** A fresh folder holding `files` (name → JSON value, or raw text). */
function folder(files: Record<string, unknown>): string {
  const path = join(dir, `case-${++folders}`);
  mkdirSync(path);
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(path, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return path;
}

const TIME = { name: 'TimeGenerated', type: 'datetime' };
const MESSAGE = { name: 'Message', type: 'string' };

function table(name: string, columns: unknown[] = [TIME, MESSAGE]): Record<string, unknown> {
  return {
    type: 'Microsoft.OperationalInsights/workspaces/tables',
    name,
    properties: { schema: { name, columns } },
  };
}

function dcr(
  flows: unknown[] = [{ streams: ['Custom-Events'], outputStream: 'Custom-Events_CL' }],
  streams: Record<string, unknown[]> = { 'Custom-Events': [TIME, MESSAGE] },
): Record<string, unknown> {
  return {
    type: 'Microsoft.Insights/dataCollectionRules',
    name: 'EventsDCR',
    properties: {
      streamDeclarations: Object.fromEntries(Object.entries(streams).map(([k, columns]) => [k, { columns }])),
      dataFlows: flows,
    },
  };
}

/** The CatalogError (bad definitions) or ConfigError (bad option) the catalog is refused with. */
function failure(paths: readonly string[], options: DefinitionsOptions = NO_ENV): OtelSentinelError {
  try {
    catalogFromDefinitions(paths, options);
  } catch (error) {
    if (error instanceof OtelSentinelError) return error;
    throw error;
  }
  throw new Error(`expected ${paths.join(', ')} to be refused`);
}

describe('catalogFromDefinitions with a CCF Data Connectors folder', () => {
  it('serves its DCR and every table, whatever the table files are called', () => {
    const { catalog, dcrs } = catalogFromDefinitions([CCF], NO_ENV);
    expect(dcrs.map((d) => [d.name, d.file])).toEqual([['AcmePushDCR', join(CCF, 'DCR.json')]]);
    expect([...catalog.tables.keys()].sort()).toEqual(['AcmeAudit_CL', 'AcmeAuth_CL']);
    expect([...(catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.streams.keys() ?? [])]).toEqual([
      'Custom-AcmeAuth',
      'Custom-AcmeAudit',
    ]);
  });

  it('keeps each data flow with its transformKql and its table', () => {
    const { catalog } = catalogFromDefinitions([CCF], NO_ENV);
    expect(catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.dataFlows).toEqual([
      { stream: 'Custom-AcmeAuth', transformKql: 'source', outputTable: 'AcmeAuth_CL' },
      {
        stream: 'Custom-AcmeAudit',
        transformKql: 'source | where Debug != true | project TimeGenerated = todatetime(Time), Action',
        outputTable: 'AcmeAudit_CL',
      },
    ]);
  });

  it('types columns as declared: guid in the table, string in the stream, dateTime read as datetime', () => {
    const { catalog } = catalogFromDefinitions([CCF], NO_ENV);
    expect(catalog.tables.get('AcmeAuth_CL')?.columns).toContainEqual({ name: 'RequestId', type: 'guid' });
    expect(catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.streams.get('Custom-AcmeAuth')).toContainEqual({
      name: 'RequestId',
      type: 'string',
    });
    expect(catalog.tables.get('AcmeAudit_CL')?.columns[0]).toEqual({
      name: 'TimeGenerated',
      type: 'datetime',
    });
  });

  it('opens every DCR to the demo app in the demo identity, like a catalog from mappings', () => {
    const { catalog } = catalogFromDefinitions([CCF], NO_ENV);
    expect(catalog.apps).toEqual([DEMO_APP]);
    expect([...(catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.allowedClients ?? [])]).toEqual([
      DEMO_APP.clientId,
    ]);
  });

  it('checks the identity options as catalogFromMappings does', () => {
    const error = failure([CCF], { ...NO_ENV, tenantId: 'contoso' });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      code: 'E_CATALOG_OPTION',
      option: 'tenantId',
      message: expect.stringMatching(/tenantId.*not a GUID/),
    });
  });
});

describe('catalogFromDefinitions with a whole solution folder', () => {
  it('skips JSON without resources and ignores resource types it does not serve', () => {
    const { catalog, dcrs } = catalogFromDefinitions([SOLUTION], NO_ENV);
    expect(dcrs.map((d) => d.name)).toEqual(['AcmePushDCR']);
    expect(catalog.tables.size).toBe(2);
  });

  it('reads the same files once when a folder and a file in it are both given', () => {
    const { dcrs } = catalogFromDefinitions([SOLUTION, join(CCF, 'DCR.json')], NO_ENV);
    expect(dcrs).toHaveLength(1);
  });
});

describe('the immutable id of a single DCR', () => {
  it('is the default when nothing sets it', () => {
    const { dcrs } = catalogFromDefinitions([CCF], NO_ENV);
    expect(dcrs[0]).toMatchObject({ immutableId: DEFAULT_DCR_IMMUTABLE_ID, idSource: 'default' });
  });

  it('is SENTINEL_DCR_IMMUTABLE_ID when it is set and not empty', () => {
    const set = catalogFromDefinitions([CCF], { env: { SENTINEL_DCR_IMMUTABLE_ID: ID } });
    expect(set.dcrs[0]).toMatchObject({ immutableId: ID, idSource: 'SENTINEL_DCR_IMMUTABLE_ID' });
    expect([...set.catalog.dcrs.keys()]).toEqual([ID]);
    const empty = catalogFromDefinitions([CCF], { env: { SENTINEL_DCR_IMMUTABLE_ID: '' } });
    expect(empty.dcrs[0]?.immutableId).toBe(DEFAULT_DCR_IMMUTABLE_ID);
  });

  it('is the dcrImmutableId option above the environment', () => {
    const other = 'dcr-ffffffffffffffffffffffffffffffff';
    const { dcrs } = catalogFromDefinitions([CCF], {
      env: { SENTINEL_DCR_IMMUTABLE_ID: ID },
      dcrImmutableId: other,
    });
    expect(dcrs[0]).toMatchObject({ immutableId: other, idSource: 'dcrImmutableId' });
  });

  it('refuses an id that cannot be part of a URL path', () => {
    expect(failure([CCF], { env: { SENTINEL_DCR_IMMUTABLE_ID: 'dcr/1' } })).toMatchObject({
      code: 'E_CATALOG_OPTION',
      message: expect.stringMatching(/SENTINEL_DCR_IMMUTABLE_ID: "dcr\/1" cannot be a DCR immutable id/),
    });
  });
});

describe('catalogFromDefinitions with an ARM template', () => {
  it('names tables by properties.schema.name when the resource name is a [format(...)] expression', () => {
    const { catalog } = catalogFromDefinitions([ARM], NO_ENV);
    expect([...catalog.tables.keys()]).toEqual(['ArmEvents_CL']);
    expect(catalog.tables.get('ArmEvents_CL')?.columns).toContainEqual({ name: 'Count', type: 'long' });
  });

  it('keeps an expression DCR name as written, defaults transformKql to source, and ignores the DCE and role', () => {
    const { catalog, dcrs } = catalogFromDefinitions([ARM], NO_ENV);
    expect(dcrs.map((d) => d.name)).toEqual(["[parameters('dcrName')]"]);
    expect(catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.dataFlows).toEqual([
      { stream: 'Custom-ArmEvents', transformKql: 'source', outputTable: 'ArmEvents_CL' },
    ]);
  });
});

describe('catalogFromDefinitions with several DCRs', () => {
  const hash = (name: string): string =>
    `dcr-${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;

  it('reads tables from an array file and gives each DCR an id from the SHA-256 of its name', () => {
    const { catalog, dcrs } = catalogFromDefinitions([SEVERAL], { env: { SENTINEL_DCR_IMMUTABLE_ID: ID } });
    expect([...catalog.tables.keys()]).toEqual(['NorthEvents_CL', 'SouthEvents_CL']);
    expect(dcrs.map((d) => [d.name, d.immutableId, d.idSource])).toEqual([
      ['NorthDCR', hash('NorthDCR'), 'name hash'],
      ['SouthDCR', hash('SouthDCR'), 'name hash'],
    ]);
    for (const d of dcrs) expect(d.immutableId).toMatch(/^dcr-[0-9a-f]{32}$/);
    expect([...(catalog.dcrs.get(hash('SouthDCR'))?.streams.keys() ?? [])]).toEqual(['Custom-SouthEvents']);
  });

  it('takes the ids dcrImmutableIds gives by DCR name', () => {
    const { dcrs } = catalogFromDefinitions([SEVERAL], { ...NO_ENV, dcrImmutableIds: { SouthDCR: ID } });
    expect(dcrs.map((d) => [d.name, d.immutableId, d.idSource])).toEqual([
      ['NorthDCR', hash('NorthDCR'), 'name hash'],
      ['SouthDCR', ID, 'dcrImmutableIds'],
    ]);
  });

  it('refuses dcrImmutableId, which cannot say which DCR it is for', () => {
    expect(failure([SEVERAL], { ...NO_ENV, dcrImmutableId: ID })).toMatchObject({
      code: 'E_CATALOG_OPTION',
      option: 'dcrImmutableId',
      message: expect.stringMatching(/2 DCRs \(NorthDCR, SouthDCR\).*dcrImmutableIds/),
    });
  });

  it('refuses dcrImmutableIds naming a DCR the definitions lack, listing the names', () => {
    expect(failure([SEVERAL], { ...NO_ENV, dcrImmutableIds: { WestDCR: ID } })).toMatchObject({
      code: 'E_CATALOG_OPTION',
      option: 'dcrImmutableIds',
      message: expect.stringMatching(/named WestDCR; their names: NorthDCR, SouthDCR/),
    });
  });

  it('refuses two DCRs given the same id', () => {
    expect(failure([SEVERAL], { ...NO_ENV, dcrImmutableIds: { NorthDCR: ID, SouthDCR: ID } })).toMatchObject({
      code: 'E_CATALOG_OPTION',
      option: 'dcrImmutableIds',
      message: expect.stringMatching(/would both be/),
    });
  });
});

describe("catalogFromDefinitions with the connector's golden output", () => {
  it('serves the generated solution package: its DCR and both tables', () => {
    const { catalog, dcrs } = catalogFromDefinitions([join(CONNECTOR_GOLDEN, 'golden/app-security')], NO_ENV);
    expect(dcrs.map((d) => d.name)).toEqual(['ContosoAuditPushDCR']);
    expect([...catalog.tables.keys()].sort()).toEqual(['AppAuthEvents_CL', 'AppSecurityEvents_CL']);
    expect(dcrs[0]?.dataFlows.map((f) => `${f.stream} → ${f.outputTable}`)).toEqual([
      'Custom-AppAuthEvents → AppAuthEvents_CL',
      'Custom-AppSecurityEvents → AppSecurityEvents_CL',
    ]);
  });

  it('serves the generated ARM templates, whose two files hold the same DCR, as one DCR', () => {
    const { catalog, dcrs } = catalogFromDefinitions(
      [join(CONNECTOR_GOLDEN, 'golden-arm/app-security')],
      NO_ENV,
    );
    expect(dcrs).toHaveLength(1);
    expect([...catalog.tables.keys()].sort()).toEqual(['AppAuthEvents_CL', 'AppSecurityEvents_CL']);
  });
});

describe('catalogFromDefinitions refuses, naming the file, the JSON path and the fix,', () => {
  it('a path that does not exist', () => {
    const missing = join(dir, 'nowhere');
    expect(failure([missing]).message).toBe(
      `${missing}: cannot read it (no such file or folder); give a DCR or table JSON file, or a folder holding them`,
    );
  });

  it('a file that is not JSON', () => {
    const path = folder({ 'DCR.json': '{ "type": ' });
    expect(failure([path])).toMatchObject({
      code: 'E_DEFINITIONS',
      message: expect.stringMatching(/DCR\.json: not valid JSON \(.+\); fix the file, or leave it out/),
    });
  });

  it('definitions without any DCR', () => {
    const path = folder({ 'table.json': table('Events_CL') });
    expect(failure([path]).message).toMatch(
      /defines a DCR \(a resource of type Microsoft\.Insights\/dataCollectionRules\): add its DCR\.json/,
    );
  });

  it('a data flow whose stream is not declared', () => {
    const path = folder({
      'table.json': table('Events_CL'),
      'DCR.json': [dcr([{ streams: ['Custom-Typo'], outputStream: 'Custom-Events_CL' }])],
    });
    expect(failure([path]).message).toBe(
      `${join(path, 'DCR.json')}, $[0].properties.dataFlows[0].streams[0]: stream Custom-Typo is not declared in ` +
        'properties.streamDeclarations; declared: Custom-Events. Declare it there or fix the name',
    );
  });

  it('a data flow into a table none of the definitions defines', () => {
    const path = folder({ 'DCR.json': dcr() });
    expect(failure([path]).message).toBe(
      `${join(path, 'DCR.json')}, $.properties.dataFlows[0].outputStream: Custom-Events_CL writes to table Events_CL, ` +
        'which none of the definitions defines: add its table JSON to the definitions (--definitions)',
    );
  });

  it('a data flow into a Microsoft- standard table', () => {
    const path = folder({
      'DCR.json': dcr([{ streams: ['Custom-Events'], outputStream: 'Microsoft-CommonSecurityLog' }]),
    });
    expect(failure([path]).message).toMatch(
      /\$\.properties\.dataFlows\[0\]\.outputStream: Microsoft-CommonSecurityLog is a standard table, which the emulator does not emulate/,
    );
  });

  it('an output stream that is an ARM expression', () => {
    const path = folder({
      'DCR.json': dcr([{ streams: ['Custom-Events'], outputStream: "[variables('out')]" }]),
    });
    expect(failure([path]).message).toMatch(/outputStream: \[variables\('out'\)\] is an ARM expression/);
  });

  it('an unknown column type, listing the types', () => {
    const path = folder({ 'table.json': table('Events_CL', [TIME, { name: 'Note', type: 'text' }]) });
    expect(failure([path]).message).toBe(
      `${join(path, 'table.json')}, $.properties.schema.columns[1].type: unknown column type "text" for Note; ` +
        'table Events_CL takes string, int, long, real, boolean, datetime, dynamic, guid',
    );
  });

  it('a guid in a stream declaration, saying to declare it as string', () => {
    const path = folder({
      'table.json': table('Events_CL'),
      'DCR.json': dcr(undefined, { 'Custom-Events': [TIME, { name: 'Id', type: 'guid' }] }),
    });
    expect(failure([path]).message).toMatch(
      /streamDeclarations\['Custom-Events'\]\.columns\[1\]\.type: unknown column type "guid" .*declares a guid as string/,
    );
  });

  it('a table without TimeGenerated', () => {
    const path = folder({ 'table.json': table('Events_CL', [MESSAGE]) });
    expect(failure([path]).message).toMatch(
      /\$\.properties\.schema\.columns: table Events_CL has no TimeGenerated column of type datetime/,
    );
  });

  it('a transform the emulator cannot compile, with the compiler message', () => {
    const path = folder({
      'table.json': table('Events_CL'),
      'DCR.json': dcr([
        { streams: ['Custom-Events'], outputStream: 'Custom-Events_CL', transformKql: 'source | take 10' },
      ]),
    });
    const { message } = failure([path]);
    expect(message).toContain(
      `${join(path, 'DCR.json')}, $.properties.dataFlows[0].transformKql: the transform of Custom-Events into Events_CL cannot be served`,
    );
    expect(message).toMatch(
      /\n {2}Operator 'take' is not supported in DCR transforms.*\(line 1, column 10\)/,
    );
  });

  it('a transform whose output the table cannot hold, listing every message', () => {
    const path = folder({
      'table.json': table('Events_CL'),
      'DCR.json': dcr([
        {
          streams: ['Custom-Events'],
          outputStream: 'Custom-Events_CL',
          transformKql: 'source | extend Extra = 1, Message = 2',
        },
      ]),
    });
    expect(failure([path]).message.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^ {2}Message is long in the transform's output but string in table Events_CL/),
      expect.stringMatching(/^ {2}Extra is not a column of table Events_CL/),
    ]);
  });

  it('a table defined twice differently, naming both files', () => {
    const path = folder({
      'a.json': table('Events_CL'),
      'b.json': table('Events_CL', [TIME, { name: 'Message', type: 'dynamic' }]),
      'DCR.json': dcr(),
    });
    expect(failure([path]).message).toBe(
      `table Events_CL is defined differently in ${join(path, 'a.json')}, $ and ${join(path, 'b.json')}, $: ` +
        'Message is string vs dynamic. Keep one definition, or make them agree',
    );
  });

  it('but not a table defined twice the same way', () => {
    const path = folder({ 'a.json': table('Events_CL'), 'b.json': [table('Events_CL')], 'DCR.json': dcr() });
    expect(catalogFromDefinitions([path], NO_ENV).catalog.tables.size).toBe(1);
  });

  it('a DCR defined twice differently under one name', () => {
    const path = folder({
      'table.json': table('Events_CL'),
      'a.json': dcr(),
      'b.json': dcr(undefined, { 'Custom-Events': [TIME, MESSAGE, { name: 'More', type: 'string' }] }),
    });
    expect(failure([path]).message).toMatch(
      /DCR EventsDCR is defined differently in .*a\.json, \$ and .*b\.json, \$/,
    );
  });
});
