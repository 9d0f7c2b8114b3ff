// Turns the `spool` option into the spool directory's store (or none), checking at construction
// what `durability: 'disk'` needs: a directory this process can create and write, so an
// exporter that promises to keep rows on disk fails at start rather than at the first record.

import { accessSync, constants, mkdirSync } from 'node:fs';
import { exporterConfigError } from './errors.js';
import type { Durability } from './pipeline/pipeline-config.js';
import { createDeliveryStore } from './store/create-delivery-store.js';
import type { DeliveryStore, OwnerRole } from './store/store-types.js';
import type { SpoolOptions } from './spool/spool-options.js';
import { resolveSpoolOptions } from './spool/spool-options.js';

export const SPOOL_DIR_ENV = 'OTEL_SENTINEL_SPOOL_DIR';

export function spoolOptionsOf(
  option: string | SpoolOptions | false | undefined,
  env: Readonly<Record<string, string | undefined>>,
): SpoolOptions | undefined {
  if (option === false) return undefined;
  if (typeof option === 'string') return { directory: option };
  if (option !== undefined) return option;
  const dir = env[SPOOL_DIR_ENV];
  return dir !== undefined && dir !== '' ? { directory: dir } : undefined;
}

function systemCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'error';
}

/**
 * The store of the spool directory, or undefined without one. Throws `ConfigError` for
 * `durability: 'disk'` without a spool directory, or with one it cannot create or write.
 */
export function openSpoolStore(
  option: string | SpoolOptions | false | undefined,
  env: Readonly<Record<string, string | undefined>>,
  durability: Durability,
  role: OwnerRole,
): DeliveryStore | undefined {
  const options = spoolOptionsOf(option, env);
  if (options === undefined) {
    if (durability === 'disk')
      throw exporterConfigError(
        'durability',
        `'disk' keeps rows in the spool directory's write-ahead queue: give the spool option or set ${SPOOL_DIR_ENV}`,
      );
    return undefined;
  }
  const resolved = resolveSpoolOptions(options);
  if (durability === 'disk') {
    try {
      mkdirSync(resolved.directory, { recursive: true, mode: 0o700 });
      accessSync(resolved.directory, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw exporterConfigError(
        'spool',
        `cannot keep the write-ahead queue in ${resolved.directory} (${systemCode(error)}); give a directory on a ` +
          "writable, persistent volume, or durability 'memory'",
        { cause: error },
      );
    }
  }
  // In memory durability the heartbeat also records what is held in memory only, which the next
  // start reports as lost if this process crashes: once a second keeps that figure close.
  return createDeliveryStore({
    directory: resolved.directory,
    prefix: resolved.prefix,
    maxTotalBytes: resolved.maxTotalBytes,
    durability,
    role,
    ...(durability === 'memory' ? { heartbeatMs: 1000 } : {}),
  });
}
