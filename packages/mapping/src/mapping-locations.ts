// Where each part of a mapping file was written, for tools that report on a mapping after it
// validated (`otel-sentinel check`): the same positions validation problems carry, a preset's
// streams included.

import { applyExtends } from './apply-extends.js';
import { DEPLOYMENT_PLACEHOLDERS } from './load-mapping.js';
import type { PathSegment } from './problems.js';
import { SHIPPED_PRESETS } from './presets.js';
import { readYaml } from './read-yaml.js';

export interface MappingPosition {
  /** The mapping file's name as given, or `preset:<name>` for what a preset supplied. */
  readonly file: string;
  /** 1-based; 0 when the text could not be parsed. */
  readonly line: number;
  readonly column: number;
}

export interface MappingLocations {
  /**
   * The position of the value at `path` (e.g. `['streams', 0, 'columns', 'UserId', 'type']`), or
   * of its key with `target: 'key'`; the nearest written ancestor when the path was not written.
   */
  locate(path: readonly PathSegment[], target?: 'key' | 'value'): MappingPosition;
}

export interface LocationOptions {
  /** The name positions carry, e.g. `mapping.yaml`. */
  readonly fileName: string;
  /** Environment for `${VAR}` interpolation; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Positions in `text` (a mapping, YAML or JSON). Parse errors give positions at 0:0. */
export function mappingLocations(text: string, options: LocationOptions): MappingLocations {
  const env = options.env ?? process.env;
  const file = options.fileName;
  const read = readYaml(text, file, { env, placeholders: DEPLOYMENT_PLACEHOLDERS });
  if (!read.ok) return { locate: () => ({ file, line: 0, column: 0 }) };
  const { locator } = applyExtends({
    data: read.data,
    locator: read.locator,
    earlier: [],
    env,
    presets: SHIPPED_PRESETS,
  });
  return {
    locate(path, target) {
      const p = locator.locate(path, target);
      return { file: p.file ?? file, line: p.line, column: p.column };
    },
  };
}
