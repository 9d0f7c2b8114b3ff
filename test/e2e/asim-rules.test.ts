// The ASIM proof (docs/asim-proof.md): Microsoft's own ASIM analytic rules and testers, read
// unmodified from third_party/azure-sentinel, run on the emulator over the example app's events
// as otel-sentinel's generated parsers normalize them. The app plays its scenario and the ASIM
// scenes against the emulator in strict mode; the emulator serves the solution `otel-sentinel
// connector` writes from the app's mapping (DCR, table, ASIM parsers and custom unifiers), its
// stand-ins for ASIM's built-in unifying parsers, and the stored CSVs behind externaldata.
//
// It needs three pieces of issue 17 besides the emulator's: the owasp preset's ASIM declaration
// (mapping), the connector's ASIM parsers (`--asim-custom-unifiers`), and the KQL operators the
// rules and testers use. A missing piece fails beforeAll with a message that names it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { ASIM_INCIDENTS } from '@otel-sentinel/example-audit-app/scenario';
import type { AppExit } from '@otel-sentinel/example-audit-app/scenario';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, ROOT } from './cli.js';
import { credentialFor } from './emulator-credential.js';
import { playScenarioOn } from './support/play-scenario.js';

const MAPPING = join(ROOT, 'examples/audit-app/mapping/security-mapping.yaml');
const THIRD_PARTY = join(ROOT, 'third_party/azure-sentinel');
const TESTERS = join(THIRD_PARTY, 'ASIM/dev/ASimTester/Testers');
const RAW = 'https://raw.githubusercontent.com/Azure/Azure-Sentinel/master/';
const STORED_FEEDS = [
  'ASIM/dev/ASimTester/ASimTester.csv',
  'Sample Data/Feeds/UnusualUserAgents.csv',
  'Sample Data/Feeds/LocalFileInclusionIndicators.csv',
];
/** ASimDataTester also reads IANA's registries; header-only stand-ins (docs/asim-proof.md). */
const IANA = {
  'https://www.iana.org/assignments/protocol-numbers/protocol-numbers-1.csv': 'Decimal,Keyword\n',
  'https://www.iana.org/assignments/dns-parameters/dns-parameters-4.csv': 'TYPE\n',
  'https://www.iana.org/assignments/dns-parameters/dns-parameters-6.csv': 'RCODE,Name\n',
};
const SCHEMAS = ['Authentication', 'WebSession', 'AuditEvent', 'UserManagement'] as const;
const HASH_KEY = randomBytes(32).toString('hex');

type Row = Record<string, unknown>;

interface RuleFile {
  readonly id: string;
  readonly queryPeriod: string;
  readonly query: string;
}

let work: string | undefined;
let emulator: RunningEmulator | undefined;
let client: LogsQueryClient;
let parserNames: string[] = [];
let exit: AppExit;

/** The solution the connector writes for the app's mapping, with the ASIM custom unifiers. */
function generateSolution(out: string): string {
  const r = cli(['connector', MAPPING, '--out', out, '--asim-custom-unifiers'], {
    SENTINEL_DCE_ENDPOINT: undefined,
    SENTINEL_DCR_IMMUTABLE_ID: undefined,
  });
  if (r.status !== 0) throw new Error(`otel-sentinel connector failed (${String(r.status)}):\n${r.stderr}`);
  const solution = join(out, 'Solutions/ContosoAudit');
  const parsers = join(solution, 'Parsers');
  const names = existsSync(parsers) ? readdirSync(parsers).map((f) => f.replace(/\.yaml$/, '')) : [];
  for (const schema of ['Authentication', 'WebSession'])
    if (!names.some((n) => n.startsWith(`vim${schema}`)))
      throw new Error(
        `the connector wrote no vim${schema}… parser in ${parsers}: the owasp preset's ASIM declaration (mapping) ` +
          'or the connector’s ASIM parsers are missing',
      );
  if (!names.includes('Im_AuthenticationCustom'))
    throw new Error('the connector wrote no Im_AuthenticationCustom with --asim-custom-unifiers');
  parserNames = names;
  return solution;
}

function externalData(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const feed of STORED_FEEDS) files[RAW + feed.replace(/ /g, '%20')] = join(THIRD_PARTY, feed);
  for (const [url, text] of Object.entries(IANA)) {
    const file = join(dir, `${String(Object.keys(files).length)}.csv`);
    writeFileSync(file, text);
    files[url] = file;
  }
  return files;
}

