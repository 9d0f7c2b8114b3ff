// The workspace functions and externaldata files the emulator's query API offers: functions
// given by hand, ASIM parser YAML, saved searches in ARM JSON and through Resource Manager (PUT
// with Microsoft's own @azure/arm-operationalinsights client), ASIM's unifying-parser stand-ins,
// and local files for externaldata URLs. Expected rows are written by hand from the fixtures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OperationalInsightsManagementClient } from '@azure/arm-operationalinsights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery, ticksFromDate } from '@otel-sentinel/kql';
import { credentialFor } from './support/credential.js';
import { parseTimespan, windowed } from '../src/query/timespan.js';
import { ConfigError, startEmulator, WorkspaceError, type RunningEmulator } from '../src/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const MAPPING = join(FIXTURES, 'management/app-events.yaml');
const WORKSPACE_FIXTURES = join(FIXTURES, 'workspace');
const INDICATORS_URL = 'https://raw.githubusercontent.com/example/feeds/main/indicators.csv';
const DCR = 'dcr-0123456789abcdef0123456789abcdef';
const T0 = new Date('2026-12-01T10:00:00.000Z');

/** Rows of AppEvents_CL: alice fails twice then succeeds, bob succeeds once. */
const ROWS = [
  { TimeGenerated: '2026-12-01T10:00:00.000Z', UserId: 'alice', Status: 401 },
  { TimeGenerated: '2026-12-01T10:01:00.000Z', UserId: 'alice', Status: 401 },
  { TimeGenerated: '2026-12-01T10:02:00.000Z', UserId: 'alice', Status: 200 },
  { TimeGenerated: '2026-12-01T10:03:00.000Z', UserId: 'bob', Status: 200 },
];

const dataDirs: string[] = [];
async function start(options: Parameters<typeof startEmulator>[0]): Promise<RunningEmulator> {
  const dataDir = mkdtempSync(join(tmpdir(), 'emulator-workspace-'));
  dataDirs.push(dataDir);
  return startEmulator({ port: 0, inMemory: true, dataDir, ...options });
}

/** The rows of a query as `col=value` strings of the columns named, for readable expectations. */
function rows(emulator: RunningEmulator, kql: string, ...columns: string[]): string[] {
  const table = emulator.query(kql);
  const at = columns.map((c) => table.columns.findIndex((col) => col.name === c));
  return table.rows.map((row) => columns.map((c, i) => `${c}=${String(row[at[i] ?? -1])}`).join(' '));
}

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await start({
    mappings: [MAPPING],
    env: { SENTINEL_DCR_IMMUTABLE_ID: DCR },
    parsers: [join(WORKSPACE_FIXTURES, 'solution')],
    functions: [
      {
        name: 'Im_UserManagementCustom',
        parameters: 'disabled:bool=false',
        body: 'datatable(TargetUsername:string)["carol"]',
      },
    ],
    externalData: { [INDICATORS_URL]: join(WORKSPACE_FIXTURES, 'indicators.csv') },
  });
  emulator.store.insert('AppEvents_CL', ROWS, T0);
});

afterAll(async () => {
  await emulator.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the standard columns of a table', () => {
  it('include Type, the table name, which ASIM makes mandatory', () => {
    expect(rows(emulator, 'AppEvents_CL | distinct Type', 'Type')).toEqual(['Type=AppEvents_CL']);
  });
});

describe('workspace functions from ASIM parser YAML', () => {
  it('calls a parser by its ParserName with the defaults of its ParserParams', () => {
    expect(
      rows(
        emulator,
        'vimAuthenticationAppEvents | order by TimeGenerated asc',
        'TargetUsername',
        'EventResult',
      ),
    ).toEqual([
      'TargetUsername=alice EventResult=Failure',
      'TargetUsername=alice EventResult=Failure',
      'TargetUsername=alice EventResult=Success',
      'TargetUsername=bob EventResult=Success',
    ]);
  });

  it("quotes a string parameter's YAML default again, so Default: '*' means the string *", () => {
    expect(
      rows(
        emulator,
        "vimAuthenticationAppEvents(eventresult='Success') | order by TargetUsername asc",
        'TargetUsername',
      ),
    ).toEqual(['TargetUsername=alice', 'TargetUsername=bob']);
  });

  it('names the file and what is missing when a parser has no ParserQuery', async () => {
    await expect(start({ parsers: [join(WORKSPACE_FIXTURES, 'broken-parser.yaml')] })).rejects.toThrow(
      new WorkspaceError(
        'E_PARSER_FILE',
        `${join(WORKSPACE_FIXTURES, 'broken-parser.yaml')}: (vimBroken) has no ParserQuery: add the function's KQL under ParserQuery: |`,
      ),
    );
  });
});

