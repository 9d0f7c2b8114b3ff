// The catalog learned from mapping files: DCRs, stream declarations, data flows, tables and the
// app registrations allowed to ingest, with clear errors for mappings that cannot be served.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';
import { CatalogError } from '../src/catalog/catalog-error.js';
import {
  DEFAULT_DCR_IMMUTABLE_ID,
  DEMO_APP,
  DEMO_TENANT_ID,
  DEMO_WORKSPACE_ID,
} from '../src/catalog/demo-identity.js';
import { catalogFromMappings } from '../src/catalog/from-mappings.js';
import { withDataFlow } from '../src/catalog/with-data-flow.js';

const EXAMPLES = join(import.meta.dirname, '../../../examples');
const APP_SECURITY = join(EXAMPLES, 'mappings/app-security.yaml');
const DESIGN_SKETCH = join(EXAMPLES, 'mappings/design-sketch.yaml');
const OWASP = join(EXAMPLES, 'mappings/owasp-log-format.yaml');
const AUDIT_APP = join(import.meta.dirname, 'fixtures/mappings/two-tables.yaml');
const NO_ENV = { env: {} };

const dir = mkdtempSync(join(tmpdir(), 'emulator-catalog-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
let files = 0;

/** A mapping file with one stream per entry of `streams`. */
function mapping(
  streams: readonly { stream: string; table: string; dcr?: string; columns: Record<string, string> }[],
): string {
  const lines = [
    'version: 1',
    'endpoint: ${SENTINEL_DCE_ENDPOINT}',
    'dcrImmutableId: ${SENTINEL_DCR_IMMUTABLE_ID}',
    'streams:',
  ];
  for (const s of streams) {
    lines.push(`  - stream: ${s.stream}`, `    table: ${s.table}`);
    if (s.dcr !== undefined) lines.push(`    dcrImmutableId: ${s.dcr}`);
    lines.push('    columns:');
    for (const [name, type] of Object.entries(s.columns))
      lines.push(`      ${name}: { from: body, type: ${type} }`);
  }
  const file = join(dir, `mapping-${++files}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('catalogFromMappings with the repository examples', () => {
  it('serves every stream of the example mappings and the audit app from one DCR', () => {
    const catalog = catalogFromMappings([APP_SECURITY, OWASP, AUDIT_APP], NO_ENV);
    expect([...catalog.dcrs.keys()]).toEqual([DEFAULT_DCR_IMMUTABLE_ID]);
    const dcr = catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID);
    expect([...(dcr?.streams.keys() ?? [])]).toEqual([
      'Custom-AppAuthEvents',
      'Custom-AppSecurityEvents',
      'Custom-OwaspEvents',
      'Custom-ContosoAuthEvents',
      'Custom-ContosoAuditEvents',
    ]);
    expect([...catalog.tables.keys()]).toEqual([
      'AppAuthEvents_CL',
      'AppSecurityEvents_CL',
      'OwaspEvents_CL',
      'ContosoAuthEvents_CL',
      'ContosoAuditEvents_CL',
    ]);
  });

  it('declares each stream with the mapping columns, TimeGenerated first', () => {
    const catalog = catalogFromMappings([AUDIT_APP], NO_ENV);
    const columns = catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.streams.get('Custom-ContosoAuthEvents');
    expect(columns?.[0]).toEqual({ name: 'TimeGenerated', type: 'datetime' });
    expect(columns).toContainEqual({ name: 'AdditionalFields', type: 'dynamic' });
    expect(columns).toContainEqual({ name: 'EventName', type: 'string' });
  });

  it('gives every stream a data flow with transform source into its table', () => {
    const catalog = catalogFromMappings([AUDIT_APP], NO_ENV);
    expect(catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.dataFlows).toEqual([
      { stream: 'Custom-ContosoAuthEvents', transformKql: 'source', outputTable: 'ContosoAuthEvents_CL' },
      { stream: 'Custom-ContosoAuditEvents', transformKql: 'source', outputTable: 'ContosoAuditEvents_CL' },
    ]);
  });

  it('types the table columns as the mapping does', () => {
    const catalog = catalogFromMappings([OWASP], NO_ENV);
    const table = catalog.tables.get('OwaspEvents_CL');
    expect(table?.columns).toContainEqual({ name: 'Port', type: 'int' });
    expect(table?.columns).toContainEqual({ name: 'EventParameters', type: 'dynamic' });
    expect(table?.columns[0]).toEqual({ name: 'TimeGenerated', type: 'datetime' });
  });

  it('uses the DCR id of the environment when it is set', () => {
    const id = 'dcr-0123456789abcdef0123456789abcdef';
    const catalog = catalogFromMappings([AUDIT_APP], { env: { SENTINEL_DCR_IMMUTABLE_ID: id } });
    expect([...catalog.dcrs.keys()]).toEqual([id]);
  });

  it('uses the dcrImmutableId option when the environment leaves the variable unset or empty', () => {
    const id = 'dcr-ffffffffffffffffffffffffffffffff';
    const catalog = catalogFromMappings([AUDIT_APP], {
      env: { SENTINEL_DCR_IMMUTABLE_ID: '' },
      dcrImmutableId: id,
    });
    expect([...catalog.dcrs.keys()]).toEqual([id]);
  });

  it('refuses the design sketch beside app-security: one stream declared two ways', () => {
    expect(() => catalogFromMappings([APP_SECURITY, DESIGN_SKETCH], NO_ENV)).toThrow(
      expect.objectContaining({
        code: 'E_STREAM_CONFLICT',
        message: expect.stringMatching(/Custom-AppSecurityEvents.*app-security\.yaml.*design-sketch\.yaml/s),
      }),
    );
  });
});

describe('catalogFromMappings with the demo identity', () => {
  it('registers the demo app, allowed on every DCR, in the demo tenant and workspace', () => {
    const catalog = catalogFromMappings([AUDIT_APP], NO_ENV);
    expect(catalog.tenantId).toBe(DEMO_TENANT_ID);
    expect(catalog.workspaceId).toBe(DEMO_WORKSPACE_ID);
    expect(catalog.apps).toEqual([DEMO_APP]);
    for (const dcr of catalog.dcrs.values()) expect([...dcr.allowedClients]).toEqual([DEMO_APP.clientId]);
  });

  it('allows every given app unless allowedClients narrows it', () => {
    const apps = [
      { clientId: 'a', clientSecret: 's1', displayName: 'A' },
      { clientId: 'b', clientSecret: 's2', displayName: 'B' },
    ];
    expect([
      ...(catalogFromMappings([AUDIT_APP], { ...NO_ENV, apps })
        .dcrs.values()
        .next().value?.allowedClients ?? []),
    ]).toEqual(['a', 'b']);
    const narrowed = catalogFromMappings([AUDIT_APP], { ...NO_ENV, apps, allowedClients: ['b'] });
    expect([...(narrowed.dcrs.values().next().value?.allowedClients ?? [])]).toEqual(['b']);
  });

  it.each([
    [{ tenantId: 'contoso.onmicrosoft.com' }, 'tenantId', /tenantId.*not a GUID/],
    [{ workspaceId: 'ws' }, 'workspaceId', /workspaceId.*not a GUID/],
    [{ apps: [DEMO_APP, DEMO_APP] }, 'apps[1].clientId', /registered twice/],
    [{ apps: [{ ...DEMO_APP, clientSecret: '' }] }, 'apps[0].clientSecret', /clientSecret is empty/],
    [{ allowedClients: ['nobody'] }, 'allowedClients', /allowedClients: "nobody"/],
  ])('refuses the malformed option %o with a ConfigError naming %s', (option, name, message) => {
    expect(() => catalogFromMappings([], { ...NO_ENV, ...option })).toThrow(ConfigError);
    expect(() => catalogFromMappings([], { ...NO_ENV, ...option })).toThrow(
      expect.objectContaining({
        code: 'E_CATALOG_OPTION',
        option: name,
        message: expect.stringMatching(message),
      }),
    );
  });

  it('builds an empty catalog from no mapping files', () => {
    const catalog = catalogFromMappings([], NO_ENV);
    expect(catalog.dcrs.size).toBe(0);
    expect(catalog.tables.size).toBe(0);
  });
});

describe('catalogFromMappings merging several mappings', () => {
  it('merges the streams of one DCR declared by several files', () => {
    const a = mapping([{ stream: 'Custom-A', table: 'A_CL', columns: { Message: 'string' } }]);
    const b = mapping([{ stream: 'Custom-B', table: 'B_CL', columns: { Count: 'long' } }]);
    const catalog = catalogFromMappings([a, b], NO_ENV);
    expect(catalog.dcrs.size).toBe(1);
    expect([...(catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.streams.keys() ?? [])]).toEqual([
      'Custom-A',
      'Custom-B',
    ]);
  });

  it('keeps streams of different DCRs apart', () => {
    const other = 'dcr-11111111111111111111111111111111';
    const file = mapping([
      { stream: 'Custom-A', table: 'A_CL', columns: { Message: 'string' } },
      { stream: 'Custom-B', table: 'B_CL', dcr: other, columns: { Message: 'string' } },
    ]);
    const catalog = catalogFromMappings([file], NO_ENV);
    expect([...(catalog.dcrs.get(other)?.streams.keys() ?? [])]).toEqual(['Custom-B']);
    expect([...(catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.streams.keys() ?? [])]).toEqual(['Custom-A']);
  });

  it('unites the columns of one table written by two streams that agree on types', () => {
    const a = mapping([
      { stream: 'Custom-A', table: 'Shared_CL', columns: { Message: 'string', Code: 'int' } },
    ]);
    const b = mapping([
      { stream: 'Custom-B', table: 'Shared_CL', columns: { Message: 'string', RequestId: 'guid' } },
    ]);
    const table = catalogFromMappings([a, b], NO_ENV).tables.get('Shared_CL');
    expect(table?.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'TimeGenerated:datetime',
      'Message:string',
      'Code:int',
      'RequestId:guid',
    ]);
  });

  it('declares a guid column as string in the stream and guid in the table', () => {
    const file = mapping([{ stream: 'Custom-G', table: 'G_CL', columns: { RequestId: 'guid' } }]);
    const catalog = catalogFromMappings([file], NO_ENV);
    expect(catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.streams.get('Custom-G')).toContainEqual({
      name: 'RequestId',
      type: 'string',
    });
    expect(catalog.tables.get('G_CL')?.columns).toContainEqual({ name: 'RequestId', type: 'guid' });
  });

  it('refuses one table whose column two mappings type differently, naming both', () => {
    const a = mapping([{ stream: 'Custom-A', table: 'Shared_CL', columns: { Code: 'int' } }]);
    const b = mapping([{ stream: 'Custom-B', table: 'Shared_CL', columns: { Code: 'string' } }]);
    expect(() => catalogFromMappings([a, b], NO_ENV)).toThrow(
      expect.objectContaining({
        code: 'E_TABLE_CONFLICT',
        message: expect.stringMatching(
          /Shared_CL: column Code is int in .*Custom-A.* but Code is string in .*Custom-B/,
        ),
      }),
    );
  });

  it('refuses column names of one table that differ only in case', () => {
    const a = mapping([{ stream: 'Custom-A', table: 'Shared_CL', columns: { Code: 'int' } }]);
    const b = mapping([{ stream: 'Custom-B', table: 'Shared_CL', columns: { code: 'int' } }]);
    expect(() => catalogFromMappings([a, b], NO_ENV)).toThrow(
      expect.objectContaining({ code: 'E_TABLE_CONFLICT' }),
    );
  });

  it('accepts the same stream declared identically by two files, with one data flow', () => {
    const a = mapping([{ stream: 'Custom-A', table: 'A_CL', columns: { Message: 'string' } }]);
    const b = mapping([{ stream: 'Custom-A', table: 'A_CL', columns: { Message: 'string' } }]);
    expect(catalogFromMappings([a, b], NO_ENV).dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.dataFlows).toHaveLength(1);
  });
});

describe('catalogFromMappings with invalid mappings', () => {
  it('lists every problem of every invalid file, with file:line:col', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'version: 1\nendpoint: http://insecure\ndcrImmutableId: x\nstreams:\n  - stream: NoPrefix\n    table: T_CL\n    columns: {}\n',
    );
    let error: unknown;
    try {
      catalogFromMappings([bad, join(dir, 'missing.yaml')], NO_ENV);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CatalogError);
    expect(error).toBeInstanceOf(OtelSentinelError);
    const e = error as CatalogError;
    expect(e.code).toBe('E_MAPPING_INVALID');
    expect(e.message).toMatch(/bad\.yaml:\d+:\d+: error: .*https/);
    expect(e.message).toMatch(/missing\.yaml: error: cannot read mapping file: no such file/);
    expect(e.problems.filter((p) => p.severity === 'error').length).toBeGreaterThanOrEqual(3);
  });
});

describe('custom transforms', () => {
  it('takes a transformKql per stream from the transforms option', () => {
    const catalog = catalogFromMappings([AUDIT_APP], {
      ...NO_ENV,
      transforms: { 'Custom-ContosoAuthEvents': 'source | where EventName != "x"' },
    });
    const flows = catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.dataFlows ?? [];
    expect(flows.find((f) => f.stream === 'Custom-ContosoAuthEvents')?.transformKql).toBe(
      'source | where EventName != "x"',
    );
    expect(flows.find((f) => f.stream === 'Custom-ContosoAuditEvents')?.transformKql).toBe('source');
  });

  it('withDataFlow replaces one stream flow and leaves the original catalog as it was', () => {
    const catalog = catalogFromMappings([AUDIT_APP], NO_ENV);
    const changed = withDataFlow(catalog, {
      stream: 'Custom-ContosoAuditEvents',
      transformKql: 'source | project-away Reason',
    });
    const flows = changed.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.dataFlows;
    expect(flows).toContainEqual({
      stream: 'Custom-ContosoAuditEvents',
      transformKql: 'source | project-away Reason',
      outputTable: 'ContosoAuditEvents_CL',
    });
    expect(flows).toHaveLength(2);
    expect(
      catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.dataFlows.every((f) => f.transformKql === 'source'),
    ).toBe(true);
  });

  it('withDataFlow can send a stream into another table of the catalog', () => {
    const catalog = catalogFromMappings([AUDIT_APP], NO_ENV);
    const changed = withDataFlow(catalog, {
      stream: 'Custom-ContosoAuditEvents',
      transformKql: 'source',
      outputTable: 'ContosoAuthEvents_CL',
    });
    expect(
      changed.dcrs
        .get(DEFAULT_DCR_IMMUTABLE_ID)
        ?.dataFlows.filter((f) => f.outputTable === 'ContosoAuthEvents_CL'),
    ).toHaveLength(2);
  });

  it.each([
    [{ stream: 'Custom-Nope', transformKql: 'source' }, 'E_UNKNOWN_STREAM'],
    [
      { stream: 'Custom-ContosoAuthEvents', transformKql: 'source', dcrImmutableId: 'dcr-1' },
      'E_UNKNOWN_STREAM',
    ],
    [
      { stream: 'Custom-ContosoAuthEvents', transformKql: 'source', outputTable: 'Nope_CL' },
      'E_UNKNOWN_TABLE',
    ],
  ])('withDataFlow refuses %o', (change, code) => {
    const catalog = catalogFromMappings([AUDIT_APP], NO_ENV);
    expect(() => withDataFlow(catalog, change)).toThrow(expect.objectContaining({ code }));
  });
});

describe('a stream transformKql in the mapping', () => {
  function withTransform(transformKql: string): string {
    const file = join(dir, `transform-${++files}.yaml`);
    writeFileSync(
      file,
      [
        'version: 1',
        'endpoint: ${SENTINEL_DCE_ENDPOINT}',
        'dcrImmutableId: ${SENTINEL_DCR_IMMUTABLE_ID}',
        'streams:',
        '  - stream: Custom-T',
        '    table: T_CL',
        `    transformKql: ${transformKql}`,
        '    columns:',
        '      Message: { from: body, type: string }',
        '',
      ].join('\n'),
    );
    return file;
  }

  const flowOf = (catalog: ReturnType<typeof catalogFromMappings>) =>
    catalog.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.dataFlows.find((f) => f.stream === 'Custom-T');

  it('becomes the data flow transform', () => {
    const file = withTransform('source | where Message != "noise"');
    expect(flowOf(catalogFromMappings([file], NO_ENV))?.transformKql).toBe(
      'source | where Message != "noise"',
    );
  });

  it('gives way to the transforms option for the same stream', () => {
    const file = withTransform('source | where Message != "noise"');
    const catalog = catalogFromMappings([file], { ...NO_ENV, transforms: { 'Custom-T': 'source' } });
    expect(flowOf(catalog)?.transformKql).toBe('source');
  });

  it('stops the catalog when it does not compile, at the file:line:col of the transform', () => {
    const file = withTransform('source | summarize count()');
    expect(() => catalogFromMappings([file], NO_ENV)).toThrow(
      expect.objectContaining({
        code: 'E_MAPPING_INVALID',
        message: expect.stringMatching(
          /transform-\d+\.yaml:7:19: error: Operator 'summarize' is not supported/,
        ),
      }),
    );
  });

  it('stops the catalog when its output does not fit the table', () => {
    const file = withTransform('source | extend Extra = 1');
    expect(() => catalogFromMappings([file], NO_ENV)).toThrow(
      expect.objectContaining({
        code: 'E_MAPPING_INVALID',
        message: expect.stringMatching(/:7:19: error: Extra is not a column of table T_CL/),
      }),
    );
  });
});
