// Forwards operational records to the upstream OTLP/HTTP endpoint. A queue bounded by bytes
// (waiting and in flight both count) takes a request's operational records whole or not at all;
// a few senders POST them, coalescing queued bodies (concatenated protobuf messages merge, so
// several ExportLogsServiceRequests make one), retry as OTLP says, and drop and count what the
// budget cannot deliver. Operational records are never spooled.

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { GatewayCounters } from '../gateway-counters.js';
import { bump } from '../gateway-counters.js';
import type { LogLimiter } from '../log-limiter.js';
import type { ResolvedUpstream } from '../resolve-options.js';
import { postOtlp } from './post-otlp.js';
import type { PostOutcome, PostTarget } from './post-otlp.js';
import { decideUpstream } from './upstream-retry.js';

/** Largest POST built by joining queued bodies (a single larger body is sent as it is). */
const MAX_COALESCED_BYTES = 4 * 1024 * 1024;

interface Item {
  readonly body: Uint8Array;
  readonly records: number;
}

export interface UpstreamForwarderOptions {
  readonly upstream: ResolvedUpstream;
  readonly maxBytes: number;
  readonly counters: GatewayCounters;
  readonly log: LogLimiter;
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
  private waiting: Item[] = [];
  private head = 0;
  private active = 0;
  private closed = false;
  private readonly abort = new AbortController();
  private idle: (() => void)[] = [];

  constructor(options: UpstreamForwarderOptions) {
    this.upstream = options.upstream;
    this.maxBytes = options.maxBytes;
    this.counters = options.counters;
    this.log = options.log;
    this.post = options.post ?? postOtlp;
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

  /** Takes the body whole, or nothing when it does not fit or the forwarder is closed. */
  enqueue(body: Uint8Array, records: number): boolean {
    if (this.closed || this.queuedBytes + body.byteLength > this.maxBytes) return false;
    this.waiting.push({ body, records });
    this.queuedBytes += body.byteLength;
    this.queuedRecords += records;
    this.pump();
    return true;
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
   * left (counted as dropped: `shutdown`). Idempotent.
   */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    const drained = await this.drain(timeoutMs);
    if (!drained) {
      const left = this.waiting.slice(this.head);
      this.waiting = [];
      this.head = 0;
      for (const item of left) this.release(item);
      const records = left.reduce((n, i) => n + i.records, 0);
      this.counters.dropped('shutdown', records);
      if (records > 0)
        this.log.always(
          `upstream: ${records} operational records dropped at shutdown (not sent within ${timeoutMs} ms)`,
        );
      this.abort.abort();
      await this.drain(timeoutMs);
    }
    this.target.agent.destroy();
  }

  private isIdle(): boolean {
    return this.active === 0 && this.head >= this.waiting.length;
  }

  private pump(): void {
    while (this.active < this.upstream.concurrency && this.head < this.waiting.length) {
      const group = this.takeGroup();
      this.active++;
      void this.send(group).then(() => {
        this.active--;
        for (const item of group) this.release(item);
        this.pump();
        this.notifyIdle();
      });
    }
    this.notifyIdle();
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

  /** Sends one group with retries; every record ends sent or counted as dropped. Never rejects. */
  private async send(group: readonly Item[]): Promise<void> {
    const body =
      group.length === 1 && group[0] !== undefined ? group[0].body : Buffer.concat(group.map((i) => i.body));
    const records = group.reduce((n, i) => n + i.records, 0);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      this.counters.upstreamRequests++;
      const outcome = await this.post(this.target, body, this.abort.signal);
      bump(this.counters.upstreamResponses, 'status' in outcome ? String(outcome.status) : 'error');
      const decision = decideUpstream(outcome, attempt, Date.now() - started, this.upstream.retry);
      if (decision.action === 'done') {
        this.counters.upstreamSent += records;
        return;
      }
      const what = 'status' in outcome ? `answered ${outcome.status}` : `failed (${outcome.error})`;
      if (decision.action === 'drop') {
        this.counters.dropped(decision.reason, records);
        if (decision.reason !== 'shutdown')
          this.log.line(
            `upstream:${decision.reason}`,
            `upstream ${this.upstream.display} ${what}; ${records} operational records dropped (${decision.reason}${decision.reason === 'retries-exhausted' ? ` after ${attempt} attempts` : ''})`,
          );
        return;
      }
      this.counters.upstreamRetries++;
      this.log.line(
        'upstream:retry',
        `upstream ${this.upstream.display} ${what}; retrying in ${decision.delayMs} ms`,
      );
      if (!(await this.sleep(decision.delayMs))) {
        this.counters.dropped('shutdown', records);
        return;
      }
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

  private notifyIdle(): void {
    if (!this.isIdle() || this.idle.length === 0) return;
    const waiters = this.idle;
    this.idle = [];
    for (const w of waiters) w();
  }
}