describe("stand-ins for ASIM's unifying parsers", () => {
  it('_Im_Authentication unions the source parsers vim<Schema>…, passing the filters they declare by name', () => {
    expect(
      rows(
        emulator,
        "_Im_Authentication(username_has_any=dynamic(['bob'])) | project TargetUsername, EventResult",
        'TargetUsername',
        'EventResult',
      ),
    ).toEqual(['TargetUsername=bob EventResult=Success']);
  });

  it('im<Schema> is the same union, callable without parentheses', () => {
    expect(rows(emulator, "imAuthentication | where EventResult == 'Failure' | count", 'Count')).toEqual([
      'Count=2',
    ]);
  });

  it("has every field of the schema's empty table, SrcDvcIpAddr included, even when the parser emits fewer", () => {
    const columns = emulator.query('imAuthentication | getschema | project ColumnName').rows.map((r) => r[0]);
    expect(columns).toEqual(
      expect.arrayContaining([
        'EventVendor',
        'TargetUsername',
        'SrcDvcIpAddr',
        'SrcGeoCountry',
        'TargetUserType',
      ]),
    );
    expect(
      rows(
        emulator,
        "imAuthentication | where TargetUsername == 'bob' | project SrcDvcIpAddr",
        'SrcDvcIpAddr',
      ),
    ).toEqual(['SrcDvcIpAddr=']);
  });

  it('_ASim_Authentication unions the parameterless ASim<Schema>… parsers', () => {
    expect(rows(emulator, 'ASimAuthentication | summarize n = count() by Parser', 'Parser', 'n')).toEqual([
      'Parser=parameterless n=4',
    ]);
  });

  it('uses Im_<Schema>Custom instead of the source parsers when the workspace has it', () => {
    expect(rows(emulator, '_Im_UserManagement | project TargetUsername', 'TargetUsername')).toEqual([
      'TargetUsername=carol',
    ]);
  });

  it('is an empty table of the schema when the workspace has no parser for it', () => {
    expect(
      rows(emulator, '_Im_WebSession(starttime=ago(1h), eventresult="Success") | count', 'Count'),
    ).toEqual(['Count=0']);
    expect(emulator.query('_ASim_WebSession | getschema').rows.map((r) => r[0])).toEqual(
      expect.arrayContaining(['Url', 'HttpUserAgent', 'UserAgent']),
    );
  });

  it('offers empty watchlists through _GetWatchlist and _ASIM_GetWatchlistRaw', () => {
    expect(rows(emulator, "_GetWatchlist('UnusualUserAgents') | count", 'Count')).toEqual(['Count=0']);
    expect(
      rows(
        emulator,
        "_ASIM_GetWatchlistRaw('Web_LocalFileInclusionIndicators') | extend I = tostring(WatchlistItem['Indicators']) | count",
        'Count',
      ),
    ).toEqual(['Count=0']);
  });

  it("leaves a name the workspace defines to the workspace's own function", async () => {
    const own = await start({
      functions: [{ name: 'imAuthentication', body: "datatable(Who:string)['mine']" }],
    });
    expect(rows(own, 'imAuthentication', 'Who')).toEqual(['Who=mine']);
    await own.close();
  });

  it('makes no stand-ins with asimStandIns: false', async () => {
    const bare = await start({ asimStandIns: false });
    expect(() => bare.query('imAuthentication')).toThrow(/imAuthentication/);
    await bare.close();
  });
});

describe('externaldata files', () => {
  it('reads the local file mapped to the URL, as CSV', () => {
    const kql = `externaldata(Indicator:string, Kind:string) [@"${INDICATORS_URL}"] with (format="csv", ignoreFirstRecord=true)`;
    expect(rows(emulator, kql, 'Indicator', 'Kind')).toEqual([
      'Indicator=/etc/passwd Kind=LFI',
      'Indicator=a, quoted Kind=Other',
    ]);
  });

  it('fails a query naming a URL that is not mapped, never fetching it', () => {
    const url = 'https://raw.githubusercontent.com/example/feeds/main/other.csv';
    expect(() => emulator.query(`externaldata(X:string) [@"${url}"] with (format="csv")`)).toThrow(url);
  });

  it('refuses at start-up a mapped file that does not exist, naming the option', async () => {
    const missing = join(WORKSPACE_FIXTURES, 'no-such.csv');
    await expect(start({ externalData: { [INDICATORS_URL]: missing } })).rejects.toThrow(
      new ConfigError(
        'E_EXTERNAL_DATA',
        `externalData['${INDICATORS_URL}']`,
        `externalData['${INDICATORS_URL}']: cannot read ${missing} (no such file); give the local copy of that URL's file`,
      ),
    );
  });
});

