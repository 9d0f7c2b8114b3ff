// The `spool` option of the exporter: the spool directory and its store's bounds, validated once.

import { resolve } from 'node:path';
import { spoolConfigError } from './spool-errors.ts';
import { DEFAULT_PREFIX, PREFIX_PATTERN } from './spool-files.ts';

const MIB = 1024 * 1024;

export interface SpoolOptions {
  /**
   * The spool directory: the store `<prefix>.sqlite` (the write-ahead queue and the spool) lives
   * in it; created with mode 0700 when missing. An existing directory keeps its mode. The exporter
   * takes it from `OTEL_SENTINEL_SPOOL_DIR` when its `spool` option is not given. Example:
   * `/var/lib/my-app/sentinel-spool`.
   */
  directory: string;
  /**
   * Upper bound of the store's database file, in bytes. When it is reached, new entries are
   * refused and counted (`E_SPOOL_FULL`); stored data is never deleted to make room. At least
   * 256 KiB. Default 1 GiB. Example: `268_435_456`.
   */
  maxTotalBytes?: number;
  /**
   * Name of the store file (`<prefix>.sqlite`) and of the JSON-lines spool files of earlier
   * versions (`<prefix>-*.jsonl`) that replay imports: letters, digits, `.`, `_`, `-`, starting
   * with a letter or digit. Default `sentinel-spool`. Example: `billing-api`.
   */
  prefix?: string;
}

export interface ResolvedSpoolOptions {
  readonly directory: string;
  readonly maxTotalBytes: number;
  readonly prefix: string;
}

/** Applies defaults; throws `ConfigError` naming the option that cannot work. */
export function resolveSpoolOptions(options: SpoolOptions): ResolvedSpoolOptions {
  return {
    directory: checkDirectory(options.directory),
    maxTotalBytes: positiveInteger('maxTotalBytes', options.maxTotalBytes, 1024 * MIB, 'bytes'),
    prefix: checkPrefix(options.prefix),
  };
}

export function checkDirectory(directory: unknown): string {
  if (typeof directory !== 'string' || directory.trim() === '') {
    throw spoolConfigError('directory', 'must be a non-empty path');
  }
  return resolve(directory);
}

export function checkPrefix(prefix: string | undefined): string {
  const value = prefix ?? DEFAULT_PREFIX;
  if (!PREFIX_PATTERN.test(value)) {
    throw spoolConfigError(
      'prefix',
      'must be 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit',
    );
  }
  return value;
}

export function positiveInteger(
  field: string,
  value: number | undefined,
  fallback: number,
  unit: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw spoolConfigError(field, `must be a positive whole number of ${unit}, got ${String(value)}`);
  }
  return value;
}
