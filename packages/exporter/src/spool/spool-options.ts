// The options of `Spool`, validated once at construction.

import { resolve } from 'node:path';
import { SpoolConfigError } from './spool-errors.ts';
import { DEFAULT_PREFIX, PREFIX_PATTERN } from './spool-files.ts';

const MIB = 1024 * 1024;

export interface SpoolOptions {
  /**
   * Directory of the spool files; created with mode 0700 on the first write. An existing
   * directory keeps its mode. The exporter takes it from `OTEL_SENTINEL_SPOOL_DIR` when its
   * `spool` option is not given. Example: `/var/lib/my-app/sentinel-spool`.
   */
  directory: string;
  /**
   * A file is sealed and a new one started when the next line would take it past this many
   * bytes (a single larger line gets a file of its own). Default 16 MiB. Example: `4_194_304`.
   */
  maxFileBytes?: number;
  /**
   * Upper bound of all spool files with this prefix in the directory, in bytes, counting files
   * already there. When it is reached, new entries are refused and counted (`E_SPOOL_FULL`);
   * older data is never deleted. Default 1 GiB. Example: `268_435_456`.
   */
  maxTotalBytes?: number;
  /**
   * File name prefix: letters, digits, `.`, `_`, `-`, starting with a letter or digit. Replay
   * looks for the same prefix. Default `sentinel-spool`. Example: `billing-api`.
   */
  prefix?: string;
}

export interface ResolvedSpoolOptions {
  readonly directory: string;
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
  readonly prefix: string;
}

/** Applies defaults; throws `SpoolConfigError` naming the field that cannot work. */
export function resolveSpoolOptions(options: SpoolOptions): ResolvedSpoolOptions {
  return {
    directory: checkDirectory(options.directory),
    maxFileBytes: positiveInteger('maxFileBytes', options.maxFileBytes, 16 * MIB, 'bytes'),
    maxTotalBytes: positiveInteger('maxTotalBytes', options.maxTotalBytes, 1024 * MIB, 'bytes'),
    prefix: checkPrefix(options.prefix),
  };
}

export function checkDirectory(directory: unknown): string {
  if (typeof directory !== 'string' || directory.trim() === '') {
    throw new SpoolConfigError('directory', 'must be a non-empty path');
  }
  return resolve(directory);
}

export function checkPrefix(prefix: string | undefined): string {
  const value = prefix ?? DEFAULT_PREFIX;
  if (!PREFIX_PATTERN.test(value)) {
    throw new SpoolConfigError(
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
    throw new SpoolConfigError(field, `must be a positive whole number of ${unit}, got ${String(value)}`);
  }
  return value;
}
