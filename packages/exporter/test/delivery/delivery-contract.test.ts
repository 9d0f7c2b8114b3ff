// Delivery with the real Uploader and LogsIngestionClient against a nock'ed endpoint: what the
// failure policy does on the wire.

import type { Row } from '@otel-sentinel/mapping';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Failure } from '../../src/delivery/classify-failure.js';
import { Delivery } from '../../src/delivery/delivery.js';
import type { AttemptEvent } from '../../src/delivery/delivery.js';
import { RetryPolicy } from '../../src/delivery/retry-policy.js';
import type { RetryOptions } from '../../src/delivery/retry-policy.js';
import { Uploader } from '../../src/delivery/uploader.js';
import type { UploaderOptions } from '../../src/delivery/uploader.js';
import type { UndeliveredReason } from '../../src/row-batch.js';
import {
  connectionReset,
  FailingTokenCredential,
  FakeTokenCredential,
  fakeIngestion,
  makeRows,
  namedError,
  seqs,
  serviceError,
  TARGET,
  TOKEN,
} from '../support/nock-ingestion.js';
import type { IngestionReply, IngestionRequest } from '../support/nock-ingestion.js';

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

interface Handed {
  rows: readonly Row[];
  reason: UndeliveredReason;
  failure: Failure;
}

interface Setup {
  retry?: RetryOptions;
  uploader?: Partial<UploaderOptions>;
  /** Use real timers instead of recording the waits. */
  realSleep?: boolean;
  signal?: AbortSignal;
}

/** Runs one batch through Delivery → Uploader → LogsIngestionClient → nock. */
async function deliver(
  rows: Row[],
  respond: (request: IngestionRequest) => IngestionReply,
  setup: Setup = {},
) {
  const ingestion = fakeIngestion(respond);
  const credential = new FakeTokenCredential();
  const handed: Handed[] = [];
  const events: AttemptEvent[] = [];
  const sleeps: number[] = [];
  const delivery = new Delivery({
    uploader: new Uploader({ credential, ...setup.uploader }),
    policy: new RetryPolicy({ initialDelayMs: 100, maxDelayMs: 400, ...setup.retry }, { random: () => 0.5 }),
    onUndelivered: (_target, undelivered, reason, failure) => {
      handed.push({ rows: undelivered, reason, failure });
    },
    onAttempt: (event) => events.push(event),
    ...(setup.realSleep === true
      ? {}
      : {
          sleep: (ms: number) => {
            sleeps.push(ms);
            return Promise.resolve();
          },
        }),
  });
  const result = await delivery.deliver({ target: TARGET, rows, bytes: 0 }, setup.signal);
  return {
    result,
    requests: ingestion.requests,
    accepted: ingestion.accepted,
    handed,
    events,
    sleeps,
    credential,
  };
}

/** Answers the requests in order with the given replies, then 204. */
function sequence(...replies: IngestionReply[]): (request: IngestionRequest) => IngestionReply {
  return (request) => replies[request.index] ?? { status: 204 };
}

const throttle = (headers: Record<string, string> = {}): IngestionReply =>
  serviceError(429, 'TooManyRequests', 'Too many requests', headers);

/** ~2.5 MB of rows: the client sends them as 3 requests. */
const BIG = makeRows(2_500, 1_000);

