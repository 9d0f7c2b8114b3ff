// The gateway's queue of operational OTLP bodies: appended, removed once forwarded upstream,
// and handed over after a take-over like the row queue. Inside a transaction the caller opened.

import type { StoreDatabase } from './store-database.ts';
import type { QueuedForward } from './store-types.ts';

export function appendForward(
  store: StoreDatabase,
  owner: number,
  body: Uint8Array,
  records: number,
): number {
  return Number(
    store
      .statement('INSERT INTO forward (owner, taken, queued, records, body) VALUES (?, 1, ?, ?, ?)')
      .run(owner, Date.now(), records, body).lastInsertRowid,
  );
}

export function removeForwards(store: StoreDatabase, owner: number, ids: readonly number[]): number {
  return Number(
    store
      .statement('DELETE FROM forward WHERE owner = ? AND id IN (SELECT value FROM json_each(?))')
      .run(owner, JSON.stringify(ids)).changes,
  );
}

/** Adopted bodies not handed over yet, oldest first, marked taken. */
export function takeAdoptedForwards(store: StoreDatabase, owner: number, limit: number): QueuedForward[] {
  return store
    .statement(
      'UPDATE forward SET taken = 1 WHERE id IN (SELECT id FROM forward WHERE owner = ? AND taken = 0 ORDER BY id LIMIT ?) ' +
        'RETURNING id, records, body',
    )
    .all(owner, limit)
    .map((r) => ({ id: Number(r['id']), records: Number(r['records']), body: r['body'] as Uint8Array }))
    .sort((a, b) => a.id - b.id);
}
