// Sends spooled rows again through the same delivery pipeline the exporter uses: what
// `otel-sentinel replay <spool-dir>` runs. Delivered rows leave the spool; the rest stay.

import { defaultCredential } from './default-credential.js';
import type { TokenCredential } from '@azure/core-auth';
import type { LogsIngestionClientOptions } from '@azure/monitor-ingestion';
import type { Row } from '@otel-sentinel/mapping';
import { Delivery } from './delivery/delivery.js';
import { RetryPolicy } from './delivery/retry-policy.js';
import type { RetryOptions } from './delivery/retry-policy.js';
import { Uploader } from './delivery/uploader.js';
import type { StreamTarget, UndeliveredReason } from './row-batch.js';
import { replaySpool } from './spool/replay.js';
import type { ReplayResult } from './spool/replay.js';

export interface ReplayToSentinelOptions {
  /** The spool directory. */
  readonly directory: string;
  /** Default `new DefaultAzureCredential()` (the `AZURE_*` environment variables, …). */
  readonly credential?: TokenCredential;
  /** Token audience for sovereign clouds. Default `https://monitor.azure.com`. */
  readonly audience?: string;
  readonly retry?: RetryOptions;
  readonly clientOptions?: Omit<LogsIngestionClientOptions, 'audience' | 'retryOptions'>;
  /** Spool file name prefix. Default `sentinel-spool`. */
  readonly prefix?: string;
  /** Leave files modified within this many ms (a running exporter's). Default 0. */
  readonly minAgeMs?: number;
  /** Reasons to resend. Default all but `rejected` and `unrouted`. */
  readonly reasons?: readonly UndeliveredReason[];
  /** Count what would be sent; change nothing. */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

export function replayToSentinel(options: ReplayToSentinelOptions): Promise<ReplayResult> {
  const uploader = new Uploader({
    credential: options.credential ?? defaultCredential(process.env),
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
    ...(options.clientOptions !== undefined ? { clientOptions: options.clientOptions } : {}),
  });
  const policy = new RetryPolicy(options.retry);
  const deliver = async (target: StreamTarget, rows: readonly Row[]): Promise<readonly Row[]> => {
    const failed: Row[] = [];
    const delivery = new Delivery({
      uploader,
      policy,
      onUndelivered: (_target, undelivered) => {
        failed.push(...undelivered);
      },
    });
    await delivery.deliver({ target, rows, bytes: 0 }, options.signal);
    return failed;
  };
  return replaySpool({
    directory: options.directory,
    deliver,
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    ...(options.minAgeMs !== undefined ? { minAgeMs: options.minAgeMs } : {}),
    ...(options.reasons !== undefined ? { reasons: options.reasons } : {}),
    ...(options.dryRun !== undefined ? { dryRun: options.dryRun } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
}
