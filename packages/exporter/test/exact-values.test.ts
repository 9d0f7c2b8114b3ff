// Values reach the service as they were: 64-bit integers to the last digit in the request body,
// also after the write-ahead queue, the spool and replay; and a value that does not fit its
// column is kept, counted, measured and reported once per column and reason, never shown.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordLike, MappingInput } from '@otel-sentinel/mapping';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replayToSentinel } from '../src/replay-to-sentinel.js';
import { SentinelLogExporter } from '../src/sentinel-log-exporter.js';
import { readSpool } from '../src/store/read-spool.ts';
import { DCR, ENDPOINT, ingestionSink } from './support/ingestion-sink.js';
import { meteredTest } from './support/metric-points.js';
import { StaticCredential } from './support/static-credential.js';

const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [
    {
      stream: 'Custom-Sec',
      table: 'Sec_CL',
      columns: {
        Big: { from: "attributes['big']", type: 'long' },
        UserId: { from: "attributes['user.id']", type: 'int' },
        AdditionalFields: { from: 'attributes', type: 'dynamic', exclude: ['big', 'user.id'] },
      },
    },
  ],
};

/** 2023-11-14T22:13:20.1234567Z */
const HR: [number, number] = [1_700_000_000, 123_456_789];
const TIME = '"TimeGenerated":"2023-11-14T22:13:20.1234567Z"';

function rec(attributes: Record<string, unknown>): LogRecordLike {
  return { hrTime: HR, attributes: { 'security.event': true, ...attributes } };
}

function exportAll(exporter: SentinelLogExporter, records: LogRecordLike[]): Promise<ExportResult> {
  return new Promise((resolve) => {
    exporter.export(records, resolve);
  });
}

/** Records whose values are the int64 edges, as bigints (OTLP int64 decoded, or the OTel JS API). */
const EDGES = [
  rec({ big: 9223372036854775807n, n: { list: [-9223372036854775808n] } }),
  rec({ big: -9223372036854775808n }),
  rec({ big: -9223372036854775807n }),
  rec({ big: 4611686018427387905n }),
  rec({ big: 9007199254740993n, n: 9007199254740993n }),
  rec({ big: -9007199254740993n }),
  rec({ big: 9007199254740991n }),
  rec({ big: '9007199254740992' }),
];

/** The same rows, as JSON text written by hand. */
const EDGE_ROWS = [
  `{${TIME},"Big":9223372036854775807,"AdditionalFields":{"n":{"list":[-9223372036854775808]}}}`,
  `{${TIME},"Big":-9223372036854775808,"AdditionalFields":{}}`,
  `{${TIME},"Big":-9223372036854775807,"AdditionalFields":{}}`,
  `{${TIME},"Big":4611686018427387905,"AdditionalFields":{}}`,
  `{${TIME},"Big":9007199254740993,"AdditionalFields":{"n":9007199254740993}}`,
  `{${TIME},"Big":-9007199254740993,"AdditionalFields":{}}`,
  `{${TIME},"Big":9007199254740991,"AdditionalFields":{}}`,
  `{${TIME},"Big":9007199254740992,"AdditionalFields":{}}`,
];

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  diag.disable();
});

describe('64-bit integers', () => {
  it('reach the request body with every digit', async () => {
    const sink = ingestionSink();
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      startupCheck: false,
      spool: false,
    });
    expect((await exportAll(exporter, EDGES)).code).toBe(ExportResultCode.SUCCESS);
    expect(sink.texts).toEqual([`[${EDGE_ROWS.join(',')}]`]);
    await exporter.shutdown();
  });

  it('keep every digit through the write-ahead queue, the spool and replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-longs-'));
    ingestionSink(403);
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      startupCheck: false,
      spool: dir,
      durability: 'disk',
    });
    await exportAll(exporter, EDGES);
    await exporter.forceFlush();
    await exporter.shutdown();
    expect(exporter.stats().rowsSpooled).toBe(EDGES.length);
    nock.cleanAll();
    const sink = ingestionSink();
    const result = await replayToSentinel({ directory: dir, credential: new StaticCredential() });
    expect(result).toMatchObject({ delivered: EDGES.length, failed: 0 });
    expect(sink.texts.join('\n')).toBe(`[${EDGE_ROWS.join(',')}]`);
  });

  it('keep every digit when an ended process left them in its queue and replay takes them over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-longs-'));
    // The service never answers within the stop's time: the rows stay in the queue.
    nock(ENDPOINT).persist().post(/.*/).delay(60_000).reply(204);
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      startupCheck: false,
      spool: dir,
      durability: 'disk',
      exportTimeoutMillis: 300,
    });
    await exportAll(exporter, EDGES);
    await exporter.shutdown(300);
    nock.abortPendingRequests();
    nock.cleanAll();
    const sink = ingestionSink();
    const result = await replayToSentinel({ directory: dir, credential: new StaticCredential() });
    expect(result.delivered).toBe(EDGES.length);
    expect(sink.texts.join('\n')).toBe(`[${EDGE_ROWS.join(',')}]`);
  });
});

