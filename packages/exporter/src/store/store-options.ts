// The options of the spool directory's store, validated once when the store is made.

import { join } from 'node:path';
import { spoolConfigError } from '../spool/spool-errors.ts';
import { checkDirectory, checkPrefix, positiveInteger } from '../spool/spool-options.ts';
import type { StoreConfig } from './store-database.ts';
import type { OwnerRole, StoreDurability } from './store-types.ts';

const MIB = 1024 * 1024;
/** Room for the tables themselves and the reserve kept for moves to the spool. */
export const MIN_TOTAL_BYTES = 256 * 1024;

export interface DeliveryStoreOptions {
  /**
   * The spool directory; the store is `<directory>/<prefix>.sqlite` (with its `-wal` and `-shm`).
   * Created with mode 0700 when missing. Example: `/var/lib/my-app/sentinel-spool`.
   */
  readonly directory: string;
  /** File name prefix, as for the JSONL spool. Default `sentinel-spool`. Example: `billing-api`. */
  readonly prefix?: string;
  /**
   * Upper bound of the database file in bytes (its WAL, at most a few MiB after a checkpoint,
   * comes on top). When reached, new entries are refused and counted (`E_SPOOL_FULL`); nothing
   * stored is ever deleted to make room. At least 256 KiB. Default 1 GiB. Example: `268_435_456`.
   */
  readonly maxTotalBytes?: number;
  /** `disk`: every commit is fsynced. `memory`: only spool writes are. Default `disk`. */
  readonly durability?: StoreDurability;
  /** Who this owner is, for reports of ended owners. Default `exporter`. */
  readonly role?: OwnerRole;
  /**
   * An owner on another host (or whose process cannot be checked) whose heartbeat is older than
   * this is taken for ended and its queue taken over. Default 60 000 ms.
   */
  readonly staleOwnerMs?: number;
  /** How often this owner's heartbeat is written. Default 5000 ms. */
  readonly heartbeatMs?: number;
  /** How often ended owners are looked for after `open()`. Default 5000 ms. */
  readonly adoptionCheckMs?: number;
  /** How long a write waits for another process's transaction. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
}

export interface ResolvedStoreOptions {
  readonly config: StoreConfig;
  readonly prefix: string;
  readonly role: OwnerRole;
  readonly staleMs: number;
  readonly heartbeatMs: number;
  readonly adoptionCheckMs: number;
}

const ROLES: readonly OwnerRole[] = ['exporter', 'gateway', 'replay'];
const DURABILITIES: readonly StoreDurability[] = ['disk', 'memory'];

/** Applies defaults; throws `ConfigError` naming the option that cannot work. */
export function resolveStoreOptions(options: DeliveryStoreOptions): ResolvedStoreOptions {
  const directory = checkDirectory(options.directory);
  const prefix = checkPrefix(options.prefix);
  const maxTotalBytes = positiveInteger('maxTotalBytes', options.maxTotalBytes, 1024 * MIB, 'bytes');
  if (maxTotalBytes < MIN_TOTAL_BYTES) {
    throw spoolConfigError(
      'maxTotalBytes',
      `must be at least ${MIN_TOTAL_BYTES} bytes, got ${maxTotalBytes}`,
    );
  }
  const durability = options.durability ?? 'disk';
  if (!DURABILITIES.includes(durability)) {
    throw spoolConfigError('durability', `must be 'disk' or 'memory', got ${durability as string}`);
  }
  const role = options.role ?? 'exporter';
  if (!ROLES.includes(role)) throw spoolConfigError('role', `must be one of ${ROLES.join(', ')}`);
  const heartbeatMs = positiveInteger('heartbeatMs', options.heartbeatMs, 5000, 'milliseconds');
  const staleMs = positiveInteger('staleOwnerMs', options.staleOwnerMs, 60_000, 'milliseconds');
  if (staleMs <= heartbeatMs * 2) {
    throw spoolConfigError('staleOwnerMs', `must be more than twice heartbeatMs (${heartbeatMs})`);
  }
  return {
    config: {
      directory,
      path: join(directory, `${prefix}.sqlite`),
      maxTotalBytes,
      durability,
      busyTimeoutMs: positiveInteger('busyTimeoutMs', options.busyTimeoutMs, 5000, 'milliseconds'),
    },
    prefix,
    role,
    staleMs,
    heartbeatMs,
    adoptionCheckMs: positiveInteger('adoptionCheckMs', options.adoptionCheckMs, 5000, 'milliseconds'),
  };
}

/** The store file of a spool directory. */
export function storePath(directory: string, prefix?: string): string {
  return join(checkDirectory(directory), `${checkPrefix(prefix)}.sqlite`);
}
