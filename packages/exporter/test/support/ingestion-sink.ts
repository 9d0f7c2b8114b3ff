// A nock'ed Logs Ingestion endpoint that records every row it receives, per stream.
import { gunzipSync } from 'node:zlib';
import nock from 'nock';

export const ENDPOINT = 'https://sink-dce.westeurope-1.ingest.monitor.azure.com';
export const DCR = 'dcr-0123456789abcdef0123456789abcdef';

export interface Sink {
  readonly rows: Map<string, Record<string, unknown>[]>;
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

/** Answers every upload with `status` (204 by default) and records the rows. */
export function ingestionSink(status = 204): Sink {
  const rows = new Map<string, Record<string, unknown>[]>();
  let requests = 0;
  nock(ENDPOINT)
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
    get requests() {
      return requests;
    },
    all: () => [...rows.values()].flat(),
  };
}
