// The upstream forwarder on its own, against a fake OTLP receiver: retries what OTLP says to
// retry, drops (and counts) what it must, joins queued bodies into one valid request, and keeps
// its queue within its byte limit.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayCounters } from '../src/gateway-counters.js';
import { LogLimiter } from '../src/log-limiter.js';
import { resolveOptions } from '../src/resolve-options.js';
import type { UpstreamRetryOptions } from '../src/gateway-options.js';
import { UpstreamForwarder } from '../src/upstream/upstream-forwarder.js';
import { decideUpstream } from '../src/upstream/upstream-retry.js';
import { startFakeUpstream } from './support/fake-upstream.js';
import type { FakeUpstream } from './support/fake-upstream.js';
import { operationalRecord, protobufBody } from './support/otlp-bodies.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

const FAST: UpstreamRetryOptions = { maxAttempts: 4, maxElapsedMs: 60_000, initialDelayMs: 1, maxDelayMs: 5 };

async function setup(
  options: {
    retry?: UpstreamRetryOptions;
    maxBytes?: number;
    concurrency?: number;
    timeoutMs?: number;
    headers?: Record<string, string>;
  } = {},
): Promise<{
  upstream: FakeUpstream;
  forwarder: UpstreamForwarder;
  counters: GatewayCounters;
  lines: string[];
}> {
  const upstream = await startFakeUpstream();
  const lines: string[] = [];
  const resolved = resolveOptions({
    mapping: 'unused.yaml',
    upstream: upstream.url,
    upstreamRetry: options.retry ?? FAST,
    upstreamConcurrency: options.concurrency ?? 1,
    upstreamTimeoutMs: options.timeoutMs ?? 10_000,
    ...(options.headers !== undefined ? { upstreamHeaders: options.headers } : {}),
  });
  const counters = new GatewayCounters();
  if (resolved.upstream === undefined) throw new Error('no upstream');
  const forwarder = new UpstreamForwarder({
    upstream: resolved.upstream,
    maxBytes: options.maxBytes ?? 1 << 20,
    counters,
    log: new LogLimiter((l) => lines.push(l), 0),
  });
  closers.push(
    () => forwarder.close(1000),
    () => upstream.close(),
  );
  return { upstream, forwarder, counters, lines };
}

function body(...seqs: number[]): Buffer {
  return protobufBody(seqs.map((s) => operationalRecord(s)));
}

function seqs(upstream: FakeUpstream): number[] {
  return upstream
    .accepted()
    .map((r) => Number(r.attributes.seq))
    .sort((a, b) => a - b);
}

