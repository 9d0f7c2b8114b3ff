// At-least-once delivery, end to end: rows of the owasp preset, mapped by the real mapping and sent
// twice by the real LogsIngestionClient to the emulator in strict mode, come back once per RowId
// from the documented query through the real LogsQueryClient.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import { Durations, LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import { compileMapping, loadMapping } from '@otel-sentinel/mapping';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialFor } from './support/credential.js';
import { startEmulator, type RunningEmulator } from '../src/emulator.js';

const MAPPING = join(import.meta.dirname, 'fixtures/mappings/owasp-preset.yaml');
const DCR = 'dcr-0123456789abcdef0123456789abcdef';
const STREAM = 'Custom-OwaspSecurityEvents';
const DEDUP = 'OwaspSecurityEvents_CL | summarize arg_max(TimeGenerated, *) by RowId';
const UID = '01JDQ8Z4W5N2Y3K6V7B8C9D0EF';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

let emulator: RunningEmulator;
let dataDir: string;
let ingest: LogsIngestionClient;
let logs: LogsQueryClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'emulator-dedup-'));
  emulator = await startEmulator({
    mappings: [MAPPING],
    port: 0,
    inMemory: true,
    strict: true,
    dataDir,
    env: { SENTINEL_DCR_IMMUTABLE_ID: DCR },
  });
  const tlsOptions = { ca: emulator.caCertPem };
  const credential = credentialFor(emulator);
  ingest = new LogsIngestionClient(emulator.origin, credential, { tlsOptions });
  logs = new LogsQueryClient(credential, { endpoint: `${emulator.origin}/v1`, tlsOptions });
});

afterAll(async () => {
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** An OWASP event as the helpers emit it, `secondsAgo` seconds ago; inside a span when `traceId` is given. */
function record(
  eventName: string,
  user: string,
  secondsAgo: number,
  uid?: string,
  traceId?: string,
): LogRecordLike {
  const seconds = Math.floor(Date.now() / 1000) - secondsAgo;
  return {
    hrTime: [seconds, 123_456_789],
    severityText: 'WARN',
    severityNumber: 13,
    eventName,
    body: `User ${user}: ${eventName}`,
    attributes: {
      'security.event': true,
      'owasp.category': 'AUTHN',
      'user.id': user,
      'client.address': '203.0.113.7',
      ...(uid === undefined ? {} : { 'log.record.uid': uid }),
    },
    resource: { attributes: { 'service.name': 'shop' } },
    ...(traceId === undefined ? {} : { spanContext: { traceId, spanId: '00f067aa0ba902b7', traceFlags: 1 } }),
  };
}

/** Rows as the exporter sends them: the same mapping, compiled here. */
function rowsOf(records: readonly LogRecordLike[]): Record<string, unknown>[] {
  const env = { SENTINEL_DCE_ENDPOINT: emulator.origin, SENTINEL_DCR_IMMUTABLE_ID: DCR };
  const mapping = compileMapping(loadMapping(MAPPING, { env }), { env });
  return records.map((r) => {
    const outcome = mapping.map(r);
    if (outcome.status !== 'mapped') throw new Error(`not mapped: ${outcome.status}`);
    return outcome.row;
  });
}

async function query(kql: string): Promise<{ names: string[]; rows: unknown[][] }> {
  const result = await logs.queryWorkspace(emulator.catalog.workspaceId, kql, { duration: Durations.oneDay });
  if (result.status !== LogsQueryResultStatus.Success) throw new Error(`query failed: ${kql}`);
  const table = result.tables[0];
  return { names: table?.columnDescriptors.map((c) => c.name) ?? [], rows: table?.rows ?? [] };
}

describe('removing duplicates by RowId on the emulator', () => {
  const sent: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const rows = rowsOf([
      record('authn_login_fail', 'mallory', 60),
      record('authn_login_fail', 'mallory', 50),
      record('authn_login_success', 'alice', 40),
      record('authz_fail', 'bob', 30, UID, TRACE_ID),
    ]);
    sent.push(...rows);
    // The first delivery, then a retry of a batch whose answer was lost, then a replay of one row.
    await ingest.upload(DCR, STREAM, rows);
    await ingest.upload(DCR, STREAM, rows.slice(0, 2));
    await ingest.upload(DCR, STREAM, rows.slice(3));
  });

  it('accepts RowId in strict mode, where the stream declares it as a string', async () => {
    expect((await query('OwaspSecurityEvents_CL | count')).rows).toEqual([[7]]);
    expect(emulator.catalog.dcrs.get(DCR)?.streams.get(STREAM)).toContainEqual({
      name: 'RowId',
      type: 'string',
    });
    // Strict mode is on: a field the stream does not declare is refused, not dropped.
    const [first] = sent;
    await expect(ingest.upload(DCR, STREAM, [{ ...first, RowID: 'x' }])).rejects.toThrow();
    expect((await query('OwaspSecurityEvents_CL | count')).rows).toEqual([[7]]);
  });

  it('returns each RowId once from the documented query', async () => {
    const { names, rows } = await query(DEDUP);
    const ids = rows.map((r) => r[names.indexOf('RowId')]);
    expect(ids).toHaveLength(4);
    expect(new Set(ids)).toEqual(new Set(sent.map((r) => r.RowId)));
    expect(ids).toContain(UID);
    for (const id of ids) if (id !== UID) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps the row as it was sent, with RowId first, then TimeGenerated, then the table columns in order', async () => {
    const { names, rows } = await query(`${DEDUP} | where RowId == "${UID}"`);
    expect(names).toEqual([
      'RowId',
      'TimeGenerated',
      'EventOriginalType',
      'OwaspCategory',
      'EventSeverity',
      'EventOriginalSeverity',
      'EventResult',
      'EventResultDetails',
      'EventMessage',
      'ActorUserId',
      'TargetUserId',
      'SrcIpAddr',
      'HttpUserAgent',
      'HttpRequestMethod',
      'Url',
      'HttpReferrer',
      'SrcGeoCountry',
      'DvcHostname',
      'TargetAppName',
      'CorrelationId',
      'TraceId',
      'SessionHash',
      'Object',
      'OldValue',
      'NewValue',
      'TokenId',
      'ThreatName',
      'RuleName',
      'Limit',
      'Retries',
      'HttpStatusCode',
      'AdditionalFields',
      // Log Analytics' standard column: the table's name.
      'Type',
    ]);
    const row = Object.fromEntries(names.map((n, i) => [n, rows[0]?.[i]]));
    expect(row).toMatchObject({
      RowId: UID,
      EventOriginalType: 'authz_fail',
      EventSeverity: 'Medium',
      ActorUserId: 'bob',
      SrcIpAddr: '203.0.113.7',
      TargetAppName: 'shop',
      TraceId: TRACE_ID,
    });
  });

  it('reads TraceId back as empty for the rows sent without a span', async () => {
    const { rows } = await query(`${DEDUP} | where RowId != "${UID}" | project TraceId`);
    expect(rows).toEqual([[''], [''], ['']]);
  });

  it('counts each event once after the summarize', async () => {
    const { rows } = await query(
      `${DEDUP} | summarize n = count() by EventOriginalType | sort by EventOriginalType asc`,
    );
    expect(rows).toEqual([
      ['authn_login_fail', 2],
      ['authn_login_success', 1],
      ['authz_fail', 1],
    ]);
  });
});
