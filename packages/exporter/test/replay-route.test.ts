// Replay with `from` and `to`: spooled rows go to a fixed deployment, only the entries selected,
// never rows of two streams into one, and each leaves the store only once delivered.
import type { Row } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import type { StreamTarget } from '../src/row-batch.ts';
import { replaySpool } from '../src/spool/replay.ts';
import type { ReplayOptions } from '../src/spool/replay.ts';
import { ReplayRouteError } from '../src/spool/replay-route.ts';
import { ConfigError } from '@otel-sentinel/mapping';
import { readSpool } from '../src/store/read-spool.ts';
import { SqliteDeliveryStore } from '../src/store/sqlite-delivery-store.ts';
import { tempDir } from './support/store-fixtures.ts';

const ENDPOINT = 'https://dce-1.westeurope-1.ingest.monitor.azure.com';
const WRONG_DCR = 'dcr-ffffffffffffffffffffffffffffffff';
const DCR = 'dcr-0123456789abcdef0123456789abcdef';

function target(stream: string, dcrImmutableId = WRONG_DCR): StreamTarget {
  return { endpoint: ENDPOINT, dcrImmutableId, stream, table: 'Sec_CL' };
}

interface Call {
  readonly target: StreamTarget;
  readonly ids: number[];
}

/** A deliver that records where each group went and refuses the groups `refuse` picks. */
function recorder(refuse: (t: StreamTarget) => boolean = () => false): {
  deliver: ReplayOptions['deliver'];
  calls: Call[];
} {
  const calls: Call[] = [];
  return {
    calls,
    deliver: (t, rows) => {
      calls.push({ target: t, ids: rows.map((r) => r['Id'] as number) });
      return Promise.resolve(refuse(t) ? rows : ([] as Row[]));
    },
  };
}

async function spoolRows(
  directory: string,
  groups: readonly (readonly [StreamTarget, readonly number[], string])[],
): Promise<void> {
  const store = new SqliteDeliveryStore({ directory });
  await store.open();
  for (const [t, ids, detail] of groups)
    await store.spool(
      t,
      ids.map((Id) => ({ Id })),
      'permanent',
      detail,
    );
  await store.close({ ended: true });
}

async function left(directory: string): Promise<{ stream: string; dcr: string; id: unknown }[]> {
  return (await readSpool({ directory })).spool.map((e) => ({
    stream: e.stream,
    dcr: e.dcrImmutableId,
    id: e.row['Id'],
  }));
}

describe('replaySpool with from and to', () => {
  it('sends rows spooled for a wrong DCR to the one given, and empties the spool', async () => {
    const dir = tempDir();
    await spoolRows(dir, [[target('Custom-Sec'), [1, 2, 3], 'HTTP 404 NotFound']]);
    const { deliver, calls } = recorder();

    const result = await replaySpool({ directory: dir, deliver, to: { dcrImmutableId: DCR } });

    expect(calls).toEqual([{ target: target('Custom-Sec', DCR), ids: [1, 2, 3] }]);
    expect(result).toMatchObject({
      entries: 3,
      delivered: 3,
      skipped: 0,
      spooledBecause: [
        { target: target('Custom-Sec'), reason: 'permanent', detail: 'HTTP 404 NotFound', entries: 3 },
      ],
      redirected: [{ from: target('Custom-Sec'), to: target('Custom-Sec', DCR), entries: 3 }],
      perStream: { [`${DCR}/Custom-Sec`]: { entries: 3, delivered: 3, failed: 0 } },
    });
    expect(await left(dir)).toEqual([]);
  });

  it('keeps a redirected row that the new place refuses too, with its original target', async () => {
    const dir = tempDir();
    await spoolRows(dir, [[target('Custom-Sec'), [1], 'HTTP 404 NotFound']]);
    const { deliver } = recorder(() => true);

    const result = await replaySpool({ directory: dir, deliver, to: { stream: 'Custom-Other' } });

    expect(result).toMatchObject({ delivered: 0, failed: 1 });
    expect(await left(dir)).toEqual([{ stream: 'Custom-Sec', dcr: WRONG_DCR, id: 1 }]);
  });

  it('refuses to send rows of two streams to one stream, before sending anything', async () => {
    const dir = tempDir();
    await spoolRows(dir, [
      [target('Custom-A'), [1, 2], 'HTTP 400 InvalidStream'],
      [target('Custom-B'), [3], 'HTTP 400 InvalidStream'],
    ]);
    const { deliver, calls } = recorder();

    const refused = replaySpool({ directory: dir, deliver, to: { stream: 'Custom-Sec' } });

    await expect(refused).rejects.toThrow(ReplayRouteError);
    await expect(refused).rejects.toMatchObject({
      code: 'E_REPLAY_ROUTE',
      field: 'stream',
      values: [
        { value: 'Custom-A', entries: 2 },
        { value: 'Custom-B', entries: 1 },
      ],
    });
    expect(calls).toEqual([]);
    expect(await left(dir)).toHaveLength(3);
  });

  it('sends only the stream from selects, and leaves the others as they were', async () => {
    const dir = tempDir();
    await spoolRows(dir, [
      [target('Custom-A'), [1, 2], 'HTTP 400 InvalidStream'],
      [target('Custom-B'), [3], 'HTTP 400 InvalidStream'],
      [target('Custom-A'), [4], 'HTTP 400 InvalidStream'],
    ]);
    const { deliver, calls } = recorder();

    const result = await replaySpool({
      directory: dir,
      deliver,
      from: { stream: 'Custom-A' },
      to: { stream: 'Custom-Sec', dcrImmutableId: DCR },
    });

    expect(calls.flatMap((c) => c.ids)).toEqual([1, 2, 4]);
    expect(new Set(calls.map((c) => `${c.target.dcrImmutableId}/${c.target.stream}`))).toEqual(
      new Set([`${DCR}/Custom-Sec`]),
    );
    expect(result).toMatchObject({ entries: 4, delivered: 3, skipped: 1, failed: 0, unsent: 0 });
    expect(await left(dir)).toEqual([{ stream: 'Custom-B', dcr: WRONG_DCR, id: 3 }]);
  });

  it('counts in a dry run what would go where, and changes nothing', async () => {
    const dir = tempDir();
    await spoolRows(dir, [
      [target('Custom-A'), [1, 2], 'HTTP 404 NotFound'],
      [target('Custom-B'), [3], 'HTTP 404 NotFound'],
    ]);
    const before = await readSpool({ directory: dir });
    const { deliver, calls } = recorder();

    const result = await replaySpool({
      directory: dir,
      deliver,
      dryRun: true,
      from: { stream: 'Custom-B' },
      to: { dcrImmutableId: DCR },
    });

    expect(calls).toEqual([]);
    expect(result).toMatchObject({
      entries: 3,
      unsent: 1,
      skipped: 2,
      delivered: 0,
      spooledBecause: [{ target: target('Custom-B'), detail: 'HTTP 404 NotFound', entries: 1 }],
      redirected: [{ from: target('Custom-B'), to: target('Custom-B', DCR), entries: 1 }],
    });
    expect(await readSpool({ directory: dir })).toEqual(before);
  });

  it('refuses a redirect to an endpoint that is not https, naming the field', async () => {
    const { deliver } = recorder();
    await expect(
      replaySpool({ directory: tempDir(), deliver, to: { endpoint: 'http://dce.example' } }),
    ).rejects.toThrow(expect.objectContaining({ code: 'E_SPOOL_CONFIG', option: 'to.endpoint' }) as Error);
    await expect(
      replaySpool({ directory: tempDir(), deliver, to: { endpoint: 'http://dce.example' } }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
