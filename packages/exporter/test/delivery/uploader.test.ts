import { inspect } from 'node:util';
import { LogsIngestionClient, isAggregateLogsUploadError } from '@azure/monitor-ingestion';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/delivery/classify-failure.js';
import { ConfigError } from '@otel-sentinel/mapping';
import { InvalidEndpointError, RequestTimeoutError } from '../../src/delivery/errors.js';
import { DEFAULT_MAX_CONCURRENCY, Uploader } from '../../src/delivery/uploader.js';
import {
  connectionReset,
  DCR_ID,
  ENDPOINT,
  FailingTokenCredential,
  FakeTokenCredential,
  fakeIngestion,
  makeRows,
  namedError,
  seqs,
  serviceError,
  STREAM,
  TARGET,
  TOKEN,
} from '../support/nock-ingestion.js';

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

/** Rows of ~1000 bytes: 2500 of them are ~2.5 MB, which the client sends as 3 requests. */
const BIG = makeRows(2_500, 1_000);
const jsonBytes = (rows: readonly object[]): number =>
  rows.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);

describe('Uploader against the real LogsIngestionClient', () => {
  it('posts to /dataCollectionRules/{dcr}/streams/{stream} with api-version 2023-01-01', async () => {
    const ingestion = fakeIngestion();
    const failures = await new Uploader({ credential: new FakeTokenCredential() }).upload(
      TARGET,
      makeRows(2),
    );
    expect(failures).toEqual([]);
    expect(ingestion.requests).toHaveLength(1);
    const [request] = ingestion.requests;
    expect(request?.method).toBe('POST');
    expect(request?.pathname).toBe(`/dataCollectionRules/${DCR_ID}/streams/${STREAM}`);
    expect(request?.apiVersion).toBe('2023-01-01');
    // The client percent-encodes the key; a strict server must decode query keys.
    expect(request?.rawQuery).toBe('api%2Dversion=2023-01-01');
  });

  it('sends the rows as gzipped JSON with the bearer token', async () => {
    const ingestion = fakeIngestion();
    const rows = makeRows(3);
    await new Uploader({ credential: new FakeTokenCredential() }).upload(TARGET, rows);
    const request = ingestion.requests[0];
    expect(request?.headers['content-encoding']).toBe('gzip');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect([...(request?.body.subarray(0, 2) ?? [])]).toEqual([0x1f, 0x8b]);
    expect(request?.rows).toEqual(rows);
  });

  it('fetches the token once per endpoint with the monitor.azure.com scope and reuses the client', async () => {
    fakeIngestion();
    const other = 'https://dce-other.westeurope-1.ingest.monitor.azure.com';
    const otherIngestion = fakeIngestion(undefined, other);
    const credential = new FakeTokenCredential();
    const uploader = new Uploader({ credential });
    await uploader.upload(TARGET, makeRows(1));
    await uploader.upload(TARGET, makeRows(1));
    expect(credential.calls).toBe(1);
    expect(credential.scopes).toEqual([['https://monitor.azure.com/.default']]);
    await uploader.upload({ ...TARGET, endpoint: other }, makeRows(1));
    expect(credential.calls).toBe(2);
    expect(otherIngestion.requests).toHaveLength(1);
  });

  it('asks for the audience scope of a sovereign cloud', async () => {
    fakeIngestion();
    const credential = new FakeTokenCredential();
    await new Uploader({ credential, audience: 'https://monitor.azure.us' }).upload(TARGET, makeRows(1));
    expect(credential.scopes).toEqual([['https://monitor.azure.us/.default']]);
  });

  it('splits more than 1,000,000 bytes of rows into several requests, in order', async () => {
    const ingestion = fakeIngestion();
    const failures = await new Uploader({ credential: new FakeTokenCredential() }).upload(TARGET, BIG);
    expect(failures).toEqual([]);
    expect(ingestion.requests.length).toBe(3);
    for (const request of ingestion.requests) expect(jsonBytes(request.rows)).toBeLessThan(1_000_000);
    const sent = ingestion.requests.flatMap((r) => seqs(r.rows)).sort((a, b) => a - b);
    expect(sent).toEqual(seqs(BIG));
  });

  it('sends a failing chunk once: the client retries nothing itself', async () => {
    const ingestion = fakeIngestion(() => serviceError(500, 'InternalServerError', 'oops'));
    const failures = await new Uploader({ credential: new FakeTokenCredential() }).upload(
      TARGET,
      makeRows(2),
    );
    expect(ingestion.requests).toHaveLength(1);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.cause).toMatchObject({
      name: 'RestError',
      statusCode: 500,
      code: 'InternalServerError',
    });
  });

  it('does not wait out a Retry-After itself', async () => {
    const ingestion = fakeIngestion(() =>
      serviceError(429, 'TooManyRequests', 'slow down', { 'Retry-After': '30' }),
    );
    const failures = await new Uploader({ credential: new FakeTokenCredential() }).upload(
      TARGET,
      makeRows(1),
    );
    expect(ingestion.requests).toHaveLength(1);
    expect(classifyFailure(failures[0]?.cause)).toMatchObject({ kind: 'throttled', retryAfterMs: 30_000 });
  });

  it('reports only the failed chunk of several, with its rows and the service error', async () => {
    const ingestion = fakeIngestion((request) =>
      seqs(request.rows).includes(1_500)
        ? serviceError(
            413,
            'ContentLengthLimitExceeded',
            'Maximum allowed content length: 1048576 bytes (1 MB).',
          )
        : { status: 204 },
    );
    const failures = await new Uploader({ credential: new FakeTokenCredential() }).upload(TARGET, BIG);
    const refused = ingestion.requests.find((r) => seqs(r.rows).includes(1_500));
    expect(failures).toHaveLength(1);
    expect(seqs(failures[0]?.rows ?? [])).toEqual(seqs(refused?.rows ?? []));
    expect(failures[0]?.rows[0]).toBe(BIG.find((r) => r.Seq === refused?.rows[0]?.Seq));
    expect(classifyFailure(failures[0]?.cause)).toEqual({
      kind: 'permanent',
      status: 413,
      code: 'ContentLengthLimitExceeded',
      summary: 'HTTP 413 ContentLengthLimitExceeded',
    });
    expect(ingestion.accepted.length + (failures[0]?.rows.length ?? 0)).toBe(BIG.length);
  });

  it('reports a reset connection as a failure of that chunk', async () => {
    fakeIngestion(() => ({ error: connectionReset() }));
    const failures = await new Uploader({ credential: new FakeTokenCredential() }).upload(
      TARGET,
      makeRows(2),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]?.cause).toMatchObject({ name: 'RestError', code: 'ECONNRESET' });
    expect(classifyFailure(failures[0]?.cause).kind).toBe('transient');
  });

  it('reports a credential failure as the cause, without sending anything', async () => {
    const ingestion = fakeIngestion();
    const credential = new FailingTokenCredential(() =>
      namedError('CredentialUnavailableError', 'no identity'),
    );
    const failures = await new Uploader({ credential }).upload(TARGET, makeRows(2));
    expect(ingestion.requests).toHaveLength(0);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.cause).toMatchObject({ name: 'CredentialUnavailableError' });
  });

  it('refuses an endpoint that is not https, without sending anything', async () => {
    const failures = await new Uploader({ credential: new FakeTokenCredential() }).upload(
      { ...TARGET, endpoint: 'http://user:pw@dce.example.com/path' },
      makeRows(2),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]?.cause).toBeInstanceOf(InvalidEndpointError);
    expect((failures[0]?.cause as Error).message).not.toContain('pw');
  });

  it('makes no request when the signal has already fired', async () => {
    const ingestion = fakeIngestion();
    const credential = new FakeTokenCredential();
    const failures = await new Uploader({ credential }).upload(TARGET, makeRows(2), AbortSignal.abort());
    expect(ingestion.requests).toHaveLength(0);
    expect(credential.calls).toBe(0);
    expect(classifyFailure(failures[0]?.cause).kind).toBe('aborted');
  });

  it('sends at most DEFAULT_MAX_CONCURRENCY (2) requests of one upload at once', async () => {
    // The first requests are held until a third arrives or a second has passed: with 2 at a time
    // the third only starts once one of them is answered, so no more than 2 are ever open.
    let open = 0;
    let mostOpen = 0;
    let third: () => void = () => undefined;
    const thirdArrived = new Promise<void>((resolve) => (third = resolve));
    const ingestion = fakeIngestion(async (request) => {
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      if (request.index >= 2) third();
      else await Promise.race([thirdArrived, new Promise((resolve) => setTimeout(resolve, 1000))]);
      open -= 1;
      return { status: 204 };
    });

    const failures = await new Uploader({ credential: new FakeTokenCredential() }).upload(TARGET, BIG);

    expect(failures).toEqual([]);
    expect(ingestion.requests).toHaveLength(3);
    expect(mostOpen).toBe(2);
    expect(DEFAULT_MAX_CONCURRENCY).toBe(2);
  });

  it('accounts for every chunk when aborted mid-upload: accepted, or reported as aborted', async () => {
    const controller = new AbortController();
    // The first chunk is accepted; shutdown begins while the second is in flight; the third has
    // not started yet.
    const ingestion = fakeIngestion((request) => {
      if (request.index === 0) return { status: 204 };
      controller.abort();
      return { hang: true };
    });
    const credential = new FakeTokenCredential();
    const uploader = new Uploader({ credential, maxConcurrency: 1 });
    const failures = await uploader.upload(TARGET, BIG, controller.signal);
    expect(ingestion.requests).toHaveLength(2);
    expect(failures).toHaveLength(2);
    expect(failures.every((f) => classifyFailure(f.cause).kind === 'aborted')).toBe(true);
    const failed = failures.flatMap((f) => f.rows);
    expect([...seqs(ingestion.accepted), ...seqs(failed)].sort((a, b) => a - b)).toEqual(seqs(BIG));
    expect(credential.calls).toBe(1);
  });

  it('aborts a request in flight', async () => {
    const controller = new AbortController();
    fakeIngestion(() => {
      controller.abort();
      return { hang: true };
    });
    const failures = await new Uploader({ credential: new FakeTokenCredential() }).upload(
      TARGET,
      makeRows(2),
      controller.signal,
    );
    expect(failures).toHaveLength(1);
    expect(classifyFailure(failures[0]?.cause, { signal: controller.signal }).kind).toBe('aborted');
    expect(failures[0]?.cause).toMatchObject({ name: 'AbortError' });
  });

  it('turns a request that never answers into a request timeout', async () => {
    fakeIngestion(() => ({ hang: true }));
    const uploader = new Uploader({ credential: new FakeTokenCredential(), requestTimeoutMs: 30 });
    const failures = await uploader.upload(TARGET, makeRows(2));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.cause).toBeInstanceOf(RequestTimeoutError);
    expect(classifyFailure(failures[0]?.cause).kind).toBe('transient');
  });

  it('bounds a token acquisition that never finishes by the same timeout', async () => {
    const ingestion = fakeIngestion();
    const credential = {
      getToken: (_scopes: string | string[], options?: { abortSignal?: AbortSignal }) =>
        new Promise<null>((_resolve, reject) => {
          options?.abortSignal?.addEventListener('abort', () => {
            reject(namedError('AbortError', 'token request aborted'));
          });
        }),
    };
    const failures = await new Uploader({ credential, requestTimeoutMs: 30 }).upload(TARGET, makeRows(2));
    expect(ingestion.requests).toHaveLength(0);
    expect(failures[0]?.cause).toBeInstanceOf(RequestTimeoutError);
  });

  it('keeps the token out of what a failure shows when inspected', async () => {
    fakeIngestion(() =>
      serviceError(403, 'OperationFailed', 'The authentication token provided does not have access'),
    );
    const failures = await new Uploader({ credential: new FakeTokenCredential() }).upload(
      TARGET,
      makeRows(1),
    );
    const cause = failures[0]?.cause;
    expect(inspect(cause, { depth: 8 })).not.toContain(TOKEN);
    expect(String(cause)).not.toContain(TOKEN);
    expect(JSON.stringify(classifyFailure(cause))).not.toContain(TOKEN);
  });

  it.each([
    [{ maxConcurrency: 0 }, 'maxConcurrency'],
    [{ maxConcurrency: 1.5 }, 'maxConcurrency'],
    [{ requestTimeoutMs: -1 }, 'requestTimeoutMs'],
  ])('rejects %j with an error naming %s', (options, option) => {
    expect(() => new Uploader({ credential: new FakeTokenCredential(), ...options })).toThrow(ConfigError);
    expect(() => new Uploader({ credential: new FakeTokenCredential(), ...options })).toThrow(
      expect.objectContaining({ code: 'E_DELIVERY_CONFIG', option }) as Error,
    );
    expect(() => new Uploader({ credential: new FakeTokenCredential(), ...options })).toThrow(
      new RegExp(`^${option} `),
    );
  });
});

