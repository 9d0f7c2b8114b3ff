// The processors inside a real LoggerProvider: security records go to Sentinel only, everything
// else to the operational processor only; a flood of operational records changes nothing for
// security records; a full queue spools exactly the overflow.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  BatchLogRecordProcessor,
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import type { MappingInput } from '@otel-sentinel/mapping';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SentinelLogExporter } from '../src/sentinel-log-exporter.js';
import { SentinelLogRecordProcessor } from '../src/sentinel-log-record-processor.js';
import { readSpool } from '../src/store/read-spool.js';
import { withoutSecurityEvents } from '../src/without-security-events.js';
import { DCR, ENDPOINT, ingestionSink } from './support/ingestion-sink.js';
import { StaticCredential } from './support/static-credential.js';

/** Waits for work under way, however busy the machine (a hang guard, not a speed check). */
const WAIT = { timeout: 60_000 };

const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [
    {
      stream: 'Custom-AppSecurityEvents',
      table: 'AppSecurityEvents_CL',
      columns: {
        EventName: { from: 'eventName', required: true },
        UserId: "attributes['user.id']",
        Seq: { from: "attributes['seq']", type: 'int' },
      },
    },
  ],
};

function spoolDir(): string {
  return mkdtempSync(join(tmpdir(), 'otel-sentinel-spool-test-'));
}

