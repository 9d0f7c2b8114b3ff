// Forwards operational records to the upstream OTLP/HTTP endpoint. A queue bounded by bytes
// (waiting and in flight both count) takes a request's operational records whole or not at all;
// a few senders POST them, coalescing queued bodies (concatenated protobuf messages merge, so
// several ExportLogsServiceRequests make one), retry as OTLP says, and drop and count what the
// budget cannot deliver. Operational records are never spooled. With a store (`disk`
// durability) each body is also in the write-ahead queue from before its 200 until it is sent or
// dropped, so a crash loses none, and the next start sends what an ended run left.

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { withTracingSuppressed } from '@otel-sentinel/exporter';
import type { DeliveryStore } from '@otel-sentinel/exporter';
import type { GatewayCounters } from '../gateway-counters.js';
import { bump } from '../gateway-counters.js';
import type { LogLimiter } from '../log-limiter.js';
import type { ResolvedUpstream } from '../resolve-options.js';
import { postOtlp } from './post-otlp.js';
import type { PostOutcome, PostTarget } from './post-otlp.js';
import { decideUpstream } from './upstream-retry.js';

/** Largest POST built by joining queued bodies (a single larger body is sent as it is). */
const MAX_COALESCED_BYTES = 4 * 1024 * 1024;
/** Bodies read back per page when taking over what an ended run left. */
const RESUME_PAGE = 16;
const QUEUED = Promise.resolve();

interface Item {
  readonly body: Uint8Array;
  readonly records: number;
  /** Its id in the store's forward queue; 0 when it is in memory only. */
  readonly id: number;
  /** Taken over from an ended run. */
  readonly resumed: boolean;
}

type SendOutcome = 'sent' | 'dropped' | 'left';

export interface UpstreamForwarderOptions {
  readonly upstream: ResolvedUpstream;
  readonly maxBytes: number;
  readonly counters: GatewayCounters;
  readonly log: LogLimiter;
  /** The write-ahead queue (`disk` durability); without one, bodies are held in memory only. */
  readonly store?: DeliveryStore | undefined;
  /** Test hook: the POST. Default: node:http(s). */
  readonly post?: (target: PostTarget, body: Uint8Array, signal: AbortSignal) => Promise<PostOutcome>;
}

export class UpstreamForwarder {
  readonly maxBytes: number;
  /** Bytes waiting or in flight. */
  queuedBytes = 0;
  queuedRecords = 0;
  private readonly upstream: ResolvedUpstream;
  private readonly counters: GatewayCounters;
  private readonly log: LogLimiter;
  private readonly post: NonNullable<UpstreamForwarderOptions['post']>;
  private readonly target: PostTarget;
  private readonly store: DeliveryStore | undefined;
  private readonly writes = new Set<Promise<unknown>>();
  private waiting: Item[] = [];
  private head = 0;
  private active = 0;
  private closed = false;
  private readonly abort = new AbortController();
  private idle: (() => void)[] = [];
  /** Bodies an ended run left in the store and not read back yet. */
  private backlog = 0;
  /** Of the bodies taken over, those not sent or dropped yet. */
  private resumedLeft = 0;
  private takingOver = false;

  constructor(options: UpstreamForwarderOptions) {
    this.upstream = options.upstream;
    this.maxBytes = options.maxBytes;
    this.counters = options.counters;
    this.log = options.log;
    this.post = options.post ?? postOtlp;
    this.store = options.store;
    const agentOptions = { keepAlive: true, maxSockets: options.upstream.concurrency };
    this.target = {
      url: options.upstream.url,
      headers: options.upstream.headers,
      agent:
        options.upstream.url.protocol === 'https:'
          ? new HttpsAgent(agentOptions)
          : new HttpAgent(agentOptions),
      timeoutMs: options.upstream.timeoutMs,
    };
  }

