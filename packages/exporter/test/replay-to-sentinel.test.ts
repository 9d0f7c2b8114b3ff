// Replaying a spool through the real delivery pipeline: delivered rows leave, failed ones stay.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replayToSentinel } from '../src/replay-to-sentinel.js';
import type { StreamTarget } from '../src/row-batch.js';
import { readSpool } from '../src/store/read-spool.ts';
import { SqliteDeliveryStore } from '../src/store/sqlite-delivery-store.ts';
import { DCR, ENDPOINT, ingestionSink } from './support/ingestion-sink.js';
import { StaticCredential } from './support/static-credential.js';

const TARGET: StreamTarget = {
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  stream: 'Custom-Sec',
  table: 'Sec_CL',
};

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

async function spoolWith(rows: Record<string, unknown>[], reason: 'shutdown' | 'rejected'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-replay-'));
  const store = new SqliteDeliveryStore({ directory: dir });
  await store.open();
  await store.spool(TARGET, rows, reason, 'test');
  await store.close({ ended: true });
  return dir;
}

describe('replayToSentinel', () => {
  it('sends spooled rows and empties the spool', async () => {
    const sink = ingestionSink();
    const dir = await spoolWith([{ N: 1 }, { N: 2 }], 'shutdown');
    const result = await replayToSentinel({ directory: dir, credential: new StaticCredential() });
    expect(result).toMatchObject({ entries: 2, delivered: 2, failed: 0 });
    expect(sink.all()).toEqual([{ N: 1 }, { N: 2 }]);
    const again = await replayToSentinel({ directory: dir, credential: new StaticCredential() });
    expect(again.entries).toBe(0);
  });

  it('keeps rows the service refuses, and rows the mapping rejected', async () => {
    ingestionSink(403);
    const dir = await spoolWith([{ N: 1 }], 'shutdown');
    const refused = await replayToSentinel({ directory: dir, credential: new StaticCredential() });
    expect(refused).toMatchObject({ entries: 1, delivered: 0, failed: 1 });
    expect((await readSpool({ directory: dir })).spool.map((e) => e.row)).toEqual([{ N: 1 }]);
    const rejected = await spoolWith([{ N: 2 }], 'rejected');
    expect(await replayToSentinel({ directory: rejected, credential: new StaticCredential() })).toMatchObject(
      { held: 1, delivered: 0 },
    );
  });
});
