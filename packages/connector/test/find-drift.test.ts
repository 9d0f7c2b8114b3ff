// findDrift: each kind of drift between a mapping and a deployed DCR or table, with the findings
// written out by hand.
import { parseMapping } from '@otel-sentinel/mapping';
import type { MappingConfig } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import { findDrift, readDeployment } from '../src/index.js';
import type { DeployedColumn, Deployment, TransformProjector } from '../src/index.js';

const MAPPING = `
version: 1
endpoint: https://my-dce.westeurope-1.ingest.monitor.azure.com
dcrImmutableId: dcr-00112233445566778899aabbccddeeff
streams:
  - stream: Custom-AppEvents
    table: AppEvents_CL
    columns:
      TimeGenerated: { from: timestamp, type: datetime }
      EventName: { from: eventName, type: string }
      UserId: { from: "attributes['user.id']", type: string }
      Status: { from: "attributes['http.status']", type: int }
`;

function mapping(text = MAPPING): MappingConfig {
  const r = parseMapping(text, { env: {} });
  if (!r.config) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.config;
}

const COLUMNS = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'EventName', type: 'string' },
  { name: 'UserId', type: 'string' },
  { name: 'Status', type: 'int' },
];

function dcr(columns: readonly object[] = COLUMNS, transformKql = 'source'): object {
  return {
    type: 'Microsoft.Insights/dataCollectionRules',
    name: 'app-dcr',
    properties: {
      immutableId: 'dcr-00112233445566778899aabbccddeeff',
      streamDeclarations: { 'Custom-AppEvents': { columns } },
      dataFlows: [
        {
          streams: ['Custom-AppEvents'],
          destinations: ['ws'],
          transformKql,
          outputStream: 'Custom-AppEvents_CL',
        },
      ],
    },
  };
}

function table(columns: readonly object[] = COLUMNS): object {
  return {
    type: 'Microsoft.OperationalInsights/workspaces/tables',
    name: "[format('{0}/{1}', parameters('workspaceName'), 'AppEvents_CL')]",
    properties: { schema: { name: 'AppEvents_CL', columns } },
  };
}

function deployed(resources: readonly object[]): Deployment {
  const read = readDeployment({ resources }, 'azuredeploy.json');
  return { ...read, checked: { dcrs: read.dcrs.length > 0, tables: read.tables.length > 0 } };
}

function codes(d: Deployment, options = {}): string[] {
  return findDrift(mapping(), d, options).map((f) => `${f.severity} ${f.code} ${f.path.join('.')}`);
}

/**
 * Reads `project A, B = C, …` and `project-away A` only: enough to give findDrift the output of
 * the transforms below; a column a `project` reads but that is not in the input is an error.
 */
const projector: TransformProjector = (kql, input) => {
  const names = new Set(input.map((c) => c.name));
  const away = /project-away\s+(.+)$/.exec(kql);
  if (away?.[1] !== undefined) {
    const gone = away[1].split(',').map((x) => x.trim());
    return { columns: input.filter((c) => !gone.includes(c.name)) };
  }
  const list = /\|\s*project\s+(.+)$/.exec(kql)?.[1];
  if (list === undefined) return { columns: input };
  const out: DeployedColumn[] = [];
  for (const part of list.split(',').map((x) => x.trim())) {
    const [name, from] = part.split('=').map((x) => x.trim());
    const read = from ?? name ?? '';
    if (!names.has(read)) return { error: `unknown column ${read}` };
    out.push({ name: name ?? read, type: input.find((c) => c.name === read)?.type ?? 'string' });
  }
  return { columns: out };
};