async function spooled(dir: string): Promise<{ reason: string; row: Record<string, unknown> }[]> {
  return (await readSpool({ directory: dir })).spool;
}

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('SentinelLogRecordProcessor in a LoggerProvider', () => {
  it('sends security records to Sentinel only, and everything else to the operational processor only', async () => {
    const sink = ingestionSink();
    const operational = new InMemoryLogRecordExporter();
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });
    const provider = new LoggerProvider({
      processors: [sentinel, withoutSecurityEvents(new SimpleLogRecordProcessor({ exporter: operational }))],
    });
    const logger = provider.getLogger('test');
    logger.emit({
      eventName: 'authn_login_fail',
      attributes: { 'security.event': true, 'user.id': 'joe', seq: 1 },
    });
    logger.emit({ body: 'cache warmed', severityNumber: SeverityNumber.DEBUG, attributes: { seq: 2 } });
    logger.emit({
      eventName: 'authz_fail',
      attributes: { 'security.event': 'true', 'user.id': 'ann', seq: 3 },
    });
    logger.emit({ body: 'flag false', attributes: { 'security.event': false, seq: 4 } });
    await provider.forceFlush();

    expect(sink.all().map((r) => r.Seq)).toEqual([1, 3]);
    expect(operational.getFinishedLogRecords().map((r) => r.attributes.seq)).toEqual([2, 4]);
    expect(sentinel.exporter.stats()).toMatchObject({
      recordsSeen: 4,
      recordsFiltered: 2,
      // Only the filtered records, as AppTraces rows (215 bytes of fixed columns each):
      // 'cache warmed' (12) + seq:2 (3 + 6 + 1) = 237, and
      // 'flag false' (10) + security.event:false (14 + 6 + 5) + seq:4 (3 + 6 + 1) = 260.
      bytesFiltered: 237 + 260,
      recordsMapped: 2,
      rowsExported: 2,
    });
    await provider.shutdown();
  });

  it('counts operational records in stats() once flushed, with no security record to drain them', async () => {
    ingestionSink();
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });
    const provider = new LoggerProvider({ processors: [sentinel] });
    const logger = provider.getLogger('ops');
    logger.emit({ body: 'tick', attributes: {} });
    logger.emit({ body: 'tock', attributes: {} });
    await sentinel.forceFlush();
    // 215 + 'tick' (4), 215 + 'tock' (4)
    expect(sentinel.exporter.stats()).toMatchObject({
      recordsSeen: 2,
      recordsFiltered: 2,
      bytesFiltered: 438,
    });
    await provider.shutdown();
  });

  it('delivers every security record through a flood of a million operational records', async () => {
    const sink = ingestionSink();
    const dir = spoolDir();
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: dir,
      maxQueueSize: 1000,
    });
    const dropped = new InMemoryLogRecordExporter();
    const operational = new BatchLogRecordProcessor({
      exporter: dropped,
      maxQueueSize: 2048,
      scheduledDelayMillis: 60_000,
    });
    const provider = new LoggerProvider({ processors: [sentinel, withoutSecurityEvents(operational)] });
    const logger = provider.getLogger('flood');
    let security = 0;
    for (let i = 0; i < 1_000_000; i++) {
      if (i % 10_000 === 0) {
        logger.emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true, seq: i } });
        security++;
      } else {
        logger.emit({ body: 'debug', attributes: { seq: i } });
      }
    }
    await provider.forceFlush();
    expect(sink.all()).toHaveLength(security);
    expect(await spooled(dir)).toEqual([]);
    expect(sentinel.exporter.stats()).toMatchObject({
      recordsSeen: 1_000_000,
      recordsFiltered: 1_000_000 - security,
    });
    await provider.shutdown();
  });

  it('spools exactly the overflow of a full queue while the sink is stalled', async () => {
    const sink = ingestionSink();
    const dir = spoolDir();
    const credential = new StaticCredential();
    credential.hold();
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential,
      spool: dir,
      maxQueueSize: 10,
      maxSpoolBacklog: 15,
    });
    const provider = new LoggerProvider({ processors: [sentinel] });
    const logger = provider.getLogger('overflow');
    for (let i = 0; i < 25; i++)
      logger.emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true, seq: i } });
    await vi.waitFor(() => {
      expect(sentinel.exporter.stats().rowsSpooled).toBe(15); // the overflow's spool writes
    }, WAIT);
    const overflow = await spooled(dir);
    expect(overflow.map((e) => e.reason)).toEqual(Array<string>(15).fill('queue-full'));
    expect(overflow.map((e) => e.row.Seq)).toEqual([...Array(15).keys()].map((i) => i + 10));
    credential.release();
    await provider.forceFlush();
    expect(sink.all().map((r) => r.Seq)).toEqual([...Array(10).keys()]);
    await provider.shutdown();
  });

  it('counts what neither the queue nor the spool backlog can take as lost, and reports it', async () => {
    ingestionSink();
    const dir = spoolDir();
    const credential = new StaticCredential();
    credential.hold();
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential,
      spool: dir,
      maxQueueSize: 10,
      maxSpoolBacklog: 5,
    });
    const provider = new LoggerProvider({ processors: [sentinel] });
    const logger = provider.getLogger('lost');
    for (let i = 0; i < 25; i++)
      logger.emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true, seq: i } });
    await vi.waitFor(() => {
      expect(sentinel.exporter.stats().rowsSpooled).toBe(5);
    }, WAIT);
    expect(await spooled(dir)).toHaveLength(5);
    expect(sentinel.exporter.stats()).toMatchObject({
      rowsSpooled: 5,
      rowsUndelivered: { 'queue-full': 15 },
      rowsSpoolRefused: 10,
    });
    credential.release();
    await provider.shutdown();
  });

  it('ignores non-security records even when handed them directly, as a LogRecordExporter', async () => {
    const sink = ingestionSink();
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const logger = provider.getLogger('direct');
    logger.emit({ eventName: 'authn_login_success', attributes: { 'security.event': true, seq: 1 } });
    logger.emit({ body: 'operational', attributes: { seq: 2 } });
    await provider.forceFlush();
    await exporter.forceFlush();
    expect(sink.all().map((r) => r.Seq)).toEqual([1]);
    await provider.shutdown();
  });

  it('spools records the mapping rejects, redacted, with the reason', async () => {
    ingestionSink();
    const dir = spoolDir();
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: dir,
    });
    const provider = new LoggerProvider({ processors: [sentinel] });
    provider
      .getLogger('x')
      .emit({ body: 'no event name; password=hunter2', attributes: { 'security.event': true } });
    await provider.forceFlush();
    const entries = await spooled(dir);
    expect(entries.map((e) => e.reason)).toEqual(['rejected']);
    expect(JSON.stringify(entries)).not.toContain('hunter2');
    expect(sentinel.exporter.stats().recordsRejected).toEqual({ E_REQUIRED_MISSING: 1 });
    await provider.shutdown();
  });

  it('shuts down once, however often it is asked', async () => {
    ingestionSink();
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });
    const a = sentinel.shutdown();
    const b = sentinel.shutdown();
    expect(a).toBe(b);
    await a;
    expect(sentinel.exporter.isShutdown).toBe(true);
  });
});