describe('a value that does not fit its column', () => {
  it('is kept in the overflow column, counted, measured and reported once per column and reason', async () => {
    const sink = ingestionSink();
    const messages: string[] = [];
    const capture = (...args: unknown[]) => {
      messages.push(args.map(String).join(' '));
    };
    diag.setLogger(
      { error: capture, warn: capture, info: capture, debug: capture, verbose: capture },
      DiagLogLevel.WARN,
    );
    const metered = meteredTest();
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      startupCheck: false,
      spool: false,
      meterProvider: metered.meterProvider,
    });
    const users = ['alice@example.com', 'bob@example.com', 'carol@example.com'];
    for (const u of users) await exportAll(exporter, [rec({ 'user.id': u })]);
    await exportAll(exporter, [rec({ big: 2n ** 64n })]);

    expect(sink.all()).toEqual([
      ...users.map((u) => ({
        TimeGenerated: '2023-11-14T22:13:20.1234567Z',
        AdditionalFields: {
          'otel_sentinel.mismatch': { UserId: { value: u, type: 'int', reason: 'unparsable' } },
        },
      })),
      {
        TimeGenerated: '2023-11-14T22:13:20.1234567Z',
        AdditionalFields: {
          'otel_sentinel.mismatch': {
            Big: { value: '18446744073709551616', type: 'long', reason: 'out-of-range' },
          },
        },
      },
    ]);
    expect(sink.texts[3]).toContain('"value":"18446744073709551616"');
    expect(exporter.stats()).toMatchObject({
      rowsExported: 4,
      valuesMismatched: { 'Custom-Sec.UserId': { unparsable: 3 }, 'Custom-Sec.Big': { 'out-of-range': 1 } },
    });
    const ours = messages.filter((m) => m.includes('did not fit'));
    expect(ours).toEqual([
      '@otel-sentinel/exporter a value of column UserId (int) of stream Custom-Sec did not fit: unparsable; the column is empty and the value is kept in AdditionalFields["otel_sentinel.mismatch"].UserId',
      '@otel-sentinel/exporter a value of column Big (long) of stream Custom-Sec did not fit: out-of-range; the column is empty and the value is kept in AdditionalFields["otel_sentinel.mismatch"].Big',
    ]);
    expect(messages.join('\n')).not.toContain('@example.com');
    const points = [...(await metered.points())].filter(([k]) => k.startsWith('otel_sentinel.values.'));
    expect(Object.fromEntries(points)).toEqual({
      'otel_sentinel.values.mismatched{"stream":"Custom-Sec","column":"UserId","type":"int","reason":"unparsable","action":"kept"}': 3,
      'otel_sentinel.values.mismatched{"stream":"Custom-Sec","column":"Big","type":"long","reason":"out-of-range","action":"kept"}': 1,
    });
    await exporter.shutdown();
  });

  it('is rejected with its record and spooled with the reason under onMismatch: reject', async () => {
    ingestionSink();
    const dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-mismatch-'));
    const exporter = new SentinelLogExporter({
      mapping: {
        ...MAPPING,
        streams: [
          {
            stream: 'Custom-Sec',
            table: 'Sec_CL',
            columns: { UserId: { from: "attributes['user.id']", type: 'int', onMismatch: 'reject' } },
          },
        ],
      },
      credential: new StaticCredential(),
      startupCheck: false,
      spool: dir,
    });
    await exportAll(exporter, [rec({ 'user.id': 'alice@example.com' })]);
    await exporter.shutdown();
    expect(exporter.stats()).toMatchObject({
      recordsRejected: { E_COLUMN_MISMATCH: 1 },
      valuesMismatched: { 'Custom-Sec.UserId': { unparsable: 1 } },
    });
    const spool = await readSpool({ directory: dir });
    expect(spool.spool.map((e) => [e.reason, e.detail])).toEqual([['rejected', 'E_COLUMN_MISMATCH UserId']]);
  });
});
