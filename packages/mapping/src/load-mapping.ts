// The loader: reads mapping files (presets are read by presets.ts). Parses YAML or JSON with
// positions, interpolates environment variables, and validates, so every problem points at
// file:line:col.

import { readFileSync } from 'node:fs';
import { MappingValidationError } from './problems.js';
import { SHIPPED_PRESETS } from './presets.js';
import type { PresetCatalog } from './presets.js';
import { readYaml } from './read-yaml.js';
import type { LogRecordLike } from './log-record.js';
import type { MappingConfig, TransformChecker } from './types.js';
import { validateData, validateMapping } from './validate.js';
import type { ValidateOptions, ValidationResult } from './validate.js';

export interface LoadOptions {
  /** Environment for `${VAR}` interpolation and hash-key checks; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Checks each stream's `transformKql` in depth; see `ValidateOptions.checkTransform`. */
  readonly checkTransform?: TransformChecker;
  /** Records the app sends, to check column types against; see `ValidateOptions.samples`. */
  readonly samples?: readonly LogRecordLike[];
  /**
   * For tools that describe the Sentinel side before it is deployed (`otel-sentinel connector`):
   * an unset variable in `endpoint` or `dcrImmutableId` is not an error, the value becomes
   * `DEPLOYMENT_PLACEHOLDERS`' endpoint or DCR id. Default false: the exporter needs real values.
   */
  readonly deploymentPlaceholders?: boolean;
}

/** What `deploymentPlaceholders` puts in place of an endpoint or DCR id that is not known yet. */
export const DEPLOYMENT_PLACEHOLDERS = {
  endpoint: 'https://not-deployed-yet.invalid',
  dcrImmutableId: 'dcr-00000000000000000000000000000000',
} as const;

export interface ParseOptions extends LoadOptions {
  /** Name used in problems (`file:line:col`); default `<mapping>`. */
  readonly fileName?: string;
}

/** Parses and validates mapping text (YAML or JSON). Never throws for bad input: see `problems`. */
export function parseMapping(text: string, options: ParseOptions = {}): ValidationResult {
  return parseMappingWith(text, options, SHIPPED_PRESETS);
}

/** `parseMapping` with the presets `extends` may name taken from `presets` (tests use their own). */
export function parseMappingWith(
  text: string,
  options: ParseOptions,
  presets: PresetCatalog,
): ValidationResult {
  const file = options.fileName ?? '<mapping>';
  const env = options.env ?? process.env;
  const read = readYaml(text, file, {
    env,
    placeholders: options.deploymentPlaceholders === true ? DEPLOYMENT_PLACEHOLDERS : undefined,
  });
  if (!read.ok) return { problems: read.problems };
  return validateData(read.data, {
    file,
    locator: read.locator,
    env,
    earlier: read.early,
    checkTransform: options.checkTransform,
    samples: options.samples,
    presets,
  });
}

/** Reads and validates a mapping file. A missing or unreadable file is reported as a problem. */
export function loadMappingFile(path: string, options: LoadOptions = {}): ValidationResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    return {
      problems: [
        {
          severity: 'error',
          code: 'E_READ',
          message: `cannot read mapping file: ${reason}`,
          path: '',
          file: path,
          line: 0,
          column: 0,
        },
      ],
    };
  }
  return parseMapping(text, { ...options, fileName: path });
}

/**
 * A mapping ready to compile, from a file path or an in-memory object; throws
 * `MappingValidationError` (with every problem) when it has errors.
 */
export function loadMapping(
  mapping: string | object,
  options: LoadOptions & ValidateOptions = {},
): MappingConfig {
  const result =
    typeof mapping === 'string' ? loadMappingFile(mapping, options) : validateMapping(mapping, options);
  if (!result.config) throw new MappingValidationError(result.problems);
  return result.config;
}
