// The hooks a receiver (the gateway) builds on: mapping with the reason a record produced no row,
// all-or-nothing enqueueing of mapped rows against the free capacity, a credential check for
// readiness, and a count of authentication failures.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordLike, MappingInput } from '@otel-sentinel/mapping';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SentinelLogExporter } from '../src/sentinel-log-exporter.js';
import type { MappedRow } from '../src/sentinel-log-exporter.js';
import { SentinelLogRecordProcessor } from '../src/sentinel-log-record-processor.js';
import { readSpool } from '../src/store/read-spool.js';
import { DCR, ENDPOINT, ingestionSink } from './support/ingestion-sink.js';
import { FailingTokenCredential, namedError } from './support/nock-ingestion.js';
import { StaticCredential } from './support/static-credential.js';

const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [
    {
      stream: 'Custom-Auth',
      table: 'Auth_CL',
      match: { eventName: ['authn_*'] },
      columns: {
        EventName: { from: 'eventName', required: true },
        UserId: { from: "attributes['user.id']", required: true },
        Seq: { from: "attributes['seq']", type: 'int' },
      },
    },
  ],
};

function record(
  seq: number,
  attributes: Record<string, unknown> = {},
  eventName = 'authn_login_fail',
): LogRecordLike {
  return {
    hrTime: [1_700_000_000, 0],
    eventName,
    attributes: { 'security.event': true, 'user.id': `u${seq}`, seq, ...attributes },
  };
}

/** Reasons of the spool's entries, and `queued` for each row left in the write-ahead queue. */
async function spooledReasons(dir: string): Promise<string[]> {
  const contents = await readSpool({ directory: dir });
  return [...contents.spool.map((e) => e.reason), ...contents.queued.map(() => 'queued')];
}

/** Exports records and waits for the outcome. */
function exported(exporter: SentinelLogExporter, records: LogRecordLike[]): Promise<ExportResult> {
  return new Promise((resolve) => {
    exporter.export(records, resolve);
  });
}

/** Never answers. */
class SilentCredential implements TokenCredential {
  getToken(): Promise<AccessToken | null> {
    return new Promise(() => undefined);
  }
}

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('SentinelLogExporter.mapRecordWithReason', () => {
  it('returns the row of a mapped record and nothing for an operational one', () => {
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });
    const mapped = exporter.mapRecordWithReason(record(1));
    expect(mapped).toMatchObject({
      target: { stream: 'Custom-Auth' },
      row: { EventName: 'authn_login_fail', Seq: 1 },
    });
    expect(exporter.mapRecordWithReason({ hrTime: [0, 0], attributes: { seq: 2 } })).toBeUndefined();
  });

  it('says why a record was rejected or unrouted, and salvages it into the spool as mapRecord does', async () => {
    const spool = mkdtempSync(join(tmpdir(), 'otel-sentinel-hooks-'));
    const exporter = new SentinelLogExporter({ mapping: MAPPING, credential: new StaticCredential(), spool });
    const rejected = exporter.mapRecordWithReason(record(1, { 'user.id': undefined }));
    const unrouted = exporter.mapRecordWithReason(record(2, {}, 'input_validation_fail'));
    expect(rejected).toEqual({
      status: 'rejected',
      reason: expect.objectContaining({
        code: 'E_REQUIRED_MISSING',
        column: 'UserId',
        stream: 'Custom-Auth',
      }),
    });
    expect(unrouted).toEqual({ status: 'unrouted', reason: expect.objectContaining({ code: 'E_UNROUTED' }) });
    await exporter.forceFlush();
    expect((await spooledReasons(spool)).sort()).toEqual(['rejected', 'unrouted']);
    expect(exporter.stats().recordsRejected).toEqual({ E_REQUIRED_MISSING: 1, E_UNROUTED: 1 });
    await exporter.shutdown();
  });
});

describe('the delivery pipeline, exporter.pipeline', () => {
  function mapped(exporter: SentinelLogExporter, count: number, from = 0): MappedRow[] {
    const rows: MappedRow[] = [];
    for (let i = from; i < from + count; i++) {
      const m = exporter.mapRecord(record(i));
      if (m) rows.push(m);
    }
    return rows;
  }

  it('takes rows that fit and delivers them like emitted records', async () => {
    const sink = ingestionSink();
    const processor = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
      maxQueueSize: 10,
    });
    const pipeline = processor.exporter.pipeline;
    expect(pipeline.capacity).toBe(10);
    expect(pipeline.submit(mapped(processor.exporter, 4))).toBeDefined();
    expect(pipeline.freeCapacity).toBe(6);
    await processor.forceFlush();
    expect(sink.all().map((r) => r.Seq)).toEqual([0, 1, 2, 3]);
    expect(pipeline.freeCapacity).toBe(10);
    await processor.shutdown();
  });

  it('takes nothing when the rows do not all fit', async () => {
    const sink = ingestionSink();
    const credential = new StaticCredential();
    credential.hold(); // Sentinel stalled: nothing leaves the queue
    const processor = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential,
      spool: false,
      maxQueueSize: 10,
      scheduledDelayMillis: 60_000,
    });
    const pipeline = processor.exporter.pipeline;
    expect(pipeline.submit(mapped(processor.exporter, 7))).toBeDefined();
    expect(pipeline.submit(mapped(processor.exporter, 4, 100))).toBeUndefined();
    expect(processor.queued).toBe(7);
    expect(pipeline.freeCapacity).toBe(3);
    expect(pipeline.submit(mapped(processor.exporter, 3, 200))).toBeDefined();
    expect(pipeline.freeCapacity).toBe(0);
    expect(pipeline.submit([])).toBeDefined();
    credential.release();
    await processor.forceFlush();
    expect(sink.all().map((r) => r.Seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 200, 201, 202]);
    await processor.shutdown();
  });

  it('takes nothing after shutdown', async () => {
    const processor = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });
    const rows = mapped(processor.exporter, 1);
    await processor.shutdown();
    expect(processor.exporter.pipeline.freeCapacity).toBe(0);
    expect(processor.exporter.pipeline.submit(rows)).toBeUndefined();
  });
});