describe('saved searches in ARM JSON and through Resource Manager', () => {
  let deployed: RunningEmulator;

  beforeAll(async () => {
    deployed = await start({
      definitions: [join(FIXTURES, 'definitions/arm/azuredeploy.json'), join(WORKSPACE_FIXTURES, 'arm')],
    });
    deployed.store.insert(
      'ArmEvents_CL',
      [
        { TimeGenerated: '2026-12-01T10:00:00.000Z', Message: 'disk full', Count: 7 },
        { TimeGenerated: '2026-12-01T10:01:00.000Z', Message: 'disk ok', Count: 1 },
      ],
      T0,
    );
  });

  afterAll(async () => {
    await deployed.close();
  });

  it('serves a saved search with a functionAlias as a function, with its functionParameters', () => {
    expect(rows(deployed, 'FailedUsers', 'Message')).toEqual(['Message=disk full']);
    expect(rows(deployed, 'FailedUsers(threshold=1) | order by Message asc', 'Message')).toEqual([
      'Message=disk full',
      'Message=disk ok',
    ]);
  });

  it('skips a saved search without an alias (a saved query, not a function)', () => {
    expect(() => deployed.query('JustAQuery')).toThrow(/JustAQuery/);
  });

  it('reads a saved search nested in a workspace resource (FunctionAlias spelling) and plugs it into _Im_AuditEvent', () => {
    expect(
      rows(deployed, '_Im_AuditEvent | project Operation, ActorUsername', 'Operation', 'ActorUsername'),
    ).toEqual(['Operation=Set ActorUsername=alice']);
  });

  it('serves the parser YAML of a definitions folder', () => {
    expect(rows(deployed, "ArmMessages(prefix='disk f')", 'Message')).toEqual(['Message=disk full']);
  });

  it('deploys a function PUT with @azure/arm-operationalinsights, and returns it on GET', async () => {
    const insights = new OperationalInsightsManagementClient(
      credentialFor(deployed),
      '00000000-0000-4000-8000-00000000e3a5',
      {
        endpoint: deployed.origin,
        credentials: { scopes: [`${deployed.origin}/.default`] },
        tlsOptions: { ca: deployed.caCertPem },
      },
    );
    const group = 'otel-sentinel-emulator';
    await insights.savedSearches.createOrUpdate(group, 'otel-sentinel-emulator', 'QuietMessages', {
      category: 'ASIM',
      displayName: 'Quiet messages',
      query: 'ArmEvents_CL | where Count < limit | project Message',
      functionAlias: 'QuietMessages',
      functionParameters: 'limit:long=2',
    });
    expect(rows(deployed, 'QuietMessages', 'Message')).toEqual(['Message=disk ok']);
    const got = await insights.savedSearches.get(group, 'otel-sentinel-emulator', 'QuietMessages');
    expect(got.functionAlias).toBe('QuietMessages');
    expect(got.query).toBe('ArmEvents_CL | where Count < limit | project Message');
  });
});

describe('a query with a timespan', () => {
  it('still sees the workspace functions and files, over tables cut to the window', () => {
    const source = {
      tables: () => ['Events_CL'],
      columns: (table: string) =>
        table === 'Events_CL'
          ? [
              { name: 'TimeGenerated', type: 'datetime' as const },
              { name: 'Who', type: 'string' as const },
            ]
          : undefined,
      scan: (table: string) =>
        table === 'Events_CL'
          ? [
              { TimeGenerated: '2026-12-01T09:00:00.000Z', Who: 'early' },
              { TimeGenerated: '2026-12-01T11:30:00.000Z', Who: 'late' },
            ]
          : [],
      functions: () => [{ name: 'Everyone', body: 'Events_CL | project Who' }],
      externalData: (url: string) => (url === INDICATORS_URL ? 'Who\nlisted\n' : undefined),
    };
    const now = new Date('2026-12-01T12:00:00.000Z');
    const lastHour = windowed(source, parseTimespan('PT1H', ticksFromDate(now)));
    expect(runQuery('Everyone', lastHour, now).rows).toEqual([['late']]);
    const external = `externaldata(Who:string) [@"${INDICATORS_URL}"] with (format="csv", ignoreFirstRecord=true)`;
    expect(runQuery(external, lastHour, now).rows).toEqual([['listed']]);
  });
});
