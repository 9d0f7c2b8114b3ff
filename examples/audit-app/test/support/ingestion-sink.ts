// A nock'ed Logs Ingestion endpoint at the test DCE: it answers 204 and keeps the rows it got,
// per stream, so a test sees exactly what the app would have sent to Sentinel. No network.

import { gunzipSync } from 'node:zlib';
import nock from 'nock';
import { SENTINEL_ENV } from './sentinel-env.js';

export type Rows = Map<string, Record<string, unknown>[]>;

function rowsOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  if (typeof body !== 'string') throw new Error(`unexpected request body: ${typeof body}`);
  // nock hands a gzip body over as hex.
  const text = /^1f8b[0-9a-f]*$/i.test(body) ? gunzipSync(Buffer.from(body, 'hex')).toString('utf8') : body;
  return JSON.parse(text) as Record<string, unknown>[];
}

/** Intercepts uploads to `SENTINEL_DCE_ENDPOINT` until `nock.cleanAll()`. */
export function ingestionSink(): Rows {
  const rows: Rows = new Map();
  nock(SENTINEL_ENV.SENTINEL_DCE_ENDPOINT)
    .persist()
    .post(/^\/dataCollectionRules\/[^/]+\/streams\/[^/?]+/)
    .reply((uri, body) => {
      const stream = decodeURIComponent(/streams\/([^/?]+)/.exec(uri)?.[1] ?? '');
      rows.set(stream, [...(rows.get(stream) ?? []), ...rowsOf(body)]);
      return [204, ''];
    });
  return rows;
}
