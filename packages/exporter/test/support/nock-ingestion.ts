// Test helpers: a fake Logs Ingestion endpoint on nock that records every request as the wire
// saw it (path, api-version, headers, gunzipped rows) and answers through a handler, and a fake
// TokenCredential that counts its calls.

import { gunzipSync } from 'node:zlib';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { Row } from '@otel-sentinel/mapping';
import nock from 'nock';
import type { StreamTarget } from '../../src/row-batch.js';

export const ENDPOINT = 'https://dce-test-a1b2.eastus-1.ingest.monitor.azure.com';
export const DCR_ID = 'dcr-00000000000000000000000000000001';
export const STREAM = 'Custom-SecurityEvents_CL';
export const TARGET: StreamTarget = Object.freeze({
  endpoint: ENDPOINT,
  dcrImmutableId: DCR_ID,
  stream: STREAM,
  table: 'SecurityEvents_CL',
});
/** A token no test output may ever contain. */
export const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOi.fake-bearer-token-7f3a9c.signature';

/** Returns a fixed token, counts calls and records the scopes asked for. */
export class FakeTokenCredential implements TokenCredential {
  calls = 0;
  readonly scopes: string[][] = [];
  constructor(private readonly token: string = TOKEN) {}
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    this.calls++;
    this.scopes.push(Array.isArray(scopes) ? scopes : [scopes]);
    if (options?.abortSignal?.aborted === true) return Promise.reject(namedError('AbortError', 'aborted'));
    return Promise.resolve({
      token: this.token,
      expiresOnTimestamp: Date.now() + 3_600_000,
      tokenType: 'Bearer',
    });
  }
}

/** Fails every getToken with the given error, like a broken identity. */
export class FailingTokenCredential implements TokenCredential {
  calls = 0;
  constructor(private readonly error: () => Error) {}
  getToken(): Promise<AccessToken | null> {
    this.calls++;
    return Promise.reject(this.error());
  }
}

export function namedError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, extra);
}

/** One request as it reached the endpoint. */
export interface IngestionRequest {
  /** 0-based arrival order. */
  readonly index: number;
  readonly method: string;
  /** Decoded path, e.g. `/dataCollectionRules/dcr-…/streams/Custom-…`. */
  readonly pathname: string;
  /** The query exactly as sent (the client percent-encodes the key: `api%2Dversion=…`). */
  readonly rawQuery: string;
  /** `api-version` after decoding the query. */
  readonly apiVersion: string | null;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body bytes as sent (gzip). */
  readonly body: Buffer;
  /** The body gunzipped and parsed. */
  readonly rows: Row[];
}

export type IngestionReply =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  | { readonly error: Error }
  /** Never answers (until the test's nock is cleaned up). */
  | { readonly hang: true };

export interface FakeIngestion {
  readonly requests: IngestionRequest[];
  /** All rows of the requests answered 204, in arrival order. */
  readonly accepted: Row[];
}

/**
 * Serves every POST to `endpoint` with `respond` (default: 204). Call `nock.cleanAll()` after
 * each test.
 */
export function fakeIngestion(
  respond: (request: IngestionRequest) => IngestionReply | Promise<IngestionReply> = () => ({ status: 204 }),
  endpoint: string = ENDPOINT,
): FakeIngestion {
  const requests: IngestionRequest[] = [];
  const accepted: Row[] = [];
  let lastSeen: IngestionRequest | undefined;
  const scope = nock(endpoint)
    .persist()
    .post(() => true)
    .query(true)
    .reply(async () => {
      const request = lastSeen;
      if (request === undefined) throw new Error('fakeIngestion: no request recorded');
      const reply = await respond(request);
      if ('error' in reply) throw reply.error; // nock destroys the request with it
      if ('hang' in reply) return new Promise<never>(() => undefined);
      if (reply.status === 204) accepted.push(...request.rows);
      return [reply.status, reply.body === undefined ? '' : JSON.stringify(reply.body), reply.headers ?? {}];
    });
  // nock emits 'request' with the raw body (hex for binary) synchronously just before it calls
  // the reply function, so the reply reads what this recorded.
  scope.on(
    'request',
    (req: { method: string; path: string; headers: Record<string, string> }, _i, body: string) => {
      const url = new URL(req.path, endpoint);
      const raw = Buffer.from(body, 'hex');
      lastSeen = {
        index: requests.length,
        method: req.method,
        pathname: decodeURIComponent(url.pathname),
        rawQuery: url.search.slice(1),
        apiVersion: url.searchParams.get('api-version'),
        headers: { ...req.headers },
        body: raw,
        rows: JSON.parse(gunzipSync(raw).toString('utf8')) as Row[],
      };
      requests.push(lastSeen);
    },
  );
  return { requests, accepted };
}

/** A service error answer: JSON body and the `x-ms-error-code` header, like the real service. */
export function serviceError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): IngestionReply {
  return {
    status,
    body: { error: { code, message } },
    headers: { 'content-type': 'application/json', 'x-ms-error-code': code, ...headers },
  };
}

/** An error like Node's for a reset connection. nock needs an Error instance: a plain object hangs the request. */
export function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** `count` rows of about `bytes` bytes of JSON each, numbered by `Seq`. */
export function makeRows(count: number, bytes = 120): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const base = { TimeGenerated: '2025-01-01T00:00:00.000Z', Seq: i, UserId: `user-${i % 97}`, Pad: '' };
    const pad = Math.max(0, bytes - Buffer.byteLength(JSON.stringify(base)));
    rows.push({ ...base, Pad: 'x'.repeat(pad) });
  }
  return rows;
}

/** The `Seq` numbers of rows made by makeRows. */
export function seqs(rows: readonly Row[]): number[] {
  return rows.map((r) => r.Seq as number);
}
