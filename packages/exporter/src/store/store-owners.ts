// Owners of the store and taking over what ended ones left. Each open store has a row in
// `owners` with a heartbeat; when an owner is found ended (see `isEnded`), its queue entries
// become the adopter's in one transaction, and what a replay had claimed from the spool goes
// back to the spool unchanged, so the next replay sends it in its original order.

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
  readonly role: OwnerRole;
  readonly durability: StoreDurability;
  readonly heldInMemory: number;
}

const QUIET = { durable: false, intake: false } as const;

/** Adds (or re-adds) this owner's row; inside the caller's transaction. */
export function upsertOwner(
  store: StoreDatabase,
  owner: OwnerRegistration,
  heldInMemory: number,
  now: number,
): void {
  const { identity } = owner;
  const updated = store
    .statement('UPDATE owners SET heartbeat = ?, held_in_memory = ? WHERE token = ?')
    .run(now, heldInMemory, identity.token);
  if (updated.changes > 0) return;
  // Gone: another owner took it for ended (a stopped process, a long pause). It is alive again.
  store
    .statement(
      'INSERT INTO owners (token, pid, host, pid_scope, thread, process_start, role, durability, started, heartbeat, held_in_memory) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
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
}

/** Marks the owner ended (a clean stop): its queue is taken over at the next start. */
export function endOwner(store: StoreDatabase, token: string, now: number): void {
  store
    .statement('UPDATE owners SET ended = ?, heartbeat = ?, held_in_memory = 0 WHERE token = ?')
    .run(now, now, token);
}

export function readOwners(db: DatabaseSync): OwnerRow[] {
  return db
    .prepare(
      'SELECT token, pid, host, pid_scope, thread, process_start, role, durability, started, heartbeat, ended, held_in_memory FROM owners',
    )
    .all()
    .map((r) => ({
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
 * Takes over the entries of every ended owner (and, with `orphans`, entries whose owner row is
 * missing altogether). Operational bodies go to gateways only: no other role can send them.
 */
export function adoptEnded(
  store: StoreDatabase,
  adopter: { readonly token: string; readonly role: OwnerRole },
  view: LivenessView,
  orphans: boolean,
): Adoption {
  const ended = readOwners(store.db).filter((o) => o.token !== adopter.token && isEnded(o, view));
  const takesForwards = adopter.role === 'gateway';
  const orphanForwards =
    takesForwards &&
    store.statement('SELECT 1 FROM forward WHERE owner NOT IN (SELECT token FROM owners) LIMIT 1').get() !==
      undefined;
  if (ended.length === 0 && !orphans && !orphanForwards)
    return { rows: 0, forwards: 0, owners: [], returnedToSpool: 0 };
  return store.transaction(QUIET, () => {
    const owners: (EndedOwner & { returnedToSpool: number })[] = [];
    let rows = 0;
    let forwards = 0;
    let returned = 0;
    for (const o of ended) {
      const taken = store
        .statement('UPDATE entries SET owner = ?, taken = 0 WHERE owner = ? AND reason IS NULL')
        .run(adopter.token, o.token).changes;
      const back = store
        .statement('UPDATE entries SET owner = NULL, taken = 1 WHERE owner = ? AND reason IS NOT NULL')
        .run(o.token).changes;
      const bodies = takesForwards
        ? store
            .statement('UPDATE forward SET owner = ?, taken = 0 WHERE owner = ?')
            .run(adopter.token, o.token).changes
        : 0;
      store.statement('DELETE FROM owners WHERE token = ?').run(o.token);
      owners.push(
        endedOwner(o, { rows: Number(taken), forwards: Number(bodies), returnedToSpool: Number(back) }),
      );
      rows += Number(taken);
      forwards += Number(bodies);
      returned += Number(back);
    }
    if (orphans) {
      const missing = 'owner IS NOT NULL AND owner NOT IN (SELECT token FROM owners)';
      rows += Number(
        store
          .statement(`UPDATE entries SET owner = ?, taken = 0 WHERE reason IS NULL AND ${missing}`)
          .run(adopter.token).changes,
      );
      returned += Number(
        store
          .statement(`UPDATE entries SET owner = NULL, taken = 1 WHERE reason IS NOT NULL AND ${missing}`)
          .run().changes,
      );
    }
    if (orphanForwards) {
      forwards += Number(
        store
          .statement('UPDATE forward SET owner = ?, taken = 0 WHERE owner NOT IN (SELECT token FROM owners)')
          .run(adopter.token).changes,
      );
    }
    return { rows, forwards, owners, returnedToSpool: returned };
  });
}