describe('UpstreamForwarder', () => {
  it('POSTs protobuf with the configured headers', async () => {
    const { upstream, forwarder, counters } = await setup({ headers: { 'X-Tenant': 'blue' } });
    expect(forwarder.enqueue(body(1, 2), 2)).not.toBe(false);
    expect(await forwarder.drain(5000)).toBe(true);
    expect(upstream.received[0]).toMatchObject({
      contentType: 'application/x-protobuf',
      headers: { 'x-tenant': 'blue' },
    });
    expect(seqs(upstream)).toEqual([1, 2]);
    expect(counters.upstreamSent).toBe(2);
  });

  it('sends a 429, 502, 503 or 504 again, and delivers once the upstream recovers', async () => {
    const { upstream, forwarder, counters } = await setup();
    const answers = [429, 502, 503];
    upstream.answer = (n) => ({ status: answers[n] ?? 200, headers: n === 0 ? { 'retry-after': '0' } : {} });
    void forwarder.enqueue(body(7), 1);
    await forwarder.drain(5000);
    expect(seqs(upstream)).toEqual([7]);
    expect(counters.upstreamRetries).toBe(3);
    expect(counters.upstreamRequests).toBe(4);
    expect([...counters.upstreamResponses]).toEqual([
      ['429', 1],
      ['502', 1],
      ['503', 1],
      ['200', 1],
    ]);
  });

  it('drops and counts a request the upstream refuses for good (400), without retrying', async () => {
    const { upstream, forwarder, counters, lines } = await setup();
    upstream.answer = () => ({ status: 400 });
    void forwarder.enqueue(body(1, 2, 3), 3);
    await forwarder.drain(5000);
    expect(upstream.received).toHaveLength(1);
    expect([...counters.upstreamDropped]).toEqual([['rejected', 3]]);
    expect(lines.join('\n')).toMatch(/answered 400; 3 operational records dropped \(rejected\)/);
  });

  it('drops and counts what still fails when the retry budget is spent', async () => {
    const { upstream, forwarder, counters } = await setup();
    upstream.answer = () => ({ status: 504 });
    void forwarder.enqueue(body(1), 1);
    await forwarder.drain(5000);
    expect(upstream.received).toHaveLength(4);
    expect([...counters.upstreamDropped]).toEqual([['retries-exhausted', 1]]);
    expect(forwarder.queuedBytes).toBe(0);
  });

  it('gives up on an upstream that does not answer within the timeout, as retryable', async () => {
    const { upstream, forwarder, counters } = await setup({
      timeoutMs: 50,
      retry: { ...FAST, maxAttempts: 2 },
    });
    upstream.answer = () => 'hang';
    void forwarder.enqueue(body(1), 1);
    await forwarder.drain(5000);
    expect([...counters.upstreamResponses]).toEqual([['error', 2]]);
    expect([...counters.upstreamDropped]).toEqual([['retries-exhausted', 1]]);
  });

  it('joins queued bodies into one request that decodes to all their records', async () => {
    const { upstream, forwarder } = await setup({ concurrency: 1 });
    // The first body goes at once; the next three queue behind it and leave together.
    void forwarder.enqueue(body(1), 1);
    void forwarder.enqueue(body(2, 3), 2);
    void forwarder.enqueue(body(4), 1);
    void forwarder.enqueue(body(5, 6, 7), 3);
    await forwarder.drain(5000);
    expect(seqs(upstream)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(upstream.received).toHaveLength(2);
  });

  it('takes a body whole or not at all, within maxBytes', async () => {
    const { upstream, forwarder } = await setup({ maxBytes: 300 });
    upstream.answer = () => 'hang';
    const a = body(1, 2);
    let taken = 0;
    for (let i = 0; i < 20; i++) {
      if (forwarder.enqueue(a, 2) !== false) taken++;
      expect(forwarder.queuedBytes).toBeLessThanOrEqual(300);
    }
    expect(taken).toBe(Math.floor(300 / a.length));
    expect(forwarder.queuedRecords).toBe(taken * 2);
  });

  it('drops and counts what is left when close() times out, and takes nothing after', async () => {
    const { upstream, forwarder, counters } = await setup();
    upstream.answer = () => 'hang';
    void forwarder.enqueue(body(1, 2), 2);
    void forwarder.enqueue(body(3), 1);
    await forwarder.close(20);
    expect([...counters.upstreamDropped]).toEqual([['shutdown', 3]]);
    expect(forwarder.queuedBytes).toBe(0);
    expect(forwarder.enqueue(body(4), 1)).toBe(false);
  });
});

describe('decideUpstream', () => {
  it('never gives up on a transient failure of records kept on disk, and still gives up on a refusal', () => {
    const retry = { maxAttempts: 2, maxElapsedMs: 1000, initialDelayMs: 100, maxDelayMs: 400 };
    expect(
      decideUpstream({ status: 503, retryAfter: undefined }, 50, 3_600_000, retry, () => 0.5, 0, false),
    ).toEqual({
      action: 'retry',
      delayMs: 200,
    });
    expect(decideUpstream({ error: 'ECONNREFUSED' }, 2, 0, retry, () => 0.5, 0, true)).toEqual({
      action: 'drop',
      reason: 'retries-exhausted',
    });
    expect(decideUpstream({ status: 400, retryAfter: undefined }, 1, 0, retry, () => 0.5, 0, false)).toEqual({
      action: 'drop',
      reason: 'rejected',
    });
  });

  const retry = { maxAttempts: 5, maxElapsedMs: 60_000, initialDelayMs: 500, maxDelayMs: 15_000 };

  it('waits as Retry-After says, in seconds or as an HTTP-date', () => {
    const now = Date.UTC(2025, 0, 1);
    expect(decideUpstream({ status: 429, retryAfter: '3' }, 1, 0, retry, () => 0.5, now)).toEqual({
      action: 'retry',
      delayMs: 3000,
    });
    expect(
      decideUpstream(
        { status: 503, retryAfter: new Date(now + 7000).toUTCString() },
        1,
        0,
        retry,
        () => 0.5,
        now,
      ),
    ).toEqual({ action: 'retry', delayMs: 7000 });
    // An unreadable Retry-After falls back to the backoff (0.5 of the first ceiling, 500 ms).
    expect(decideUpstream({ status: 429, retryAfter: 'soon' }, 1, 0, retry, () => 0.5, now)).toEqual({
      action: 'retry',
      delayMs: 250,
    });
  });

  it('gives up when Retry-After reaches past the elapsed-time budget', () => {
    expect(decideUpstream({ status: 429, retryAfter: '120' }, 1, 0, retry)).toEqual({
      action: 'drop',
      reason: 'retries-exhausted',
    });
  });

  it('never retries a status OTLP calls permanent', () => {
    for (const status of [400, 401, 403, 404, 413, 500, 501])
      expect(decideUpstream({ status, retryAfter: undefined }, 1, 0, retry)).toEqual({
        action: 'drop',
        reason: 'rejected',
      });
  });

  it('backs off with full jitter below a ceiling that doubles up to maxDelayMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const d = decideUpstream({ error: 'ECONNREFUSED' }, attempt, 0, retry, () => r);
          const ceiling = Math.min(15_000, 500 * 2 ** (attempt - 1));
          expect(d.action).toBe('retry');
          if (d.action === 'retry') {
            expect(d.delayMs).toBeGreaterThanOrEqual(0);
            expect(d.delayMs).toBeLessThan(ceiling);
          }
        },
      ),
    );
    expect(decideUpstream({ error: 'ECONNREFUSED' }, 5, 0, retry)).toEqual({
      action: 'drop',
      reason: 'retries-exhausted',
    });
    expect(decideUpstream({ error: 'aborted' }, 1, 0, retry)).toEqual({ action: 'drop', reason: 'shutdown' });
  });
});