  /**
   * Takes the body whole — or nothing, `false` at once, when it does not fit or the forwarder is
   * closed — and resolves once it is queued: with a store, once it is on disk. A body the store
   * refuses is still forwarded from memory, counted and logged.
   */
  enqueue(body: Uint8Array, records: number): false | Promise<void> {
    if (this.closed || this.queuedBytes + body.byteLength > this.maxBytes) return false;
    this.queuedBytes += body.byteLength;
    this.queuedRecords += records;
    if (this.store === undefined) {
      this.push({ body, records, id: 0, resumed: false });
      return QUEUED;
    }
    return this.track(this.persist(this.store, body, records));
  }

  /** Bodies an ended run left in the write-ahead queue: sent as room allows. */
  resume(bodies: number): void {
    if (bodies <= 0) return;
    this.backlog += bodies;
    void this.takeOver();
  }

  /** Bodies taken over from an ended run that are not sent (or dropped) yet. */
  get resumeRemaining(): number {
    return this.backlog + this.resumedLeft;
  }

  /** Resolves when nothing is waiting or in flight, or after `timeoutMs`; true when drained. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      // Held open on purpose (like the exporter's shutdown): a drain may finish even when nothing
      // else keeps the process alive, for at most `timeoutMs`.
      const timer = setTimeout(() => {
        this.idle = this.idle.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      this.idle.push(done);
    });
  }

  /**
   * Stops taking records, waits up to `timeoutMs` for the queue to drain, then abandons what is
   * left: counted as dropped (`shutdown`), or, with a store, left in the write-ahead queue for the
   * next start. Idempotent.
   */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    const drained = await this.drain(timeoutMs);
    if (!drained) {
      const left = this.waiting.slice(this.head);
      this.waiting = [];
      this.head = 0;
      for (const item of left) this.release(item);
      this.abandoned(left);
      this.abort.abort();
      await this.drain(timeoutMs);
    }
    await Promise.allSettled([...this.writes]);
    this.target.agent.destroy();
  }

  private abandoned(items: readonly Item[]): void {
    const kept = items.filter((i) => i.id !== 0).reduce((n, i) => n + i.records, 0);
    const dropped = items.filter((i) => i.id === 0).reduce((n, i) => n + i.records, 0);
    this.counters.dropped('shutdown', dropped);
    this.counters.upstreamLeftQueued += kept;
    if (dropped > 0)
      this.log.always(`upstream: ${dropped} operational records dropped at shutdown (not sent in time)`);
    if (kept > 0)
      this.log.always(
        `upstream: ${kept} operational records not sent in time stay in the write-ahead queue; the next start sends them`,
      );
  }

  private async persist(store: DeliveryStore, body: Uint8Array, records: number): Promise<void> {
    const r = await store.enqueueForward(body, records);
    const id = r.ok ? (r.ids[0] ?? 0) : 0;
    if (!r.ok) {
      this.counters.upstreamNotPersisted += records;
      this.log.line(
        'upstream:store',
        `upstream: the write-ahead queue refused operational records (${r.error.code}); they are forwarded from memory only`,
      );
    }
    this.push({ body, records, id, resumed: false });
  }

  private async takeOver(): Promise<void> {
    const store = this.store;
    if (store === undefined || this.takingOver) return;
    this.takingOver = true;
    try {
      while (this.backlog > 0 && this.queuedBytes < this.maxBytes) {
        const page = await store.takeAdoptedForwards(RESUME_PAGE);
        if (page.length === 0) {
          this.backlog = 0;
          break;
        }
        this.backlog = Math.max(0, this.backlog - page.length);
        for (const f of page) {
          this.queuedBytes += f.body.byteLength;
          this.queuedRecords += f.records;
          this.resumedLeft++;
          this.push({ body: f.body, records: f.records, id: f.id, resumed: true });
        }
      }
    } finally {
      this.takingOver = false;
      this.notifyIdle();
    }
  }

  private push(item: Item): void {
    this.waiting.push(item);
    this.pump();
  }

  private isIdle(): boolean {
    return (
      this.active === 0 &&
      this.head >= this.waiting.length &&
      this.writes.size === 0 &&
      this.backlog === 0 &&
      !this.takingOver
    );
  }

  private pump(): void {
    while (this.active < this.upstream.concurrency && this.head < this.waiting.length) {
      const group = this.takeGroup();
      this.active++;
      void this.send(group).then((outcome) => {
        this.active--;
        for (const item of group) this.release(item);
        this.settle(group, outcome);
        this.pump();
        if (this.backlog > 0) void this.takeOver();
        this.notifyIdle();
      });
    }
    this.notifyIdle();
  }

  /** A body sent or dropped leaves the store; one left at a stop stays for the next start. */
  private settle(group: readonly Item[], outcome: SendOutcome): void {
    for (const item of group) if (item.resumed) this.resumedLeft--;
    if (outcome === 'left') {
      this.abandoned(group);
      return;
    }
    const ids = group.filter((i) => i.id !== 0).map((i) => i.id);
    if (ids.length > 0 && this.store !== undefined) void this.track(this.store.removeForward(ids));
  }

  private takeGroup(): Item[] {
    const group: Item[] = [];
    let bytes = 0;
    while (this.head < this.waiting.length) {
      const item = this.waiting[this.head];
      if (item === undefined || (group.length > 0 && bytes + item.body.byteLength > MAX_COALESCED_BYTES))
        break;
      group.push(item);
      bytes += item.body.byteLength;
      this.head++;
    }
    // Let go of the taken slots now and then rather than shifting on every take.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return group;
  }

  private release(item: Item): void {
    this.queuedBytes -= item.body.byteLength;
    this.queuedRecords -= item.records;
  }

  /** Sends one group with retries; every record ends sent, dropped or left queued. Never rejects. */
  private async send(group: readonly Item[]): Promise<SendOutcome> {
    const body =
      group.length === 1 && group[0] !== undefined ? group[0].body : Buffer.concat(group.map((i) => i.body));
    const records = group.reduce((n, i) => n + i.records, 0);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      this.counters.upstreamRequests++;
      // The gateway's own request: not traced, as the exporter's uploads are not.
      const outcome = await withTracingSuppressed(() => this.post(this.target, body, this.abort.signal));
      bump(this.counters.upstreamResponses, 'status' in outcome ? String(outcome.status) : 'error');
      // Bodies kept on disk are never given up for a transient failure: they were acknowledged.
      const bounded = !group.some((item) => item.id !== 0);
      const decision = decideUpstream(
        outcome,
        attempt,
        Date.now() - started,
        this.upstream.retry,
        Math.random,
        Date.now(),
        bounded,
      );
      if (decision.action === 'done') {
        this.counters.upstreamSent += records;
        return 'sent';
      }
      const what = 'status' in outcome ? `answered ${outcome.status}` : `failed (${outcome.error})`;
      if (decision.action === 'drop') {
        if (decision.reason === 'shutdown') return 'left';
        this.counters.dropped(decision.reason, records);
        this.log.line(
          `upstream:${decision.reason}`,
          `upstream ${this.upstream.display} ${what}; ${records} operational records dropped (${decision.reason}${decision.reason === 'retries-exhausted' ? ` after ${attempt} attempts` : ''})`,
        );
        return 'dropped';
      }
      this.counters.upstreamRetries++;
      this.log.line(
        'upstream:retry',
        `upstream ${this.upstream.display} ${what}; retrying in ${decision.delayMs} ms`,
      );
      if (!(await this.sleep(decision.delayMs))) return 'left';
    }
  }

  /** Waits `ms`; false when shut down meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.abort.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.writes.add(p);
    const done = (): void => {
      this.writes.delete(p);
      this.notifyIdle();
    };
    p.then(done, done);
    return p;
  }

  private notifyIdle(): void {
    if (!this.isIdle() || this.idle.length === 0) return;
    const waiters = this.idle;
    this.idle = [];
    for (const w of waiters) w();
  }
}
