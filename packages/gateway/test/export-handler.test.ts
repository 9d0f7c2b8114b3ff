// The request handler called directly: it splits records, takes a request whole or not at all
// (nothing mapped, counted or salvaged for a refused one), forwards a protobuf request of
// operational records as it came, and explains rejections in partialSuccess.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSpool, SentinelLogExporter } from '@otel-sentinel/exporter';
import type { MappedRow, Submission } from '@otel-sentinel/exporter';
import { describe, expect, it } from 'vitest';
import { ExportHandler } from '../src/export-handler.js';
import type { OperationalQueue, SecurityQueue } from '../src/export-handler.js';
import { GatewayCounters } from '../src/gateway-counters.js';
import { LogLimiter } from '../src/log-limiter.js';
import { RejectionSummary } from '../src/rejection-summary.js';
import { decodeLogsRequest } from '../src/otlp/index.js';
import { jsonBody, operationalRecord, protobufBody, securityRecord } from './support/otlp-bodies.js';
import type { TestRecord } from './support/otlp-bodies.js';
import { HASH_KEY, MAPPING } from './support/stack.js';

class FakeSecurityQueue implements SecurityQueue {
  readonly rows: MappedRow[] = [];
  readonly persistent = false;
  constructor(readonly capacity: number) {}
  get freeCapacity(): number {
    return this.capacity - this.rows.length;
  }
  submit(rows: readonly MappedRow[]): Submission | undefined {
    if (rows.length > this.freeCapacity) return undefined;
    this.rows.push(...rows);
    return {
      persisted: Promise.resolve(false),
      settled: Promise.resolve({ delivered: 0, spooled: 0, lost: 0 }),
    };
  }
}

class FakeOperationalQueue implements OperationalQueue {
  readonly bodies: Uint8Array[] = [];
  queuedBytes = 0;
  constructor(readonly maxBytes: number) {}
  enqueue(body: Uint8Array): false | Promise<void> {
    if (this.queuedBytes + body.byteLength > this.maxBytes) return false;
    this.bodies.push(body);
    this.queuedBytes += body.byteLength;
    return Promise.resolve();
  }
}

function setup(capacity = 100, maxBytes = 1 << 20, upstream = true) {
  const spool = mkdtempSync(join(tmpdir(), 'otel-sentinel-handler-'));
  const exporter = new SentinelLogExporter({
    mapping: MAPPING,
    env: { OTEL_SENTINEL_HASH_KEY: HASH_KEY },
    credential: { getToken: () => Promise.resolve(null) },
    spool,
  });
  const security = new FakeSecurityQueue(capacity);
  const operational = upstream ? new FakeOperationalQueue(maxBytes) : undefined;
  const counters = new GatewayCounters();
  const handler = new ExportHandler({
    exporter,
    security,
    upstream: operational,
    counters,
    retryAfterSeconds: 3,
    log: new LogLimiter(() => undefined),
  });
  return { handler, exporter, security, operational, counters, spool };
}

function withoutUser(seq: number): TestRecord {
  const r = securityRecord(seq);
  return {
    ...r,
    attributes: Object.fromEntries(Object.entries(r.attributes).filter(([k]) => k !== 'user.id')),
  };
}

