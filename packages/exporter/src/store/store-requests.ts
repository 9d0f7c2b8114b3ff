// Answers the requests of one owner, group commit included: the requests that arrived together
// go in ONE transaction (one fsync); if it fails, each is tried alone, so a removal still
// succeeds while appends are refused. Runs on the worker thread, synchronously.

import type { SpoolEntry } from '../spool/spool-entry.ts';
import { StoreDatabase } from './store-database.ts';
import type { TransactionKind } from './store-database.ts';
import {
  appendSegments,
  deadLetterRows,
  restartSegmentIds,
  segmentIdsRunHigh,
  settleRows,
  takeAdopted,
} from './store-segments.ts';
import { appendToSpool, claimSpooled, removeClaimed, returnToSpool, rowTexts } from './store-spool.ts';
import type { LiveSnapshot } from './owner-identity.ts';
import { describeFailure } from './store-failure.ts';
import type { StoreFailure } from './store-failure.ts';
import { SpaceKeeper } from './store-space.ts';
import { appendForward, removeForwards, takeAdoptedForwards } from './store-forwards.ts';
import { adoptEnded, endOwner, upsertOwner } from './store-owners.ts';
import type { Adoption } from './store-owners.ts';
import { countOwn, countReplayable, countSpooled, importedSize, importEntries } from './store-queries.ts';
import type {
  Envelope,
  StoreOp,
  StoreReply,
  StoreRequest,
  WorkerSetup,
  WorkerStats,
} from './worker-protocol.ts';

/** Requests answered on their own: they are transactions of their own, or no transaction at all. */
const SOLO: ReadonlySet<StoreOp> = new Set<StoreOp>([
  'open',
  'adopt',
  'close',
  'count',
  'vacuum',
  'maintain',
  'import',
  'imported',
]);
/** Steps of giving space back at a close: up to 64 MiB before the file is closed. */
const CLOSE_SHRINK_STEPS = 8;
const INTAKE: ReadonlySet<StoreOp> = new Set<StoreOp>(['enqueue', 'spool', 'enqueueForward', 'import']);
const DURABLE: ReadonlySet<StoreOp> = new Set<StoreOp>(['spool', 'deadLetter', 'unclaim', 'import']);

/** A request's answer and what it changed in the counts, applied once committed. */
interface Done {
  readonly value: unknown;
  readonly queued?: number;
  readonly spooled?: number;
}

/** What a request adds to the file, roughly: its rows or body. */
function bytesOf(request: StoreRequest): number {
  switch (request.op) {
    case 'enqueue':
      return request.texts.reduce((n, t) => n + t.length, 0);
    case 'spool':
      return request.rows.length;
    case 'import':
      return request.entries.length;
    case 'enqueueForward':
      return request.body.byteLength;
    default:
      return 0;
  }
}

export class RequestHandler {
  readonly #setup: WorkerSetup;
  readonly #held: BigInt64Array;
  #store: StoreDatabase | undefined;
  /** This owner's integer key, from its row in `owners` (kept when the row is written again). */
  #key = 0;
  #queued = 0;
  #shrinking = false;
  readonly #space = new SpaceKeeper();
  #spooled = 0;

  constructor(setup: WorkerSetup) {
    this.#setup = setup;
    this.#held = new BigInt64Array(setup.held);
  }

  get open(): boolean {
    return this.#store !== undefined;
  }

  /** Space is being given back a step at a time: `maintain` again at the next tick. */
  get shrinking(): boolean {
    return this.#shrinking;
  }

  stats(): WorkerStats {
    const store = this.#store;
    return {
      queued: this.#queued,
      spooled: this.#spooled,
      fileBytes: store?.fileBytes() ?? 0,
      commits: store?.commits ?? 0,
    };
  }