/** `20m` → `PT20M`, `1h` → `PT1H`, `1d` → `P1D`: a rule's queryPeriod as the query API's timespan. */
function timespan(period: string): string {
  const match = /^(\d+)([mhd])$/.exec(period);
  if (match === null) throw new Error(`unexpected queryPeriod ${period}`);
  const [, n = '', unit = ''] = match;
  return unit === 'd' ? `P${n}D` : `PT${n}${unit.toUpperCase()}`;
}

/** Runs KQL through the query API (Microsoft's LogsQueryClient), over `duration`. */
async function query(kql: string, duration: string): Promise<Row[]> {
  if (emulator === undefined) throw new Error('the emulator did not start');
  const result = await client.queryWorkspace(emulator.catalog.workspaceId, kql, { duration });
  if (result.status !== LogsQueryResultStatus.Success)
    throw new Error(`the query failed: ${JSON.stringify(result)}`);
  const table = result.tables[0];
  if (table === undefined) return [];
  return table.rows.map((r) => Object.fromEntries(table.columnDescriptors.map((c, i) => [c.name, r[i]])));
}

function ruleFile(path: string): RuleFile {
  return parse(readFileSync(join(THIRD_PARTY, path), 'utf8')) as RuleFile;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'asim-rules-'));
  const solution = generateSolution(join(work, 'out'));
  emulator = await startEmulator({
    definitions: [solution],
    parsers: [TESTERS],
    externalData: externalData(work),
    port: 0,
    inMemory: true,
    dataDir: join(work, 'emulator'),
    strict: true,
  });
  client = new LogsQueryClient(credentialFor(emulator), {
    endpoint: `${emulator.origin}/v1`,
    tlsOptions: { ca: emulator.caCertPem },
  });
  ({ exit } = await playScenarioOn(emulator, work, HASH_KEY, { asim: true }));
  // The scenario and the ASIM scenes: a hang guard (test/README.md, "Time-outs").
}, 240_000);

afterAll(async () => {
  await emulator?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("Microsoft's ASIM rules on the example app's events", () => {
  it('the app flushed every event and exited cleanly', () => {
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
  });

  it.each(ASIM_INCIDENTS.map((i) => [i.rule, i] as const))(
    '%s returns its expected rows and no others',
    async (_path, incident) => {
      const rule = ruleFile(incident.rule);
      const fired = await query(rule.query, timespan(rule.queryPeriod));
      expect(fired).toHaveLength(incident.rows.length);
      expect(fired).toEqual(
        expect.arrayContaining(incident.rows.map((r): unknown => expect.objectContaining(r))),
      );
    },
  );
});

/** Findings of Microsoft's testers that are defects of its CSV or deliberate, not of our parsers. */
const DOCUMENTED: readonly RegExp[] = [
  // Our vendor and product are not on the CSV's closed lists (docs/asim-proof.md).
  /^\(0\) Error: \d+ invalid value\(s\) .* for field \[Event(Vendor|Product)\] of type \[Enumerated\]/,
  // The CSV's UserManagement types that are not KQL types.
  /^\(0\) Error: type mismatch for column \[(SrcIpAddr|SrcGeoCity|SrcGeoCountry|SrcGeoLatitude|SrcGeoLongitude|SrcGeoRegion|DvcMacAddr|ActorOriginalUserType)\]\. It is currently \[?\w+\]? and should be \[?(IP address|City|Country|Latitude|Longitude|Region|MAC address|)\]? ?(\(Schema:UserManagement\))?$/,
];

describe("Microsoft's ASIM testers on the generated parsers", () => {
  it.each(SCHEMAS)(
    'ASimSchemaTester finds no error in the %s parsers but the documented ones',
    async (schema) => {
      const parser = parserNames.find((n) => n.startsWith(`ASim${schema}`));
      if (parser === undefined) throw new Error(`no ASim${schema}… parser was generated`);
      const results = await query(`${parser} | getschema | invoke ASimSchemaTester('${schema}')`, 'P1D');
      const errors = results.map((r) => String(r.Result)).filter((r) => r.startsWith('(0)'));
      expect(errors.filter((e) => !DOCUMENTED.some((d) => d.test(e)))).toEqual([]);
    },
  );

  it.each(SCHEMAS)('ASimDataTester finds no error in the %s rows but the documented ones', async (schema) => {
    const parser = parserNames.find((n) => n.startsWith(`vim${schema}`));
    if (parser === undefined) throw new Error(`no vim${schema}… parser was generated`);
    const results = await query(`${parser} | invoke ASimDataTester('${schema}')`, 'P1D');
    const errors = results.map((r) => String(r.Result)).filter((r) => r.startsWith('(0)'));
    expect(errors.filter((e) => !DOCUMENTED.some((d) => d.test(e)))).toEqual([]);
    // It did read our rows: our vendor is not on the schema's closed list.
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/for field \[EventVendor\]/)]));
  });
});
