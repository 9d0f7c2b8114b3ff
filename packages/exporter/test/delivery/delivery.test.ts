import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '@otel-sentinel/mapping';
import type { Failure } from '../../src/delivery/classify-failure.js';
import { Delivery } from '../../src/delivery/delivery.js';
import type { AttemptEvent, DeliveryOptions } from '../../src/delivery/delivery.js';
import { RetryPolicy } from '../../src/delivery/retry-policy.js';
import type { RetryOptions } from '../../src/delivery/retry-policy.js';
import type { ChunkFailure, RowUploader } from '../../src/delivery/uploader.js';
import type { RowBatch, StreamTarget, UndeliveredReason } from '../../src/row-batch.js';
import { connectionReset, makeRows, namedError, seqs, TARGET } from '../support/nock-ingestion.js';

/** RestError-shaped cause with response headers. */
function httpError(statusCode: number, headers: Record<string, string> = {}, code?: string): Error {
  return namedError('RestError', `status ${statusCode}`, {
    statusCode,
    code,
    response: { status: statusCode, headers },
  });
}

type Respond = (
  rows: readonly Row[],
  call: number,
  signal: AbortSignal | undefined,
) => ChunkFailure[] | Promise<ChunkFailure[]>;

/** Records what it was asked to send and answers with `respond`. */
class FakeUploader implements RowUploader {
  readonly calls: Row[][] = [];
  constructor(private readonly respond: Respond = () => []) {}
  async upload(
    _target: StreamTarget,
    rows: readonly Row[],
    signal?: AbortSignal,
  ): Promise<readonly ChunkFailure[]> {
    this.calls.push(rows.slice());
    return this.respond(rows, this.calls.length, signal);
  }
}

interface Handed {
  rows: Row[];
  reason: UndeliveredReason;
  failure: Failure;
}

/** A Delivery on a fake clock: sleep advances the clock instantly and records the wait. */
function harness(uploader: RowUploader, retry: RetryOptions = {}, extra: Partial<DeliveryOptions> = {}) {
  let clock = 0;
  const sleeps: number[] = [];
  const handed: Handed[] = [];
  const events: AttemptEvent[] = [];
  const delivery = new Delivery({
    uploader,
    policy: new RetryPolicy({ initialDelayMs: 100, maxDelayMs: 1_000, ...retry }, { random: () => 0.5 }),
    onUndelivered: (_target, rows, reason, failure) => {
      handed.push({ rows: [...rows], reason, failure });
    },
    onAttempt: (event) => events.push(event),
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    ...extra,
  });
  return { delivery, sleeps, handed, events, advance: (ms: number) => (clock += ms) };
}

function batchOf(rows: Row[], target: StreamTarget = TARGET): RowBatch {
  return { target, rows, bytes: rows.length * 100 };
}

