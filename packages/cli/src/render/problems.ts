// Mapping problems as `file:line:col: severity: message` lines, errors first, and a count line.

import { formatProblem } from '@otel-sentinel/mapping';
import type { MappingProblem, ProblemSeverity } from '@otel-sentinel/mapping';
import { count } from '../output.js';
import type { Style } from '../output.js';

const RANK: Record<ProblemSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Errors, then warnings, then notes; file order within each (the sort is stable). */
export function bySeverity(problems: readonly MappingProblem[]): MappingProblem[] {
  return [...problems].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

export function problemLine(p: MappingProblem, style: Style): string {
  const text = formatProblem(p);
  if (p.severity === 'error') return style.red(text);
  if (p.severity === 'warning') return style.yellow(text);
  return style.dim(text);
}

/** `2 errors, 1 warning, 1 note`; only the non-zero parts, `no problems` when none. */
export function problemCounts(problems: readonly MappingProblem[]): string {
  const n = { error: 0, warning: 0, info: 0 };
  for (const p of problems) n[p.severity]++;
  const parts: string[] = [];
  if (n.error > 0) parts.push(count(n.error, 'error'));
  if (n.warning > 0) parts.push(count(n.warning, 'warning'));
  if (n.info > 0) parts.push(count(n.info, 'note'));
  return parts.length === 0 ? 'no problems' : parts.join(', ');
}

/** Every problem, one per line, then the count line. */
export function renderProblems(problems: readonly MappingProblem[], style: Style): string {
  const lines = bySeverity(problems).map((p) => problemLine(p, style));
  lines.push(problemCounts(problems));
  return `${lines.join('\n')}\n`;
}
