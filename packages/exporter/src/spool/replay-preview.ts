// A dry run of replay: counts what a replay would take over, import and send, and in how many
// `deliver` calls, through a read-only connection. Creates, changes and takes over nothing.

import type { StreamTarget, UndeliveredReason } from '../row-batch.ts';
import { endedOwners, leftQueued, leftSpool, openReader } from '../store/read-store.ts';
import { storePath } from '../store/store-options.ts';
import { importedSize } from '../store/store-queries.ts';
import { endedOwner } from '../store/store-owners.ts';
import { countMalformed, legacyFiles } from './legacy-import.ts';
import type { ReplayCounts } from './replay-counts.ts';
import type { ReplayConfig, ReplayResult } from './replay-options.ts';
import { hasTarget } from './replay-route.ts';

export async function previewReplay(config: ReplayConfig, counts: ReplayCounts): Promise<ReplayResult> {
  const db = openReader(storePath(config.directory, config.prefix));
  const plan = new Plan(config, counts);
  try {
    const spooled: {
      readonly target: StreamTarget;
      readonly reason: UndeliveredReason;
      readonly detail: string | null;
    }[] = [];
    if (db !== undefined) {
      const ended = endedOwners(db);
      const left = new Map<number, number>();
      for (const q of leftQueued(db, ended, false)) {
        left.set(q.owner, (left.get(q.owner) ?? 0) + 1);
        plan.send(q.target, undefined, undefined);
      }
      for (const e of leftSpool(db, ended, false))
        spooled.push({ target: e.target, reason: e.reason, detail: e.detail });
      const owners = [...ended.values()].map((o) =>
        endedOwner(o, { rows: left.get(o.key) ?? 0, forwards: 0, returnedToSpool: 0 }),
      );
      counts.tookOver({ rows: [...left.values()].reduce((a, b) => a + b, 0), forwards: 0, owners });
    }
    plan.cut();
    for (const { target, reason, detail } of spooled) plan.consider(target, reason, detail);
    plan.cut();
    const imported = (name: string): Promise<number | undefined> =>
      Promise.resolve(db === undefined ? undefined : importedSize(db, name));
    for await (const file of legacyFiles(config, counts, imported)) {
      counts.malformed += file.malformed.length;
      for (const entry of file.entries) plan.consider(entry, entry.reason, entry.detail);
      plan.cut();
    }
  } finally {
    db?.close();
  }
  await countMalformed(config.directory, config.prefix, counts);
  return counts.result();
}

/** Counts entries as replay would group them: consecutive ones of one target, `batchSize` at most. */
class Plan {
  readonly #config: ReplayConfig;
  readonly #counts: ReplayCounts;
  #key = '';
  #size = 0;

  constructor(config: ReplayConfig, counts: ReplayCounts) {
    this.#config = config;
    this.#counts = counts;
  }

  /** A spool entry: sent when its reason is replayable and it has a target, held otherwise. */
  consider(target: StreamTarget, reason: UndeliveredReason, detail: string | null | undefined): void {
    if (this.#config.reasons.has(reason) && hasTarget(target)) {
      this.send(target, reason, detail);
      return;
    }
    this.#counts.entries++;
    this.#counts.held++;
  }

  /** An entry replay would offer, if the route takes it: to its destination. */
  send(target: StreamTarget, reason: UndeliveredReason | undefined, detail: string | null | undefined): void {
    const to = this.#config.route.admit(target);
    if (to === undefined) {
      this.#counts.entries++;
      this.#counts.skipped++;
      return;
    }
    this.#counts.redirected(target, to);
    if (reason !== undefined) this.#counts.spooledBecause(target, reason, detail);
    const key = `${to.endpoint}\n${to.dcrImmutableId}\n${to.stream}\n${to.table}`;
    if (key !== this.#key || this.#size >= this.#config.batchSize) {
      this.#counts.batches++;
      this.#key = key;
      this.#size = 0;
    }
    this.#size++;
    this.#counts.entries++;
    this.#counts.unsent++;
    this.#counts.stream(to).entries++;
  }

  /** Groups end here (a page or a file ends). */
  cut(): void {
    this.#key = '';
  }
}
