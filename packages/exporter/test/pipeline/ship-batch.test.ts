// shipBatch says, by position, which rows of a batch did not arrive and why: it matches the rows
// the client hands back by identity, then by their JSON, and when a row matches nothing it takes
// every row not yet accounted for as undelivered (a row sent twice beats a row lost).
import type { Row } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import { RetryPolicy } from '../../src/delivery/retry-policy.js';
import type { ChunkFailure, RowUploader } from '../../src/delivery/uploader.js';
import { emptyBatch, NOT_STORED, pushRow } from '../../src/pipeline/row-batcher.js';
import type { PipelineBatch } from '../../src/pipeline/row-batcher.js';
import { shipBatch } from '../../src/pipeline/ship-batch.js';
import type { StreamTarget } from '../../src/row-batch.js';
import { namedError } from '../support/nock-ingestion.js';

const TARGET: StreamTarget = {
  endpoint: 'https://x',
  dcrImmutableId: 'dcr-x',
  stream: 'Custom-X',
  table: 'X_CL',
};

function forbidden(): Error {
  return namedError('RestError', 'status 403', { statusCode: 403, response: { status: 403, headers: {} } });
}

/** Answers the one upload with the chunks `failed` picks from the rows it is given. */
function uploader(failed: (rows: readonly Row[]) => readonly ChunkFailure[]): RowUploader {
  return { upload: (_target, rows) => Promise.resolve(failed(rows)) };
}

function batch(count: number): PipelineBatch {
  const b = emptyBatch(TARGET, 0);
  for (let i = 0; i < count; i++) pushRow(b, { Seq: i }, 10, NOT_STORED, undefined);
  return b;
}

const context = (u: RowUploader) => ({
  uploader: u,
  policy: new RetryPolicy({ maxAttempts: 1 }),
  onAttempt: () => undefined,
});

describe('shipBatch', () => {
  it('finds the rows handed back by identity', async () => {
    const b = batch(4);
    const shipped = await shipBatch(
      context(uploader((rows) => [{ rows: [rows[1] ?? {}, rows[3] ?? {}], cause: forbidden() }])),
      b,
      new AbortController().signal,
    );
    expect(shipped.delivered).toBe(2);
    expect(shipped.undelivered).toEqual([{ indexes: [1, 3], reason: 'permanent', detail: 'HTTP 403' }]);
  });

  it('finds copies of the rows handed back by their JSON', async () => {
    const shipped = await shipBatch(
      context(uploader(() => [{ rows: [{ Seq: 2 }], cause: forbidden() }])),
      batch(3),
      new AbortController().signal,
    );
    expect(shipped.undelivered.map((g) => g.indexes)).toEqual([[2]]);
  });

  it('takes every row as undelivered when one handed back matches none', async () => {
    const shipped = await shipBatch(
      context(uploader(() => [{ rows: [{ Seq: 99 }], cause: forbidden() }])),
      batch(3),
      new AbortController().signal,
    );
    expect(shipped.delivered).toBe(0);
    expect(shipped.undelivered.map((g) => g.indexes)).toEqual([[0, 1, 2]]);
  });

  it('takes the whole batch as undelivered when the uploader throws', async () => {
    const shipped = await shipBatch(
      context({ upload: () => Promise.reject(new Error('boom')) }),
      batch(2),
      new AbortController().signal,
    );
    expect(shipped.undelivered).toEqual([{ indexes: [0, 1], reason: 'retries-exhausted', detail: 'Error' }]);
  });
});
