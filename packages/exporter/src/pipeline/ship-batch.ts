// Ships one batch through `Delivery` (upload, retry the failed chunks, give up per the policy)
// and says which of its rows arrived and which did not, by position, with the reason for each
// group that did not. Knows nothing of the store or of settlements.

import type { Row } from '@otel-sentinel/mapping';
import { Delivery } from '../delivery/delivery.js';
import type { AttemptEvent } from '../delivery/delivery.js';
import type { RetryDecider } from '../delivery/retry-policy.js';
import type { RowUploader } from '../delivery/uploader.js';
import { indexByJson, jsonOf } from '../spool/undelivered-rows.js';
import type { UndeliveredReason } from '../row-batch.js';
import type { PipelineBatch } from './row-batcher.js';

export interface UndeliveredGroup {
  /** Positions in the batch. */
  readonly indexes: readonly number[];
  readonly reason: UndeliveredReason;
  /** The failure's summary, e.g. `HTTP 403 OperationFailed`: never a secret or a row value. */
  readonly detail: string;
}

export interface Shipped {
  readonly delivered: number;
  /** Every position not in a group was delivered. */
  readonly undelivered: readonly UndeliveredGroup[];
}

export interface ShipContext {
  readonly uploader: RowUploader;
  readonly policy: RetryDecider;
  readonly onAttempt: (event: AttemptEvent) => void;
}

interface Given {
  readonly rows: readonly Row[];
  readonly reason: UndeliveredReason;
  readonly detail: string;
}

export async function shipBatch(
  context: ShipContext,
  batch: PipelineBatch,
  signal: AbortSignal,
): Promise<Shipped> {
  const given: Given[] = [];
  const delivery = new Delivery({
    uploader: context.uploader,
    policy: context.policy,
    onUndelivered: (_target, rows, reason, failure) => {
      given.push({ rows, reason, detail: failure.summary });
    },
    onAttempt: context.onAttempt,
  });
  await delivery.deliver({ target: batch.target, rows: batch.rows, bytes: batch.bytes }, signal);
  if (given.length === 0) return { delivered: batch.rows.length, undelivered: [] };
  const groups = positionsOf(batch.rows, given);
  const undelivered = groups.reduce((n, g) => n + g.indexes.length, 0);
  return { delivered: batch.rows.length - undelivered, undelivered: groups };
}

/**
 * Finds the batch positions of the rows `Delivery` handed back. The client hands back the very
 * row objects it was given; a copy is matched by its JSON. A row that matches nothing means
 * the positions cannot be known: every position not yet accounted for is then taken as not
 * delivered, since a row sent twice is better than a row lost.
 */
function positionsOf(rows: readonly Row[], given: readonly Given[]): UndeliveredGroup[] {
  const byIdentity = new Map<Row, number>();
  rows.forEach((row, i) => byIdentity.set(row, i));
  const taken = new Set<number>();
  let byJson: Map<string, number[]> | undefined;
  const groups: UndeliveredGroup[] = [];
  for (const g of given) {
    const indexes: number[] = [];
    let unknown = false;
    for (const row of g.rows) {
      let i = byIdentity.get(row);
      if (i === undefined || taken.has(i)) {
        byJson ??= indexByJson(rows);
        i = byJson.get(jsonOf(row))?.find((c) => !taken.has(c));
      }
      if (i === undefined) {
        unknown = true;
        break;
      }
      taken.add(i);
      indexes.push(i);
    }
    if (unknown)
      for (let i = 0; i < rows.length; i++)
        if (!taken.has(i)) {
          taken.add(i);
          indexes.push(i);
        }
    if (indexes.length > 0) groups.push({ indexes, reason: g.reason, detail: g.detail });
  }
  return groups;
}
