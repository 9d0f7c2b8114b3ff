import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StreamTarget } from '../src/row-batch.js';
import { NOT_STORED, RowBatcher } from '../src/pipeline/row-batcher.js';
import type { PipelineBatch } from '../src/pipeline/row-batcher.js';
import { Settlement } from '../src/pipeline/settlement.js';

const A: StreamTarget = { endpoint: 'https://a', dcrImmutableId: 'dcr-a', stream: 'Custom-A', table: 'A_CL' };
const B: StreamTarget = { endpoint: 'https://a', dcrImmutableId: 'dcr-a', stream: 'Custom-B', table: 'B_CL' };

describe('cutting rows into batches per stream', () => {
  it('carries the queue id and the submission of each row and submission with it, in step with its row', () => {
    const b = new RowBatcher(1_000_000, 3);
    const s1 = new Settlement(2);
    const s2 = new Settlement(1);
    b.add(A, { n: 1 }, 1, 11, s1);
    b.add(A, { n: 2 }, 1, NOT_STORED, s2);
    const cut = b.add(A, { n: 3 }, 1, 13, s1);
    expect(cut?.rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(cut?.ids).toEqual([11, NOT_STORED, 13]);
    expect(cut?.settlements).toEqual([s1, s2, s1]);
    expect(cut?.stored).toBe(2);
  });

  it('cuts a batch before a row would take it over the byte limit', () => {
    const b = new RowBatcher(100, 1000);
    expect(b.add(A, { n: 1 }, 60, NOT_STORED, undefined)).toBeUndefined();
    const cut = b.add(A, { n: 2 }, 60, NOT_STORED, undefined);
    expect(cut?.rows).toEqual([{ n: 1 }]);
    expect(b.rows).toBe(1);
  });

  it('cuts at the row count, and keeps streams apart', () => {
    const b = new RowBatcher(1_000_000, 2);
    expect(b.add(A, { n: 1 }, 1, NOT_STORED, undefined)).toBeUndefined();
    expect(b.add(B, { n: 2 }, 1, NOT_STORED, undefined)).toBeUndefined();
    const cut = b.add(A, { n: 3 }, 1, NOT_STORED, undefined);
    expect(cut).toMatchObject({ target: A, rows: [{ n: 1 }, { n: 3 }], bytes: 2 });
    expect(b.takeOlderThan(0)).toMatchObject([{ target: B, rows: [{ n: 2 }], bytes: 1 }]);
  });

  it('sends a row larger than the limit on its own', () => {
    const b = new RowBatcher(100, 1000);
    const cut = b.add(A, { big: true }, 500, NOT_STORED, undefined);
    expect(cut?.rows).toEqual([{ big: true }]);
  });

  it('releases batches by age and says when the next is due', () => {
    let now = 1000;
    const b = new RowBatcher(1_000_000, 1000, () => now);
    b.add(A, { n: 1 }, 1, NOT_STORED, undefined);
    now = 1400;
    b.add(B, { n: 2 }, 1, NOT_STORED, undefined);
    expect(b.nextDue(1000)).toBe(600);
    now = 2000;
    expect(b.takeOlderThan(1000).map((x) => x.target.stream)).toEqual(['Custom-A']);
    expect(b.nextDue(1000)).toBe(400);
  });

  it('never loses or reorders a row, and never exceeds the limits with more than one row', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 300 })), { maxLength: 200 }),
        (items) => {
          const b = new RowBatcher(500, 7);
          const out: { stream: string; n: number; bytes: number; size: number; total: number }[] = [];
          const collect = (batch: PipelineBatch) => {
            batch.rows.forEach((r) =>
              out.push({
                stream: batch.target.stream,
                n: r.n as number,
                bytes: batch.bytes,
                size: batch.rows.length,
                total: 0,
              }),
            );
            if (batch.rows.length > 1) {
              expect(batch.rows.length).toBeLessThanOrEqual(7);
              expect(batch.bytes).toBeLessThanOrEqual(500);
            }
          };
          items.forEach(([isA, bytes], n) => {
            const cut = b.add(isA ? A : B, { n }, bytes, NOT_STORED, undefined);
            if (cut) collect(cut);
          });
          b.takeOlderThan(0).forEach(collect);
          expect(out.map((o) => o.n).sort((x, y) => x - y)).toEqual(items.map((_, n) => n));
          for (const s of ['Custom-A', 'Custom-B']) {
            const ns = out.filter((o) => o.stream === s).map((o) => o.n);
            expect(ns).toEqual([...ns].sort((x, y) => x - y));
          }
          expect(b.rows).toBe(0);
        },
      ),
    );
  });
});