describe('Delivery over the Logs Ingestion API', () => {
  it('delivers a batch the service answers 204', async () => {
    const run = await deliver(makeRows(5), () => ({ status: 204 }));
    expect(run.result).toEqual({ delivered: 5, undelivered: 0, attempts: 1, retriesByCause: {} });
    expect(run.requests).toHaveLength(1);
    expect(run.accepted).toEqual(makeRows(5));
  });

  it('sends a 429 batch again after Retry-After seconds', async () => {
    const arrivals: number[] = [];
    const run = await deliver(
      makeRows(3),
      (request) => {
        arrivals.push(performance.now());
        return request.index === 0 ? throttle({ 'Retry-After': '1' }) : { status: 204 };
      },
      { realSleep: true },
    );
    expect(run.requests).toHaveLength(2);
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(950);
    expect(run.result).toEqual({
      delivered: 3,
      undelivered: 0,
      attempts: 2,
      retriesByCause: { 'HTTP 429 TooManyRequests': 1 },
    });
    expect(run.requests[1]?.rows).toEqual(makeRows(3));
  });

  it('waits exactly the retry-after-ms a 429 asks for', async () => {
    const run = await deliver(makeRows(1), sequence(throttle({ 'retry-after-ms': '1234' })));
    expect(run.sleeps).toEqual([1_234]);
    expect(run.result.delivered).toBe(1);
  });

  it('backs off and retries a 429 without Retry-After', async () => {
    const run = await deliver(makeRows(2), sequence(throttle(), throttle()));
    expect(run.requests).toHaveLength(3);
    expect(run.sleeps).toEqual([50, 100]); // full jitter at 0.5 of 100 ms, then of 200 ms
    expect(run.result).toMatchObject({ delivered: 2, retriesByCause: { 'HTTP 429 TooManyRequests': 2 } });
  });

  it('waits as told on a 503 with Retry-After, and backs off on one without', async () => {
    const run = await deliver(
      makeRows(2),
      sequence(
        serviceError(503, 'ServiceUnavailable', 'busy', { 'Retry-After': '2' }),
        serviceError(503, 'ServiceUnavailable', 'busy'),
      ),
    );
    expect(run.sleeps).toEqual([2_000, 100]);
    expect(run.result).toMatchObject({ delivered: 2, attempts: 3 });
  });

  it('retries a 500', async () => {
    const run = await deliver(makeRows(2), sequence(serviceError(500, 'InternalServerError', 'oops')));
    expect(run.requests).toHaveLength(2);
    expect(run.result).toMatchObject({ delivered: 2, retriesByCause: { 'HTTP 500 InternalServerError': 1 } });
  });

  it('retries a reset connection', async () => {
    const run = await deliver(makeRows(2), sequence({ error: connectionReset() }));
    expect(run.requests).toHaveLength(2);
    expect(run.result).toMatchObject({ delivered: 2, undelivered: 0, retriesByCause: { ECONNRESET: 1 } });
  });

  it('retries a request that never answers once it times out', async () => {
    const run = await deliver(makeRows(2), sequence({ hang: true }), { uploader: { requestTimeoutMs: 30 } });
    expect(run.requests).toHaveLength(2);
    expect(run.result).toMatchObject({ delivered: 2, retriesByCause: { 'request timeout': 1 } });
  });

  it('hands only the chunk refused with 413 over as permanent and delivers the others, each sent once', async () => {
    const run = await deliver(BIG, (request) =>
      seqs(request.rows).includes(1_200)
        ? serviceError(
            413,
            'ContentLengthLimitExceeded',
            'Maximum allowed content length: 1048576 bytes (1 MB).',
          )
        : { status: 204 },
    );
    expect(run.requests).toHaveLength(3);
    const refused = run.requests.find((r) => seqs(r.rows).includes(1_200));
    expect(run.handed).toHaveLength(1);
    expect(run.handed[0]?.reason).toBe('permanent');
    expect(run.handed[0]?.failure).toMatchObject({
      kind: 'permanent',
      status: 413,
      summary: 'HTTP 413 ContentLengthLimitExceeded',
    });
    expect(seqs(run.handed[0]?.rows ?? [])).toEqual(seqs(refused?.rows ?? []));
    expect(run.result).toMatchObject({
      delivered: BIG.length - (refused?.rows.length ?? 0),
      undelivered: refused?.rows.length,
      attempts: 1,
    });
    const sent = run.requests.flatMap((r) => seqs(r.rows));
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('sends only the chunk that failed transiently again, never the whole batch', async () => {
    let failedOnce = false;
    const run = await deliver(BIG, (request) => {
      if (!failedOnce && seqs(request.rows).includes(2_400)) {
        failedOnce = true;
        return serviceError(500, 'InternalServerError', 'oops');
      }
      return { status: 204 };
    });
    const failedChunk = run.requests.find((r) => seqs(r.rows).includes(2_400));
    expect(run.requests).toHaveLength(4);
    expect(seqs(run.requests[3]?.rows ?? [])).toEqual(seqs(failedChunk?.rows ?? []));
    expect(seqs(run.accepted).sort((a, b) => a - b)).toEqual(seqs(BIG));
    expect(run.result).toEqual({
      delivered: BIG.length,
      undelivered: 0,
      attempts: 2,
      retriesByCause: { 'HTTP 500 InternalServerError': 1 },
    });
  });

  it('hands a 403 over as permanent after one request', async () => {
    const run = await deliver(makeRows(2), () =>
      serviceError(
        403,
        'OperationFailed',
        "The authentication token provided does not have access to ingest data for the data collection rule with immutable Id 'dcr-…'",
      ),
    );
    expect(run.requests).toHaveLength(1);
    expect(run.handed).toEqual([
      {
        rows: makeRows(2),
        reason: 'permanent',
        failure: {
          kind: 'permanent',
          status: 403,
          code: 'OperationFailed',
          summary: 'HTTP 403 OperationFailed',
        },
      },
    ]);
  });

  it('hands a chunk over as retries-exhausted after maxAttempts requests', async () => {
    const run = await deliver(makeRows(2), () => serviceError(500, 'InternalServerError', 'oops'), {
      retry: { maxAttempts: 3 },
    });
    expect(run.requests).toHaveLength(3);
    expect(run.sleeps).toHaveLength(2);
    expect(run.handed.map((h) => h.reason)).toEqual(['retries-exhausted']);
    expect(run.result).toMatchObject({ delivered: 0, undelivered: 2, attempts: 3 });
  });

  it('gives up at once on a Retry-After longer than maxRetryAfterMs', async () => {
    const run = await deliver(makeRows(1), () => throttle({ 'Retry-After': '3600' }));
    expect(run.requests).toHaveLength(1);
    expect(run.handed[0]?.reason).toBe('retries-exhausted');
  });

  it('hands the rows over as shutdown when aborted during a Retry-After wait', async () => {
    const controller = new AbortController();
    const run = await deliver(
      makeRows(2),
      () => {
        setTimeout(() => {
          controller.abort();
        }, 20).unref();
        return throttle({ 'Retry-After': '30' });
      },
      { realSleep: true, signal: controller.signal },
    );
    expect(run.requests).toHaveLength(1);
    expect(run.handed).toEqual([
      { rows: makeRows(2), reason: 'shutdown', failure: { kind: 'aborted', summary: 'aborted' } },
    ]);
  });

  it('hands the rows over as shutdown when aborted while the request is in flight', async () => {
    const controller = new AbortController();
    const run = await deliver(
      makeRows(2),
      () => {
        controller.abort();
        return { hang: true };
      },
      { signal: controller.signal },
    );
    expect(run.requests).toHaveLength(1);
    expect(run.handed.map((h) => h.reason)).toEqual(['shutdown']);
    expect(run.result).toMatchObject({ delivered: 0, undelivered: 2 });
  });

  it('treats an invalid client secret as permanent and sends nothing', async () => {
    const ingestion = fakeIngestion();
    const credential = new FailingTokenCredential(() =>
      namedError(
        'AuthenticationRequiredError',
        `invalid_client: Error(s): 7000215 - Description: AADSTS7000215: Invalid client secret provided. ${TOKEN}`,
      ),
    );
    const handed: Handed[] = [];
    const delivery = new Delivery({
      uploader: new Uploader({ credential }),
      policy: new RetryPolicy(),
      onUndelivered: (_t, rows, reason, failure) => {
        handed.push({ rows, reason, failure });
      },
    });
    await delivery.deliver({ target: TARGET, rows: makeRows(2), bytes: 0 });
    expect(ingestion.requests).toHaveLength(0);
    expect(credential.calls).toBe(1);
    expect(handed.map((h) => [h.reason, h.failure.summary])).toEqual([
      ['permanent', 'AuthenticationRequiredError invalid_client'],
    ]);
  });

  it('retries while the token endpoint is unavailable', async () => {
    const ingestion = fakeIngestion();
    let calls = 0;
    const credential = {
      getToken: () =>
        ++calls === 1
          ? Promise.reject(namedError('CredentialUnavailableError', 'token endpoint down'))
          : Promise.resolve({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const delivery = new Delivery({
      uploader: new Uploader({ credential }),
      policy: new RetryPolicy({ initialDelayMs: 1 }),
      onUndelivered: () => undefined,
    });
    const result = await delivery.deliver({ target: TARGET, rows: makeRows(2), bytes: 0 });
    expect(result).toMatchObject({ delivered: 2, retriesByCause: { CredentialUnavailableError: 1 } });
    expect(ingestion.requests).toHaveLength(1);
  });

  it('never lets the token into a failure, an event or a result', async () => {
    const replies: IngestionReply[] = [
      throttle({ 'Retry-After': '0' }),
      serviceError(500, 'InternalServerError', `echo ${TOKEN}`),
      { error: Object.assign(new Error(`reset ${TOKEN}`), { code: 'ECONNRESET' }) },
      serviceError(401, 'InvalidAuthenticationToken', `Bearer ${TOKEN} rejected`),
    ];
    const run = await deliver(makeRows(2), sequence(...replies), { retry: { maxAttempts: 10 } });
    expect(run.requests).toHaveLength(4);
    expect(run.handed.map((h) => h.failure.summary)).toEqual(['HTTP 401 InvalidAuthenticationToken']);
    expect(JSON.stringify([run.result, run.handed.map((h) => h.failure), run.events])).not.toContain(TOKEN);
  });
});
