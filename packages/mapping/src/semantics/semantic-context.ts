// What the semantic checks share: the list they add problems to, and the settings a stream
// inherits from the top of the file.

import type { PathSegment } from '../problems.js';
import type { RawProblem } from '../structure-issues.js';
import type { DefaultsInput } from '../schema.js';
import type { ResolvedDefaults } from '../types.js';

export class Problems {
  readonly list: RawProblem[] = [];
  error(
    code: string,
    path: readonly PathSegment[],
    message: string,
    target: 'key' | 'value' = 'value',
  ): void {
    this.list.push({ code, path, message, target, severity: 'error' });
  }
  warn(code: string, path: readonly PathSegment[], message: string, target: 'key' | 'value' = 'value'): void {
    this.list.push({ code, path, message, target, severity: 'warning' });
  }
  info(code: string, path: readonly PathSegment[], message: string): void {
    this.list.push({ code, path, message, target: 'value', severity: 'info' });
  }
}

export interface SemanticContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly problems: Problems;
  readonly securityAttribute: string;
  readonly defaults: ResolvedDefaults;
  readonly endpoint: string | undefined;
  readonly dcrImmutableId: string | undefined;
  /** The preset the streams come from (`extends`), when the file gives none of its own. */
  readonly streamsFrom?: string;
  /** `solution.publisher` and `solution.name`: the defaults of a stream's ASIM vendor and product. */
  readonly solution?: { readonly publisher?: string | undefined; readonly name?: string | undefined };
}

/** `d` laid over `base`, key by key. */
export function resolveDefaults(base: ResolvedDefaults, d: DefaultsInput | undefined): ResolvedDefaults {
  if (!d) return base;
  return {
    maxFieldBytes: d.maxFieldBytes ?? base.maxFieldBytes,
    maxRowBytes: d.maxRowBytes ?? base.maxRowBytes,
    redact: (d.redact as ResolvedDefaults['redact'] | undefined) ?? base.redact,
    sanitize: d.sanitize ?? base.sanitize,
    hashKeyEnv: d.hashKeyEnv ?? base.hashKeyEnv,
    onMismatch: d.onMismatch ?? base.onMismatch,
  };
}