describe('Delivery', () => {
  it('delivers every row in one upload when the service accepts them', async () => {
    const uploader = new FakeUploader();
    const { delivery, handed, sleeps } = harness(uploader);
    const result = await delivery.deliver(batchOf(makeRows(10)));
    expect(result).toEqual({ delivered: 10, undelivered: 0, attempts: 1, retriesByCause: {} });
    expect(uploader.calls).toHaveLength(1);
    expect(handed).toEqual([]);
    expect(sleeps).toEqual([]);
  });

  it('makes no upload for an empty batch', async () => {
    const uploader = new FakeUploader();
    const { delivery } = harness(uploader);
    expect(await delivery.deliver(batchOf([]))).toEqual({
      delivered: 0,
      undelivered: 0,
      attempts: 0,
      retriesByCause: {},
    });
    expect(uploader.calls).toHaveLength(0);
  });

  it('sends only the rows of the failed chunk again', async () => {
    const rows = makeRows(9);
    const uploader = new FakeUploader((sent, call) =>
      call === 1 ? [{ rows: sent.slice(3, 6), cause: httpError(500) }] : [],
    );
    const { delivery, handed } = harness(uploader);
    const result = await delivery.deliver(batchOf(rows));
    expect(seqs(uploader.calls[1] ?? [])).toEqual([3, 4, 5]);
    expect(result).toEqual({ delivered: 9, undelivered: 0, attempts: 2, retriesByCause: { 'HTTP 500': 1 } });
    expect(handed).toEqual([]);
  });

  it('sends chunks that retry together in one round after the longest Retry-After', async () => {
    const rows = makeRows(9);
    const uploader = new FakeUploader((sent, call) =>
      call === 1
        ? [
            { rows: sent.slice(0, 3), cause: httpError(429, { 'retry-after': '2' }) },
            { rows: sent.slice(3, 6), cause: httpError(429, { 'retry-after': '5' }) },
            { rows: sent.slice(6, 9), cause: httpError(500) },
          ]
        : [],
    );
    const { delivery, sleeps } = harness(uploader);
    const result = await delivery.deliver(batchOf(rows));
    expect(sleeps).toEqual([5_000]);
    expect(uploader.calls).toHaveLength(2);
    expect(seqs(uploader.calls[1] ?? [])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.retriesByCause).toEqual({ 'HTTP 429': 2, 'HTTP 500': 1 });
  });

  it('hands a permanently failed chunk over at once while the others are retried', async () => {
    const rows = makeRows(6);
    const uploader = new FakeUploader((sent, call) =>
      call === 1
        ? [
            { rows: sent.slice(0, 2), cause: httpError(413, {}, 'ContentLengthLimitExceeded') },
            { rows: sent.slice(2, 4), cause: connectionReset() },
          ]
        : [],
    );
    const { delivery, handed } = harness(uploader);
    const result = await delivery.deliver(batchOf(rows));
    expect(handed).toHaveLength(1);
    expect(handed[0]).toMatchObject({
      reason: 'permanent',
      failure: { summary: 'HTTP 413 ContentLengthLimitExceeded' },
    });
    expect(seqs(handed[0]?.rows ?? [])).toEqual([0, 1]);
    expect(seqs(uploader.calls[1] ?? [])).toEqual([2, 3]);
    expect(result).toMatchObject({ delivered: 4, undelivered: 2, attempts: 2 });
  });

  it('gives up with retries-exhausted after maxAttempts rounds', async () => {
    const uploader = new FakeUploader((sent) => [{ rows: sent.slice(), cause: httpError(503) }]);
    const { delivery, handed, sleeps } = harness(uploader, { maxAttempts: 4 });
    const result = await delivery.deliver(batchOf(makeRows(3)));
    expect(uploader.calls).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    expect(handed).toEqual([
      {
        rows: makeRows(3),
        reason: 'retries-exhausted',
        failure: expect.objectContaining({ summary: 'HTTP 503' }),
      },
    ]);
    expect(result).toEqual({ delivered: 0, undelivered: 3, attempts: 4, retriesByCause: { 'HTTP 503': 3 } });
  });

  it('gives up when the elapsed budget runs out, counting from the first attempt', async () => {
    let advance: (ms: number) => void = () => undefined;
    const uploader = new FakeUploader((sent) => {
      advance(400); // every upload takes 400 ms
      return [{ rows: sent.slice(), cause: httpError(429, { 'retry-after-ms': '300' }) }];
    });
    const h = harness(uploader, { maxAttempts: 100, maxElapsedMs: 2_000 });
    advance = h.advance;
    await h.delivery.deliver(batchOf(makeRows(1)));
    // 400 + 300 + 400 + 300 + 400 = 1800; another 300 ms wait would pass 2000.
    expect(h.sleeps).toEqual([300, 300]);
    expect(h.handed[0]?.reason).toBe('retries-exhausted');
  });

  it('hands the pending rows over as shutdown when aborted during the wait', async () => {
    const controller = new AbortController();
    const uploader = new FakeUploader((sent) => [{ rows: sent.slice(1), cause: httpError(500) }]);
    const h = harness(
      uploader,
      {},
      {
        sleep: () => {
          controller.abort();
          return Promise.resolve();
        },
      },
    );
    const result = await h.delivery.deliver(batchOf(makeRows(4)), controller.signal);
    expect(uploader.calls).toHaveLength(1);
    expect(h.handed).toEqual([
      { rows: makeRows(4).slice(1), reason: 'shutdown', failure: { kind: 'aborted', summary: 'aborted' } },
    ]);
    expect(result).toMatchObject({ delivered: 1, undelivered: 3 });
  });

  it('treats chunks that fail while the signal is firing as shutdown, whatever the error', async () => {
    const controller = new AbortController();
    const uploader = new FakeUploader((sent) => {
      controller.abort();
      return [{ rows: sent.slice(), cause: httpError(500) }];
    });
    const h = harness(uploader);
    await h.delivery.deliver(batchOf(makeRows(2)), controller.signal);
    expect(h.handed.map((x) => x.reason)).toEqual(['shutdown']);
    expect(uploader.calls).toHaveLength(1);
  });

  it('makes no upload when the signal has already fired', async () => {
    const uploader = new FakeUploader();
    const h = harness(uploader);
    const result = await h.delivery.deliver(batchOf(makeRows(2)), AbortSignal.abort());
    expect(uploader.calls).toHaveLength(0);
    expect(h.handed.map((x) => x.reason)).toEqual(['shutdown']);
    expect(result).toEqual({ delivered: 0, undelivered: 2, attempts: 0, retriesByCause: {} });
  });

  it('treats an uploader that rejects as a failure of every row', async () => {
    const uploader = new FakeUploader((_sent, call) => (call === 1 ? Promise.reject(connectionReset()) : []));
    const h = harness(uploader);
    const result = await h.delivery.deliver(batchOf(makeRows(3)));
    expect(uploader.calls).toHaveLength(2);
    expect(result).toMatchObject({ delivered: 3, undelivered: 0, retriesByCause: { ECONNRESET: 1 } });
  });

  it('still resolves and counts the rows when onUndelivered throws', async () => {
    const uploader = new FakeUploader((sent) => [{ rows: sent.slice(), cause: httpError(400) }]);
    const h = harness(uploader, {}, { onUndelivered: () => Promise.reject(new Error('disk full')) });
    await expect(h.delivery.deliver(batchOf(makeRows(2)))).resolves.toMatchObject({
      delivered: 0,
      undelivered: 2,
    });
  });

  it('still resolves when the onAttempt listener throws', async () => {
    const h = harness(
      new FakeUploader(),
      {},
      {
        onAttempt: () => {
          throw new Error('metrics broke');
        },
      },
    );
    await expect(h.delivery.deliver(batchOf(makeRows(2)))).resolves.toMatchObject({ delivered: 2 });
  });

  it('reports delivered rows, retried chunks and given-up chunks to onAttempt', async () => {
    const uploader = new FakeUploader((sent, call) =>
      call === 1
        ? [
            { rows: sent.slice(0, 1), cause: httpError(429, { 'retry-after': '1' }) },
            { rows: sent.slice(1, 3), cause: httpError(403, {}, 'OperationFailed') },
          ]
        : [],
    );
    const h = harness(uploader);
    await h.delivery.deliver(batchOf(makeRows(5)));
    expect(
      h.events.map(({ rows, attempt, failure, delayMs }) => ({
        rows,
        attempt,
        summary: failure?.summary,
        delayMs,
      })),
    ).toEqual([
      { rows: 2, attempt: 1, summary: undefined, delayMs: undefined },
      { rows: 2, attempt: 1, summary: 'HTTP 403 OperationFailed', delayMs: undefined },
      { rows: 1, attempt: 1, summary: 'HTTP 429', delayMs: 1_000 },
      { rows: 1, attempt: 2, summary: undefined, delayMs: undefined },
    ]);
    expect(h.events.every((e) => e.target === TARGET && typeof e.durationMs === 'number')).toBe(true);
  });

  it('ends every row delivered or handed over exactly once, and never sends a row again once it is settled', async () => {
    const outcome = fc.constantFrom(
      'ok',
      'ok',
      'throttled',
      'throttled-long',
      'server',
      'reset',
      'forbidden',
      'too-large',
      'credential',
      'bad-secret',
      'abort-error',
      'reject',
    );
    type Outcome = typeof outcome extends fc.Arbitrary<infer T> ? T : never;
    const causeOf = (o: Exclude<Outcome, 'ok' | 'reject'>): unknown => {
      switch (o) {
        case 'throttled':
          return httpError(429, { 'retry-after-ms': '20' });
        case 'throttled-long':
          return httpError(503, { 'retry-after': '3600' });
        case 'server':
          return httpError(500);
        case 'reset':
          return connectionReset();
        case 'forbidden':
          return httpError(403, {}, 'OperationFailed');
        case 'too-large':
          return httpError(413, {}, 'ContentLengthLimitExceeded');
        case 'credential':
          return namedError('CredentialUnavailableError', 'imds down');
        case 'bad-secret':
          return namedError('AuthenticationRequiredError', 'invalid_client: AADSTS7000215');
        case 'abort-error':
          return namedError('AbortError', 'aborted');
      }
    };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 8 }),
        fc.array(outcome, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.option(fc.integer({ min: 1, max: 6 })),
        fc.option(fc.integer({ min: 1, max: 4 })),
        async (count, chunkSizes, outcomes, maxAttempts, abortAtCall, abortAtSleep) => {
          const rows = makeRows(count, 60);
          const controller = new AbortController();
          const accepted: Row[] = [];
          const settled = new Set<Row>();
          let next = 0;
          let sleepsSoFar = 0;
          let protocolViolation = false;
          const uploader = new FakeUploader((sent, call) => {
            for (const row of sent) if (settled.has(row)) protocolViolation = true;
            if (call === abortAtCall) controller.abort();
            const chunks: { rows: Row[]; o: Outcome }[] = [];
            for (let offset = 0, i = 0; offset < sent.length; i++) {
              const size = chunkSizes[i % chunkSizes.length] ?? 1;
              chunks.push({
                rows: sent.slice(offset, offset + size),
                o: outcomes[next++ % outcomes.length] ?? 'ok',
              });
              offset += size;
            }
            // An uploader that breaks its promise and rejects: nothing of this call was accepted.
            if (chunks.some((c) => c.o === 'reject')) return Promise.reject(new Error('uploader bug'));
            const failures: ChunkFailure[] = [];
            for (const { rows: chunk, o } of chunks) {
              if (o === 'reject') continue;
              if (o === 'ok') {
                accepted.push(...chunk);
                for (const row of chunk) settled.add(row);
              } else failures.push({ rows: chunk, cause: causeOf(o) });
            }
            return failures;
          });
          const handed: Handed[] = [];
          const delivery = new Delivery({
            uploader,
            policy: new RetryPolicy({
              maxAttempts,
              initialDelayMs: 10,
              maxDelayMs: 40,
              maxRetryAfterMs: 1_000,
            }),
            onUndelivered: async (_t, handedRows, reason, failure) => {
              await Promise.resolve();
              for (const row of handedRows) settled.add(row);
              handed.push({ rows: [...handedRows], reason, failure });
            },
            sleep: () => {
              if (++sleepsSoFar === abortAtSleep) controller.abort();
              return Promise.resolve();
            },
          });

          const result = await delivery.deliver(batchOf(rows), controller.signal);

          const undelivered = handed.flatMap((h) => h.rows);
          expect(protocolViolation).toBe(false);
          expect(result.delivered).toBe(accepted.length);
          expect(result.undelivered).toBe(undelivered.length);
          expect(seqs([...accepted, ...undelivered]).sort((a, b) => a - b)).toEqual(seqs(rows));
          expect(result.attempts).toBeLessThanOrEqual(maxAttempts);
          for (const h of handed) {
            if (h.reason === 'permanent') expect(h.failure.kind).toBe('permanent');
            if (h.reason === 'shutdown') expect(h.failure.kind).toBe('aborted');
            if (h.reason === 'retries-exhausted')
              expect(['throttled', 'transient']).toContain(h.failure.kind);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