describe('LogsIngestionClient 1.2.0 on its own (why the uploader works around it)', () => {
  it('reports nothing about chunks it never started once its abortSignal fires', async () => {
    const controller = new AbortController();
    const ingestion = fakeIngestion((request) => {
      if (request.index === 0) return { status: 204 };
      controller.abort();
      return { hang: true };
    });
    const client = new LogsIngestionClient(ENDPOINT, new FakeTokenCredential(), {
      retryOptions: { maxRetries: 0 },
    });
    const thrown = await client
      .upload(DCR_ID, STREAM, BIG, { abortSignal: controller.signal, maxConcurrency: 1 })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(ingestion.requests).toHaveLength(2);
    if (!isAggregateLogsUploadError(thrown)) throw new Error('expected an AggregateLogsUploadError');
    // Only the aborted second chunk is reported; the third chunk's rows are in neither list.
    const reported = thrown.errors.flatMap((e) => e.failedLogs).length;
    expect(ingestion.accepted.length + reported).toBeLessThan(BIG.length);
  });

  it('throws an AggregateLogsUploadError whose message is "undefined\\n}" even with onError set', async () => {
    fakeIngestion(() => serviceError(400, 'InvalidStream', 'bad'));
    const client = new LogsIngestionClient(ENDPOINT, new FakeTokenCredential(), {
      retryOptions: { maxRetries: 0 },
    });
    let onErrorCalls = 0;
    const thrown = await client
      .upload(DCR_ID, STREAM, makeRows(1), {
        onError: () => {
          onErrorCalls++;
        },
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(onErrorCalls).toBe(1);
    expect(isAggregateLogsUploadError(thrown)).toBe(true);
    expect((thrown as Error).message).toBe('undefined\n}');
  });
});