  /** Answers a group in arrival order. Never throws. */
  handle(group: readonly Envelope[]): [number, StoreReply][] {
    const replies: [number, StoreReply][] = [];
    let together: Envelope[] = [];
    for (const envelope of group) {
      if (!SOLO.has(envelope.request.op)) {
        together.push(envelope);
        continue;
      }
      replies.push(...this.#together(together));
      together = [];
      replies.push([envelope.id, this.#solo(envelope.request)]);
    }
    replies.push(...this.#together(together));
    return replies;
  }

  #together(group: readonly Envelope[]): [number, StoreReply][] {
    const store = this.#store;
    if (group.length === 0) return [];
    if (store === undefined) return group.map((e) => [e.id, { ok: false, failure: { kind: 'closed' } }]);
    const kind: TransactionKind = {
      durable: group.some((e) => DURABLE.has(e.request.op)),
      intake: group.some((e) => INTAKE.has(e.request.op)),
    };
    try {
      const done = store.transaction(kind, () => group.map((e) => this.#apply(store, e.request)));
      if (kind.intake) this.#space.note(store);
      return group.map((e, i) => [e.id, this.#count(done[i])]);
    } catch (error) {
      if (group.length > 1) return group.flatMap((e) => this.#together([e]));
      const only = group[0];
      if (only === undefined) return [];
      const failure = this.#describe(store, only.request, error);
      if (failure.kind === 'full' && only.request.op === 'spool')
        return [[only.id, this.#spoolWhatFits(store, only.request, failure)]];
      return [[only.id, { ok: false, failure }]];
    }
  }

  #apply(store: StoreDatabase, request: StoreRequest): Done {
    const key = this.#key;
    switch (request.op) {
      case 'enqueue': {
        const ids = appendSegments(store, key, request.target, request.texts, request.counts);
        return { value: ids, queued: request.counts.reduce((n, c) => n + c, 0) };
      }
      case 'spool': {
        const rows = rowTexts(request.rows);
        const written = appendToSpool(store, request.target, rows, request);
        return { value: { written, refused: rows.length - written }, spooled: written };
      }
      case 'remove':
        return { value: null, queued: -settleRows(store, key, request.ids) };
      case 'deadLetter': {
        const moved = deadLetterRows(store, key, request.ids, request);
        return { value: { written: moved, refused: 0 }, queued: -moved, spooled: moved };
      }
      case 'takeAdopted':
        return { value: takeAdopted(store, key, request.limit).json };
      case 'enqueueForward':
        return { value: appendForward(store, key, request.body, request.records) };
      case 'removeForward':
        return { value: removeForwards(store, key, request.ids) };
      case 'takeAdoptedForwards':
        return { value: takeAdoptedForwards(store, key, request.limit) };
      case 'claim': {
        const page = claimSpooled(store, key, request.afterId, request.limit, request.reasons);
        return { value: page.json, queued: page.count, spooled: -page.count };
      }
      case 'unclaim': {
        const back = returnToSpool(store, key, request.ids);
        return { value: back, queued: -back, spooled: back };
      }
      case 'removeClaimed':
        return { value: null, queued: -removeClaimed(store, key, request.ids) };
      case 'heartbeat':
        this.#key = upsertOwner(
          store,
          this.#setup.owner,
          Number(Atomics.load(this.#held, 0)),
          Date.now(),
          key,
        );
        return { value: null };
      default:
        throw new Error(`${request.op} is answered on its own`);
    }
  }

  #solo(request: StoreRequest): StoreReply {
    const store = this.#store;
    if (request.op === 'open') return this.#open(request.live);
    if (store === undefined) return { ok: false, failure: { kind: 'closed' } };
    try {
      return this.#count(this.#soloOn(store, request));
    } catch (error) {
      return { ok: false, failure: this.#describe(store, request, error) };
    }
  }

  #soloOn(store: StoreDatabase, request: StoreRequest): Done {
    switch (request.op) {
      case 'adopt': {
        const adoption = this.#adopt(store, request.live, false);
        this.#spooled = countSpooled(store.db);
        return { value: adoption, queued: adoption.rows };
      }
      case 'count':
        return { value: countReplayable(store.db, request.reasons, request.afterId) };
      case 'vacuum':
        store.vacuum();
        return { value: null };
      case 'maintain':
        return { value: this.#maintain(store, request.heartbeat) };
      case 'imported':
        return { value: importedSize(store.db, request.name) };
      case 'import': {
        const entries = JSON.parse(request.entries) as SpoolEntry[];
        const written = store.transaction({ durable: true, intake: true }, () =>
          importEntries(store, request.name, request.from, request.size, entries),
        );
        return { value: written, spooled: written ?? 0 };
      }
      case 'close':
        this.#close(store, request.ended);
        return { value: null };
      default:
        throw new Error(`${request.op} is answered in a group`);
    }
  }

  /** Rolls the space accounting on a heartbeat, restarts segment ids when idle, shrinks a step. */
  #maintain(store: StoreDatabase, heartbeat: boolean): boolean {
    if (heartbeat) this.#space.roll(store);
    if (this.#queued === 0 && segmentIdsRunHigh(store))
      store.transaction({ durable: false, intake: false }, () => restartSegmentIds(store));
    this.#shrinking = this.#space.step(store);
    return this.#shrinking;
  }

  /** Ends the owner when asked, gives back what space it can, and closes the file. */
  #close(store: StoreDatabase, ended: boolean): void {
    if (ended)
      store.transaction({ durable: true, intake: false }, () => {
        endOwner(store, this.#key, Date.now());
      });
    // A stop is no hot path: a store left mostly empty is given back now, not at a later start.
    try {
      let steps = 0;
      while (steps++ < CLOSE_SHRINK_STEPS && this.#space.step(store, true)) {
        // Each step is a short transaction of its own.
      }
    } catch {
      // Best effort: the file is closed as it is, and the next owner gives the space back.
    }
    store.close();
    this.#store = undefined;
  }

  #open(live: LiveSnapshot): StoreReply {
    const { config, owner } = this.#setup;
    if (this.#store !== undefined) return { ok: false, failure: { kind: 'closed' } };
    let store: StoreDatabase;
    try {
      store = StoreDatabase.open(config);
    } catch (error) {
      return { ok: false, failure: describeFailure(error, { ...config, operation: 'open' }) };
    }
    try {
      this.#key = store.transaction({ durable: false, intake: false }, () =>
        upsertOwner(store, owner, Number(Atomics.load(this.#held, 0)), Date.now()),
      );
      const adoption = this.#adopt(store, live, true);
      this.#queued = countOwn(store.db, this.#key);
      this.#spooled = countSpooled(store.db);
      this.#store = store;
      return { ok: true, value: adoption };
    } catch (error) {
      const failure = describeFailure(error, { ...config, operation: 'open' });
      store.close();
      return { ok: false, failure };
    }
  }

  #adopt(store: StoreDatabase, live: LiveSnapshot, orphans: boolean): Adoption {
    const { identity, role } = this.#setup.owner;
    const view = { ...identity, live, now: Date.now(), staleMs: this.#setup.staleMs };
    return adoptEnded(store, { key: this.#key, token: identity.token, role }, view, orphans);
  }

  /** A spool request the store is too full for: as many of its rows as fit, in order. */
  #spoolWhatFits(
    store: StoreDatabase,
    request: Extract<StoreRequest, { op: 'spool' }>,
    failure: StoreFailure,
  ): StoreReply {
    const rows = rowTexts(request.rows);
    let start = 0;
    let size = Math.floor(rows.length / 2);
    let written = 0;
    while (start < rows.length && size > 0) {
      const part = rows.slice(start, start + size);
      try {
        written += store.transaction({ durable: true, intake: true }, () =>
          appendToSpool(store, request.target, part, request),
        );
        start += size;
        size = Math.min(size, rows.length - start);
      } catch {
        size = Math.floor(size / 2);
      }
    }
    this.#spooled += written;
    return { ok: true, value: { written, refused: rows.length - written, failure } };
  }

  #count(done: Done | undefined): StoreReply {
    this.#queued += done?.queued ?? 0;
    this.#spooled += done?.spooled ?? 0;
    return { ok: true, value: done?.value ?? null };
  }

  #describe(store: StoreDatabase, request: StoreRequest, error: unknown): StoreFailure {
    const reading = request.op === 'count' || request.op === 'imported';
    return describeFailure(error, {
      ...store.config,
      operation: reading ? 'read' : 'write to',
      requestBytes: bytesOf(request),
    });
  }
}