describe('SentinelLogExporter.checkCredential', () => {
  it('gets a token for the Logs Ingestion scope of the audience', async () => {
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      audience: 'https://monitor.azure.us/',
      spool: false,
    });
    await expect(exporter.checkCredential()).resolves.toMatchObject({
      ok: true,
      scope: 'https://monitor.azure.us/.default',
    });
  });

  it('reports a failing credential by error name and code, without its message', async () => {
    const secret = 'super-secret-client-value';
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new FailingTokenCredential(() =>
        namedError('AuthenticationError', `AADSTS7000215: Invalid client secret provided: ${secret}`),
      ),
      spool: false,
    });
    const check = await exporter.checkCredential();
    expect(check).toEqual({
      ok: false,
      scope: 'https://monitor.azure.com/.default',
      reason: 'AuthenticationError AADSTS7000215',
    });
    expect(JSON.stringify(check)).not.toContain(secret);
  });

  it('gives up on a credential that never answers', async () => {
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new SilentCredential(),
      spool: false,
    });
    await expect(exporter.checkCredential({ timeoutMs: 20 })).resolves.toMatchObject({
      ok: false,
      reason: 'no token within 20 ms',
    });
    const stop = new AbortController();
    const check = exporter.checkCredential({ abortSignal: stop.signal });
    stop.abort();
    await expect(check).resolves.toMatchObject({ ok: false, reason: 'aborted' });
  });
});

describe('authentication failures', () => {
  it('are counted in stats when uploads cannot get a token or get a 401', async () => {
    nock(ENDPOINT)
      .persist()
      .post(/.*/)
      .reply(401, { error: { code: 'InvalidAuthenticationToken', message: 'no' } });
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });
    await exported(exporter, [record(1)]);
    expect(exporter.stats().authFailures).toBe(1);

    const failing = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new FailingTokenCredential(() =>
        namedError('AuthenticationError', 'AADSTS7000215: bad secret'),
      ),
      spool: false,
    });
    await exported(failing, [record(1)]);
    expect(failing.stats().authFailures).toBe(1);
    await Promise.all([exporter.shutdown(), failing.shutdown()]);
  });

  it('are not counted for a 403 (the token was good; its identity lacks the role)', async () => {
    nock(ENDPOINT)
      .persist()
      .post(/.*/)
      .reply(403, { error: { code: 'OperationFailed', message: 'no access' } });
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });
    await exported(exporter, [record(1)]);
    expect(exporter.stats()).toMatchObject({ authFailures: 0, rowsUndelivered: { permanent: 1 } });
    await exporter.shutdown();
  });
});

describe('SentinelLogRecordProcessor.shutdown with a delivery stuck on its token', () => {
  /** Answers only when aborted (with an AbortError), like a token endpoint that never replies. */
  class StuckCredential implements TokenCredential {
    getToken(
      _scopes: string | string[],
      options?: { abortSignal?: AbortSignal },
    ): Promise<AccessToken | null> {
      return new Promise((_resolve, reject) => {
        options?.abortSignal?.addEventListener('abort', () => {
          reject(namedError('AbortError', 'aborted'));
        });
      });
    }
  }

  it('ends within exportTimeoutMillis, leaving the rows it held and the rows under way in the queue', async () => {
    const spool = mkdtempSync(join(tmpdir(), 'otel-sentinel-hooks-'));
    const processor = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: new StuckCredential(),
      spool,
      maxBatchRecords: 2,
      maxConcurrentBatches: 1,
      exportTimeoutMillis: 100,
      // Without the shutdown, the stuck request would hold the flush for this long.
      requestTimeoutMs: 600_000,
    });
    const rows: MappedRow[] = [];
    for (let i = 0; i < 5; i++) {
      const m = processor.exporter.mapRecord(record(i));
      if (m) rows.push(m);
    }
    expect(processor.exporter.pipeline.submit(rows)).toBeDefined();
    await processor.shutdown();
    // In the write-ahead queue, for the next start (or replay), as the stop left them.
    expect(await spooledReasons(spool)).toEqual(Array<string>(5).fill('queued'));
    expect(processor.exporter.stats()).toMatchObject({
      rowsExported: 0,
      rowsSpooled: 5,
      rowsUndelivered: { shutdown: 5 },
    });
  });
});
