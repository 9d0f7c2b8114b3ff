// Problems found in a mapping file, with the position and path that let a user fix them, and
// the error classes the package throws. Codes are stable; messages say what to change.
import { OtelSentinelError } from './errors/otel-sentinel-error.js';

export type ProblemSeverity = 'error' | 'warning' | 'info';

export interface MappingProblem {
  readonly severity: ProblemSeverity;
  /** Stable code, e.g. `E_UNKNOWN_KEY`, `W_NO_CATCH_ALL`. */
  readonly code: string;
  readonly message: string;
  /** Path in the document, e.g. `streams[0].columns.UserId.type`; empty for the whole file. */
  readonly path: string;
  /** File name as given to the loader, or `<mapping>` for an in-memory object. */
  readonly file: string;
  /** 1-based; 0 when the position is not known (an in-memory object). */
  readonly line: number;
  readonly column: number;
}

export type PathSegment = string | number;

/** `['streams', 0, 'columns', 'UserId']` → `streams[0].columns.UserId`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `file:line:col: error: message` — the form editors and CI annotate. */
export function formatProblem(p: MappingProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  const at = p.path === '' ? '' : ` (at ${p.path})`;
  return `${where}: ${p.severity}: ${p.message}${at}`;
}

export function hasErrors(problems: readonly MappingProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Thrown when a mapping cannot be used; carries every problem found, not only the first. */
export class MappingValidationError extends OtelSentinelError {
  declare readonly code: 'E_MAPPING_INVALID';
  readonly problems: readonly MappingProblem[];

  /** `path`, `line` and `column` are those of the first error (the file when the position is unknown). */
  constructor(problems: readonly MappingProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    const first = errors.slice(0, 5).map(formatProblem).join('\n  ');
    const more = errors.length > 5 ? `\n  … and ${errors.length - 5} more` : '';
    super(
      'E_MAPPING_INVALID',
      `invalid mapping: ${errors.length} problem(s)\n  ${first}${more}`,
      whereOf(errors[0]),
    );
    this.problems = problems;
  }
}

function whereOf(p: MappingProblem | undefined): { path?: string; line?: number; column?: number } {
  if (p === undefined) return {};
  return p.line > 0 ? { path: p.file, line: p.line, column: p.column } : { path: p.file };
}

/** Thrown by `compileMapping` for problems only visible at compile time (e.g. a missing hash key). */
export class MappingCompileError extends OtelSentinelError {
  /** Where in the mapping, e.g. `streams[0].columns.SessionHash`. */
  declare readonly path: string;

  constructor(code: string, path: string, message: string) {
    super(code, message, { path });
  }
}
