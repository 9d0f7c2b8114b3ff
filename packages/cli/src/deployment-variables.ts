// The variables a mapping needs only once something is sent: the endpoint and DCR id (unknown
// until the DCE and DCR are deployed) and hash keys. `validate` and `map` load a mapping without
// them, with one warning per unset variable; the exporter and the gateway still refuse to start.

import { DEPLOYMENT_PLACEHOLDERS, loadMappingFile } from '@otel-sentinel/mapping';
import type { LoadOptions, MappingProblem, ValidationResult } from '@otel-sentinel/mapping';

/** The warning for an unset endpoint or DCR id variable; `--require-env` makes it an error. */
export const W_DEPLOYMENT_VARIABLE_UNSET = 'W_DEPLOYMENT_VARIABLE_UNSET';

/** The mapping package's warning for an unset hash key (the exporter refuses to start without it). */
const W_HASH_KEY_UNSET = 'W_HASH_KEY_UNSET';

/** Where an unset variable can wait for deployment: the fields the loader can give placeholders. */
const DEPLOYMENT_FIELD = /(?:^|\.)(?:endpoint|dcrImmutableId)$/;
const UNSET_NAME = /environment variable ([A-Za-z_][A-Za-z0-9_]*) is not set/;

export interface DeferredLoad {
  /** The result; an unset endpoint or DCR id is a `W_DEPLOYMENT_VARIABLE_UNSET` warning in it. */
  readonly result: ValidationResult;
  /** The unset variables the exporter needs (endpoint, DCR id, hash keys), in file order, once each. */
  readonly unset: readonly string[];
}

/**
 * Loads `file` as the exporter would, except that an unset variable in an `endpoint` or
 * `dcrImmutableId` is a warning, not an error: the file may be fine while the shell is not ready.
 * Loaded a second time, with the connector's placeholders, only when such a variable is unset.
 */
export function loadBeforeDeployment(file: string, options: LoadOptions): DeferredLoad {
  const first = loadMappingFile(file, options);
  const deferred = first.problems.filter(
    (p) => p.code === 'E_UNSET_VARIABLE' && DEPLOYMENT_FIELD.test(p.path),
  );
  const result =
    deferred.length === 0
      ? first
      : withWarnings(loadMappingFile(file, { ...options, deploymentPlaceholders: true }), deferred);
  const unset: string[] = [];
  for (const p of result.problems) {
    const name = variableOf(p);
    if (name !== undefined && !unset.includes(name)) unset.push(name);
  }
  return { result, unset };
}

/** The problems with every unset variable the exporter needs made an error (`--require-env`). */
export function requiringEnv(problems: readonly MappingProblem[]): MappingProblem[] {
  return problems.map((p) => {
    if (p.code === W_DEPLOYMENT_VARIABLE_UNSET) {
      const name = variableOf(p) ?? 'its variable';
      return {
        ...p,
        severity: 'error',
        code: 'E_DEPLOYMENT_VARIABLE_UNSET',
        message: `${name} is not set, and the exporter and the gateway refuse to start without it: set it in the environment or in the --env-file file`,
      };
    }
    if (p.code === W_HASH_KEY_UNSET) return { ...p, severity: 'error', code: 'E_HASH_KEY_UNSET' };
    return p;
  });
}

/** Whether a stream's value is a placeholder for an unset variable (shown as "not set"). */
export function isPlaceholder(value: string): boolean {
  return value === DEPLOYMENT_PLACEHOLDERS.endpoint || value === DEPLOYMENT_PLACEHOLDERS.dcrImmutableId;
}

function withWarnings(result: ValidationResult, deferred: readonly MappingProblem[]): ValidationResult {
  const warnings = deferred.map((p): MappingProblem => {
    const name = UNSET_NAME.exec(p.message)?.[1] ?? 'its variable';
    return {
      ...p,
      severity: 'warning',
      code: W_DEPLOYMENT_VARIABLE_UNSET,
      message: `${name} is not set yet: the exporter and the gateway need it at start-up`,
    };
  });
  return { ...result, problems: [...warnings, ...result.problems] };
}

/** The variable an unset-variable problem names, for the summary line. */
function variableOf(p: MappingProblem): string | undefined {
  if (p.code === W_DEPLOYMENT_VARIABLE_UNSET)
    return /^([A-Za-z_][A-Za-z0-9_]*) is not set/.exec(p.message)?.[1];
  if (p.code === W_HASH_KEY_UNSET)
    return /environment variable ([A-Za-z_][A-Za-z0-9_]*)/.exec(p.message)?.[1];
  return undefined;
}
