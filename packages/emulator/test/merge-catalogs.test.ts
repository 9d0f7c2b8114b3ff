// Mapping files and DCR/table JSON served together: what both describe must agree.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DCR_IMMUTABLE_ID } from '../src/catalog/demo-identity.js';
import { catalogFromDefinitions } from '../src/catalog/from-definitions.js';
import { catalogFromMappings } from '../src/catalog/from-mappings.js';
import { mergeCatalogs } from '../src/catalog/merge-catalogs.js';
import type { Catalog } from '../src/model.js';

const CONNECTOR = join(import.meta.dirname, '../../connector/test/fixtures');
const CONNECTOR_MAPPING = join(CONNECTOR, 'mappings/app-security.yaml');
const CONNECTOR_SOLUTION = join(CONNECTOR, 'golden/app-security');
const CCF = join(
  import.meta.dirname,
  'fixtures/definitions/solution/Solutions/Acme/Data Connectors/Acme_ccf',
);
const AUDIT_APP = join(import.meta.dirname, 'fixtures/mappings/two-tables.yaml');
const NO_ENV = { env: {} };

describe('mergeCatalogs', () => {
  it('serves a mapping and the solution generated from it as one DCR with the same tables', () => {
    const mapping = catalogFromMappings([CONNECTOR_MAPPING], NO_ENV);
    const merged = mergeCatalogs([
      { from: 'the mapping', catalog: mapping },
      { from: 'the solution', catalog: catalogFromDefinitions([CONNECTOR_SOLUTION], NO_ENV).catalog },
    ]);
    expect([...merged.dcrs.keys()]).toEqual([DEFAULT_DCR_IMMUTABLE_ID]);
    expect(merged.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.dataFlows).toEqual(
      mapping.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.dataFlows,
    );
    expect([...merged.tables.keys()]).toEqual([...mapping.tables.keys()]);
  });

  it('unites the streams and tables of one DCR id described by both', () => {
    const merged = mergeCatalogs([
      { from: 'the mapping', catalog: catalogFromMappings([AUDIT_APP], NO_ENV) },
      { from: 'the definitions', catalog: catalogFromDefinitions([CCF], NO_ENV).catalog },
    ]);
    expect([...(merged.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID)?.streams.keys() ?? [])]).toEqual([
      'Custom-ContosoAuthEvents',
      'Custom-ContosoAuditEvents',
      'Custom-AcmeAuth',
      'Custom-AcmeAudit',
    ]);
    expect(merged.tables.size).toBe(4);
  });

  it('refuses a table the two describe differently, naming both sources', () => {
    const a = catalogFromDefinitions([CCF], NO_ENV).catalog;
    const table = a.tables.get('AcmeAudit_CL');
    const b: Catalog = {
      ...a,
      dcrs: new Map(),
      tables: new Map([
        [
          'AcmeAudit_CL',
          { name: 'AcmeAudit_CL', columns: [...(table?.columns ?? []), { name: 'X', type: 'int' }] },
        ],
      ]),
    };
    expect(() =>
      mergeCatalogs([
        { from: 'the definitions', catalog: a },
        { from: 'the mappings', catalog: b },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'E_TABLE_CONFLICT',
        message: expect.stringMatching(
          /table AcmeAudit_CL is defined differently by the definitions and the mappings: X only in the second/,
        ),
      }),
    );
  });

  it('refuses one DCR id whose common stream is declared differently', () => {
    const a = catalogFromDefinitions([CCF], NO_ENV).catalog;
    const dcr = a.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID);
    if (dcr === undefined) throw new Error('the fixture has no DCR');
    const b: Catalog = {
      ...a,
      tables: new Map(),
      dcrs: new Map([
        [
          dcr.immutableId,
          { ...dcr, streams: new Map([['Custom-AcmeAudit', [{ name: 'Time', type: 'string' }]]]) },
        ],
      ]),
    };
    expect(() =>
      mergeCatalogs([
        { from: 'A', catalog: a },
        { from: 'B', catalog: b },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'E_STREAM_CONFLICT',
        message: expect.stringMatching(
          /stream Custom-AcmeAudit of DCR dcr-0+ is declared differently by A and B/,
        ),
      }),
    );
  });

  it('refuses one data flow with two transforms', () => {
    const a = catalogFromDefinitions([CCF], NO_ENV).catalog;
    const dcr = a.dcrs.get(DEFAULT_DCR_IMMUTABLE_ID);
    if (dcr === undefined) throw new Error('the fixture has no DCR');
    const b: Catalog = {
      ...a,
      dcrs: new Map([
        [
          dcr.immutableId,
          { ...dcr, dataFlows: dcr.dataFlows.map((f) => ({ ...f, transformKql: 'source | where true' })) },
        ],
      ]),
    };
    expect(() =>
      mergeCatalogs([
        { from: 'A', catalog: a },
        { from: 'B', catalog: b },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'E_STREAM_CONFLICT',
        message: expect.stringMatching(
          /Custom-AcmeAuth into AcmeAuth_CL .* "source" in A but "source \| where true" in B/,
        ),
      }),
    );
  });

  it('refuses catalogs of different tenants', () => {
    const a = catalogFromDefinitions([CCF], NO_ENV).catalog;
    expect(() =>
      mergeCatalogs([
        { from: 'A', catalog: a },
        { from: 'B', catalog: { ...a, tenantId: '11111111-1111-4111-8111-111111111111' } },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'E_CATALOG_OPTION',
        option: 'tenantId',
        message: expect.stringMatching(/different tenants/),
      }),
    );
  });
});
