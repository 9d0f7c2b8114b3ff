// The gateway's queue of operational OTLP bodies: kept until forwarded, taken over only by
// another gateway (no other role can send them), even when another owner took the rows first.
import { describe, expect, it } from 'vitest';
import { openStore, rowsOf, storeFor, TARGET, tempDir } from '../support/store-fixtures.ts';

const BODY = new Uint8Array([0x0a, 0x02, 0x08, 0x01, 0xff]);

describe('operational bodies', () => {
  it('keeps a body until it is removed, and hands an ended gateway’s bodies to the next gateway', async () => {
    const directory = tempDir();
    const first = await openStore({ directory, role: 'gateway' });
    const kept = await first.enqueueForward(BODY, 3);
    const gone = await first.enqueueForward(new Uint8Array([1]), 1);
    if (!kept.ok || !gone.ok) throw new Error('not stored');
    await first.removeForward(gone.ids);
    await first.close(); // not ended: as if it had died

    const next = storeFor({ directory, role: 'gateway' });
    expect(await next.open()).toMatchObject({ forwards: 1, owners: [{ forwards: 1 }] });
    const taken = await next.takeAdoptedForwards(10);
    expect(taken).toEqual([{ id: kept.ids[0], body: BODY, records: 3 }]);
    expect(await next.takeAdoptedForwards(10)).toEqual([]);
  });

  it('are left for a gateway when an exporter takes over the rows of an ended gateway', async () => {
    const directory = tempDir();
    const gateway = await openStore({ directory, role: 'gateway' });
    await gateway.enqueueForward(BODY, 2);
    await gateway.enqueue(TARGET, rowsOf(2));
    await gateway.close();

    const exporter = storeFor({ directory, role: 'exporter' });
    expect(await exporter.open()).toMatchObject({ rows: 2, forwards: 0 });

    const later = storeFor({ directory, role: 'gateway' });
    expect(await later.open()).toMatchObject({ forwards: 1 });
    expect((await later.takeAdoptedForwards(10)).map((f) => f.records)).toEqual([2]);
  });

  it('are picked up by a running gateway’s periodic check when their owner is gone', async () => {
    const directory = tempDir();
    const running = storeFor({ directory, role: 'gateway', adoptionCheckMs: 50 });
    await running.open();
    const reports: number[] = [];
    running.onAdopted((r) => reports.push(r.forwards));
    const dying = await openStore({ directory, role: 'gateway' });
    await dying.enqueueForward(BODY, 5);
    await dying.close();

    await expect.poll(() => reports, { timeout: 5000 }).toEqual([1]);
    expect(await running.takeAdoptedForwards(10)).toHaveLength(1);
  });
});