describe('ExportHandler', () => {
  it('queues mapped security rows and re-encodes only the operational records for the upstream', async () => {
    const { handler, security, operational, counters } = setup();
    const answer = await handler.handle(
      jsonBody([securityRecord(1), operationalRecord(2), securityRecord(3, 'input_x'), operationalRecord(4)]),
      'json',
    );
    expect(answer.status).toBe(200);
    expect(security.rows.map((m) => m.row.Seq)).toEqual([1, 3]);
    expect(operational?.bodies).toHaveLength(1);
    const forwarded = decodeLogsRequest(operational?.bodies[0] ?? new Uint8Array(), 'protobuf').records;
    expect(forwarded.map((r) => r.attributes.seq)).toEqual([2, 4]);
    expect(counters).toMatchObject({ received: 4, security: 2, operational: 2 });
    // The operational records only, as AppTraces rows: 215 + 'operational N' (13) + seq:N (3 + 6 + 1).
    expect(counters.operationalBytes).toBe(2 * 238);
  });

  it('forwards a protobuf request of operational records only as it came', async () => {
    const { handler, operational } = setup();
    const body = protobufBody([operationalRecord(1), operationalRecord(2)]);
    expect((await handler.handle(body, 'protobuf')).status).toBe(200);
    expect(operational?.bodies[0]).toBe(body);
  });

  it('refuses a request whose security records do not fit, mapping, counting and salvaging none of it', async () => {
    const { handler, exporter, security, operational, counters, spool } = setup(6);
    const held: MappedRow = {
      target: { endpoint: '', dcrImmutableId: '', stream: '', table: '' },
      row: {},
      bytes: 2,
    };
    security.rows.push(held, held, held); // 3 free: the request's 4 security records do not fit
    const answer = await handler.handle(
      protobufBody([
        securityRecord(1),
        withoutUser(2),
        securityRecord(3, 'unrouted_x'),
        securityRecord(4),
        operationalRecord(5),
      ]),
      'protobuf',
    );
    expect(answer).toMatchObject({ status: 503, retryAfterSeconds: 3 });
    expect(security.rows).toHaveLength(3);
    expect(operational?.bodies).toEqual([]);
    expect(exporter.stats()).toMatchObject({ recordsSeen: 0, recordsMapped: 0, recordsRejected: {} });
    expect(exporter.mapping.stats().records).toBe(0);
    await exporter.forceFlush();
    expect(await readSpool({ directory: spool })).toEqual({ spool: [], queued: [] });
    expect(counters).toMatchObject({ received: 5, security: 0, operational: 0, refused: 5 });
  });

  it('refuses a request whose operational records do not fit the upstream queue, taking none of its security records', async () => {
    const { handler, security, operational } = setup(100, 10);
    const answer = await handler.handle(protobufBody([securityRecord(1), operationalRecord(2)]), 'protobuf');
    expect(answer.status).toBe(413);
    expect(security.rows).toEqual([]);
    if (operational) operational.queuedBytes = 0;
    const big = setup(100, 400);
    if (big.operational) big.operational.queuedBytes = 350;
    expect(
      (await big.handler.handle(protobufBody([securityRecord(1), operationalRecord(2)]), 'protobuf')).status,
    ).toBe(503);
    expect(big.security.rows).toEqual([]);
  });

  it('counts operational records as dropped when there is no upstream', async () => {
    const { handler, counters } = setup(100, 0, false);
    expect(
      (await handler.handle(protobufBody([operationalRecord(1), securityRecord(2)]), 'protobuf')).status,
    ).toBe(200);
    expect([...counters.upstreamDropped]).toEqual([['no-upstream', 1]]);
  });

  it('salvages rejected records into the spool, as the exporter does, and reports them', async () => {
    const { handler, exporter, spool } = setup();
    const answer = await handler.handle(
      jsonBody([withoutUser(1), securityRecord(2, 'other_event'), securityRecord(3)]),
      'json',
    );
    expect(JSON.parse(Buffer.from(answer.body).toString('utf8'))).toEqual({
      partialSuccess: {
        rejectedLogRecords: '2',
        errorMessage:
          'rejected 2 of 3 log records: 1 required column UserId missing (stream Custom-GatewayAuth), 1 unrouted',
      },
    });
    await exporter.forceFlush();
    expect((await readSpool({ directory: spool })).spool.map((e) => e.reason).sort()).toEqual([
      'rejected',
      'unrouted',
    ]);
    expect(exporter.stats().rowsUndelivered).toEqual({ rejected: 1, unrouted: 1 });
  });

  it('answers an empty request with success', async () => {
    const { handler } = setup();
    expect(await handler.handle(new Uint8Array(0), 'protobuf')).toMatchObject({ status: 200 });
    expect(Buffer.from((await handler.handle(Buffer.from('{}'), 'json')).body).toString()).toBe('{}');
  });
});

describe('RejectionSummary', () => {
  it('lists causes most frequent first, with column and stream', () => {
    const s = new RejectionSummary();
    s.add({ code: 'E_UNROUTED', message: '' });
    s.add({ code: 'E_REQUIRED_MISSING', message: '', column: 'EventName', stream: 'Custom-X' });
    s.add({ code: 'E_REQUIRED_MISSING', message: '', column: 'EventName', stream: 'Custom-X' });
    s.add({ code: 'E_ROW_TOO_LARGE', message: '', stream: 'Custom-Y' });
    s.add({ code: 'E_REQUIRED_INVALID', message: '', column: 'Port', stream: 'Custom-Y' });
    expect(s.message(512)).toBe(
      'rejected 5 of 512 log records: 2 required column EventName missing (stream Custom-X), 1 unrouted, ' +
        '1 row over the size limit (stream Custom-Y), 1 required column Port invalid (stream Custom-Y)',
    );
    expect([s.rejected, s.unrouted]).toEqual([5, 1]);
  });
});
