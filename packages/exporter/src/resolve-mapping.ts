// Turns the `mapping` option (a path, a mapping object, or a compiled mapping) into a compiled
// mapping, at construction, with errors that say what to fix.

import { compileMapping, loadMapping } from '@otel-sentinel/mapping';
import type { CompiledMapping, MappingInput } from '@otel-sentinel/mapping';
import { exporterConfigError } from './errors.js';

export const MAPPING_ENV = 'OTEL_SENTINEL_MAPPING';

function isCompiled(m: unknown): m is CompiledMapping {
  return (
    typeof m === 'object' && m !== null && 'streams' in m && typeof (m as CompiledMapping).map === 'function'
  );
}

/**
 * Throws `MappingValidationError` (every problem, with file:line:col) for an invalid mapping,
 * `MappingCompileError` for an unset hash key, `ConfigError` when there is no mapping.
 */
export function resolveMapping(
  mapping: string | MappingInput | CompiledMapping | undefined,
  env: Readonly<Record<string, string | undefined>>,
): CompiledMapping {
  if (isCompiled(mapping)) return mapping;
  const source = mapping ?? env[MAPPING_ENV];
  if (source === undefined || source === '') {
    throw exporterConfigError(
      'mapping',
      `no mapping: pass a mapping file path or object, or set ${MAPPING_ENV} to the path of a mapping file`,
    );
  }
  return compileMapping(loadMapping(source, { env }), { env });
}
