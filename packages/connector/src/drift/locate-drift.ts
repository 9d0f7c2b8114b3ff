// Drift findings as problems at the mapping file's line and column, for reports made after
// the mapping was validated (the CLI's `check`, the exporter's start-up check).

import { formatPath, mappingLocations } from '@otel-sentinel/mapping';
import type { MappingProblem } from '@otel-sentinel/mapping';
import type { DriftFinding } from './find-drift.js';

export interface LocateOptions {
  /** How the report names the file (a path as the user gave it). */
  readonly fileName: string;
  /** Environment for `${VAR}` in the mapping, as it was loaded. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** `findings` at their `file:line:col` in `text`, the mapping's source. */
export function locateDrift(
  findings: readonly DriftFinding[],
  text: string,
  options: LocateOptions,
): MappingProblem[] {
  const at = mappingLocations(text, options);
  return findings.map((f) => {
    const pos = at.locate(f.path, f.target);
    return {
      severity: f.severity,
      code: f.code,
      message: f.message,
      path: formatPath(f.path),
      file: pos.file,
      line: pos.line,
      column: pos.column,
    };
  });
}
