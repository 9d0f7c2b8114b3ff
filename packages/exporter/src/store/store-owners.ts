// Owners of the store and taking over what ended ones left. Each open store has a row in
// `owners` with a heartbeat, and an integer key its segments, claims and bodies carry; when an
// owner is found ended (see `isEnded`), its queue segments become the adopter's in one
// transaction (rows already settled in them stay settled), and what a replay had claimed from the
// spool goes back to the spool unchanged, so the next replay sends it in its original order.

import type { DatabaseSync } from 'node:sqlite';
import type { StoreDatabase } from './store-database.ts';
import { isEnded } from './owner-identity.ts';
import type { LivenessView, OwnerIdentity, OwnerRecord } from './owner-identity.ts';
import type { AdoptionReport, EndedOwner, OwnerRole, StoreDurability } from './store-types.ts';

export interface OwnerRegistration {
  readonly identity: OwnerIdentity;
  readonly role: OwnerRole;
  readonly durability: StoreDurability;
}

export interface OwnerRow extends OwnerRecord {
  /** The integer key the owner's segments, claims and bodies carry. */
  readonly key: number;
  readonly role: OwnerRole;
  readonly durability: StoreDurability;
  readonly heldInMemory: number;
}

const QUIET = { durable: false, intake: false } as const;

/**
 * Adds (or re-adds) this owner's row; inside the caller's transaction. Returns the owner's key:
 * `key` when given (a row taken away by another owner comes back under the key its segments
 * carry), a new one otherwise.
 */
export function upsertOwner(
  store: StoreDatabase,
  owner: OwnerRegistration,
  heldInMemory: number,
  now: number,
  key?: number,
): number {
  const { identity } = owner;
  const updated = store
    .statement('UPDATE owners SET heartbeat = ?, held_in_memory = ? WHERE token = ? RETURNING id')
    .get(now, heldInMemory, identity.token);
  if (updated !== undefined) return Number(updated['id']);
  // Gone: another owner took it for ended (a stopped process, a long pause). It is alive again.
  const inserted = store
    .statement(
      'INSERT INTO owners (id, token, pid, host, pid_scope, thread, process_start, role, durability, started, heartbeat, held_in_memory) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
    )
    .get(
      key ?? null,
      identity.token,
      identity.pid,
      identity.host,
      identity.pidScope,
      identity.thread,
      identity.processStart,
      owner.role,
      owner.durability,
      identity.registeredAt,
      now,
      heldInMemory,
    );
  return Number(inserted?.['id']);
}

/** Marks the owner ended (a clean stop): its queue is taken over at the next start. */
export function endOwner(store: StoreDatabase, key: number, now: number): void {
  store
    .statement('UPDATE owners SET ended = ?, heartbeat = ?, held_in_memory = 0 WHERE id = ?')
    .run(now, now, key);
}

export function readOwners(db: DatabaseSync): OwnerRow[] {
  return db
    .prepare(
      'SELECT id, token, pid, host, pid_scope, thread, process_start, role, durability, started, heartbeat, ended, held_in_memory FROM owners',
    )
    .all()
    .map((r) => ({
      key: Number(r['id']),
      token: String(r['token']),
      pid: Number(r['pid']),
      host: String(r['host']),
      pidScope: String(r['pid_scope']),
      thread: Number(r['thread']),
      processStart: Number(r['process_start']),
      role: String(r['role']) as OwnerRole,
      durability: String(r['durability']) as StoreDurability,
      started: Number(r['started']),
      heartbeat: Number(r['heartbeat']),
      ended: r['ended'] === null ? null : Number(r['ended']),
      heldInMemory: Number(r['held_in_memory']),
    }));
}

/** How an ended owner is reported, with what it left. */
export function endedOwner(
  o: OwnerRow,
  left: { readonly rows: number; readonly forwards: number; readonly returnedToSpool: number },
): EndedOwner & { readonly returnedToSpool: number } {
  const clean = o.ended !== null;
  return {
    pid: o.pid,
    host: o.host,
    role: o.role,
    durability: o.durability,
    startedAt: o.started,
    lastSeenAt: o.ended ?? o.heartbeat,
    clean,
    heldInMemory: clean ? 0 : o.heldInMemory,
    ...left,
  };
}

/** What a take-over did, claimed spool entries put back included. */
export interface Adoption extends AdoptionReport {
  readonly owners: readonly (EndedOwner & { readonly returnedToSpool: number })[];
  readonly returnedToSpool: number;
}

/**
 * Takes over the queue segments of every ended owner (and, with `orphans`, segments whose owner
 * row is missing altogether). Operational bodies go to gateways only: no other role can send them.
 */
export function adoptEnded(
  store: StoreDatabase,
  adopter: { readonly key: number; readonly token: string; readonly role: OwnerRole },
  view: LivenessView,
  orphans: boolean,
): Adoption {
  const ended = readOwners(store.db).filter((o) => o.token !== adopter.token && isEnded(o, view));
  const takesForwards = adopter.role === 'gateway';
  const orphanForwards =
    takesForwards &&
    store.statement('SELECT 1 FROM forward WHERE owner NOT IN (SELECT id FROM owners) LIMIT 1').get() !==
      undefined;
  if (ended.length === 0 && !orphans && !orphanForwards)
    return { rows: 0, forwards: 0, owners: [], returnedToSpool: 0 };
  return store.transaction(QUIET, () => {
    const owners: (EndedOwner & { returnedToSpool: number })[] = [];
    let rows = 0;
    let forwards = 0;
    let returned = 0;
    for (const o of ended) {
      const taken = pendingOf(
        store
          .statement('UPDATE segments SET owner = ?, taken = 0 WHERE owner = ? RETURNING pending')
          .all(adopter.key, o.key),
      );
      const back = Number(
        store.statement('UPDATE spool SET owner = NULL WHERE owner = ?').run(o.key).changes,
      );
      const bodies = takesForwards
        ? Number(
            store.statement('UPDATE forward SET owner = ?, taken = 0 WHERE owner = ?').run(adopter.key, o.key)
              .changes,
          )
        : 0;
      store.statement('DELETE FROM owners WHERE id = ?').run(o.key);
      owners.push(endedOwner(o, { rows: taken, forwards: bodies, returnedToSpool: back }));
      rows += taken;
      forwards += bodies;
      returned += back;
    }
    const missing = 'owner NOT IN (SELECT id FROM owners)';
    if (orphans) {
      rows += pendingOf(
        store
          .statement(`UPDATE segments SET owner = ?, taken = 0 WHERE ${missing} RETURNING pending`)
          .all(adopter.key),
      );
      returned += Number(
        store.statement(`UPDATE spool SET owner = NULL WHERE owner IS NOT NULL AND ${missing}`).run().changes,
      );
    }
    if (orphanForwards) {
      forwards += Number(
        store.statement(`UPDATE forward SET owner = ?, taken = 0 WHERE ${missing}`).run(adopter.key).changes,
      );
    }
    return { rows, forwards, owners, returnedToSpool: returned };
  });
}

/** Rows not yet settled in the segments an UPDATE … RETURNING pending touched. */
function pendingOf(segments: readonly Record<string, unknown>[]): number {
  let rows = 0;
  for (const s of segments) rows += Number(s['pending']);
  return rows;
}
