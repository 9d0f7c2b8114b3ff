// A nock'ed Logs Ingestion endpoint that records every row it receives, per stream.
import { gunzipSync } from 'node:zlib';
import nock from 'nock';

export const ENDPOINT = 'https://sink-dce.westeurope-1.ingest.monitor.azure.com';
export const DCR = 'dcr-0123456789abcdef0123456789abcdef';

export interface Sink {
  readonly rows: Map<string, Record<string, unknown>[]>;
  /** Each request body as the JSON text the client sent (ungzipped). */
  readonly texts: string[];
  readonly requests: number;
  all(): Record<string, unknown>[];
}

/** The rows of a request body, however nock hands it over (decoded JSON, hex of gzip, text). */
export function decodeBody(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  if (typeof body === 'string') {
    if (/^[0-9a-f]+$/i.test(body) && body.startsWith('1f8b')) {
      return JSON.parse(gunzipSync(Buffer.from(body, 'hex')).toString('utf8')) as Record<string, unknown>[];
    }
    return JSON.parse(body) as Record<string, unknown>[];
  }
  throw new Error(`unexpected request body: ${typeof body}`);
}

/** The JSON text of a request body, as sent: exact digits of every number, unlike its parsed rows. */
export function bodyText(body: unknown): string {
  if (typeof body !== 'string')
    throw new Error(`the request body was parsed before it could be read as text`);
  return /^[0-9a-f]+$/i.test(body) && body.startsWith('1f8b')
    ? gunzipSync(Buffer.from(body, 'hex')).toString('utf8')
    : body;
}

/** Answers every upload with `status` (204 by default) and records the rows. */
export function ingestionSink(status = 204): Sink {
  const rows = new Map<string, Record<string, unknown>[]>();
  const texts: string[] = [];
  let requests = 0;
  const scope = nock(ENDPOINT);
  // The reply callback gets the body parsed; the scope's request event gets it as it was sent.
  scope.on('request', (_req: unknown, _interceptor: unknown, body: string) => {
    texts.push(bodyText(body));
  });
  scope
    .persist()
    .post(/^\/dataCollectionRules\/[^/]+\/streams\/[^/?]+/)
    .reply(function (uri, body) {
      requests++;
      const stream = decodeURIComponent(/streams\/([^/?]+)/.exec(uri)?.[1] ?? '');
      const list = decodeBody(body);
      rows.set(stream, [...(rows.get(stream) ?? []), ...list]);
      return [status, ''];
    });
  return {
    rows,
    texts,
    get requests() {
      return requests;
    },
    all: () => [...rows.values()].flat(),
  };
}