describe('findDrift', () => {
  it('finds nothing when the DCR and the table are what the mapping generates', () => {
    expect(findDrift(mapping(), deployed([dcr(), table()]))).toEqual([]);
  });

  it('reports a column the stream does not declare as lost, at the column', () => {
    const findings = findDrift(mapping(), deployed([dcr(COLUMNS.filter((c) => c.name !== 'UserId'))]));
    expect(findings).toEqual([
      {
        severity: 'error',
        code: 'E_NOT_IN_STREAM',
        path: ['streams', 0, 'columns', 'UserId'],
        target: 'key',
        message:
          'UserId is not declared in stream Custom-AppEvents of DCR app-dcr: the service drops the field as rows arrive, so every UserId value is lost. ' +
          'Declare { "name": "UserId", "type": "string" } in the stream (redeploy the DCR from this mapping), or remove the column',
      },
    ]);
  });

  it('reports a column only the stream declares as null in every row, not as loss', () => {
    expect(codes(deployed([dcr([...COLUMNS, { name: 'Extra', type: 'string' }])]))).toEqual([
      'info I_EXTRA_IN_STREAM streams.0.columns',
    ]);
  });

  it('reports a string column declared long as values nulled, at the type', () => {
    const findings = findDrift(
      mapping(),
      deployed([dcr(COLUMNS.map((c) => (c.name === 'UserId' ? { name: 'UserId', type: 'long' } : c)))]),
    );
    expect(findings).toEqual([
      {
        severity: 'error',
        code: 'E_STREAM_TYPE',
        path: ['streams', 0, 'columns', 'UserId', 'type'],
        target: 'value',
        message:
          "UserId is sent as string but stream Custom-AppEvents of DCR app-dcr declares it long: values that do not read as long are stored as null (assumed). Make the mapping's type and the declaration agree",
      },
    ]);
  });

  it('reports an int column in a long table column as widened, a warning', () => {
    expect(
      codes(
        deployed([table(COLUMNS.map((c) => (c.name === 'Status' ? { name: 'Status', type: 'long' } : c)))]),
      ),
    ).toEqual(['warning W_TABLE_TYPE streams.0.columns.Status.type']);
  });

  it('reads the camel-case dateTime of a GET response as datetime', () => {
    const types = COLUMNS.map((c) =>
      c.name === 'TimeGenerated' ? { name: 'TimeGenerated', type: 'dateTime' } : c,
    );
    expect(codes(deployed([table(types)]))).toEqual([]);
  });

  it('reports a column the table lacks as dropped at ingestion', () => {
    expect(codes(deployed([dcr(), table(COLUMNS.filter((c) => c.name !== 'Status'))]))).toEqual([
      'error E_NOT_IN_TABLE streams.0.columns.Status',
    ]);
  });

  it('reports a table column nothing fills as null, not as loss', () => {
    expect(codes(deployed([table([...COLUMNS, { name: 'Country', type: 'string' }])]))).toEqual([
      'info I_EXTRA_IN_TABLE streams.0.columns',
    ]);
  });

  it("reports a column a transform projects away as dropped, and the transform as not the mapping's", () => {
    const d = deployed([dcr(COLUMNS, 'source | project-away UserId'), table()]);
    expect(codes(d, { projectTransform: projector })).toEqual([
      'warning W_TRANSFORM_DIFFERS streams.0.stream',
      'error E_DROPPED_BY_TRANSFORM streams.0.columns.UserId',
      'info I_EXTRA_IN_TABLE streams.0.columns',
    ]);
  });

  it('tells a rename from a drop: the values go into the new column', () => {
    const kql = 'source | project TimeGenerated, EventName, ActorId = UserId, Status';
    const d = deployed([dcr(COLUMNS, kql), table([...COLUMNS, { name: 'ActorId', type: 'string' }])]);
    const findings = findDrift(mapping(), d, { projectTransform: projector });
    expect(findings.map((f) => `${f.severity} ${f.code}`)).toEqual([
      'warning W_TRANSFORM_DIFFERS',
      'warning W_RENAMED_BY_TRANSFORM',
      'info I_EXTRA_IN_TABLE',
    ]);
    expect(findings[1]?.message).toContain('its values go into ActorId');
  });

  it('says what it could not tell when no analyzer reads the transform', () => {
    const d = deployed([dcr(COLUMNS, 'source | project-away UserId')]);
    expect(codes(d)).toEqual([
      'warning W_TRANSFORM_DIFFERS streams.0.stream',
      'warning W_TRANSFORM_UNKNOWN streams.0.stream',
    ]);
  });

  it('reports a stream no DCR declares and a table that is not there', () => {
    const other = readDeployment(
      [
        {
          type: 'Microsoft.Insights/dataCollectionRules',
          name: 'other',
          properties: { streamDeclarations: { 'Custom-Other': { columns: COLUMNS } }, dataFlows: [] },
        },
      ],
      'DCR.json',
    );
    const d: Deployment = {
      dcrs: other.dcrs,
      tables: [],
      checked: { dcrs: true, tables: true },
      missingTables: ['AppEvents_CL'],
    };
    expect(codes(d)).toEqual(['error E_STREAM_NOT_DECLARED streams.0.stream']);
    const tableOnly: Deployment = {
      dcrs: [],
      tables: [],
      checked: { dcrs: false, tables: true },
      missingTables: ['AppEvents_CL'],
    };
    expect(findDrift(mapping(), tableOnly).map((f) => f.message)).toEqual([
      'the workspace has no table AppEvents_CL: rows for it cannot be stored, so every value of this stream is lost (assumed). Deploy the table generated from this mapping, or fix the table name',
    ]);
  });

  it('reports a flow into another table', () => {
    const moved = dcr();
    const text = JSON.stringify(moved).replace('"Custom-AppEvents_CL"', '"Custom-Elsewhere_CL"');
    expect(codes(deployed([JSON.parse(text) as object]))).toEqual(['error E_NO_FLOW streams.0.table']);
  });
});
