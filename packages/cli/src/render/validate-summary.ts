// The one-screen summary `validate` prints for a valid mapping.

import type { ColumnConfig, MappingConfig, MappingProblem, StreamConfig } from '@otel-sentinel/mapping';
import type { Style } from '../output.js';
import { count } from '../output.js';
import { isPlaceholder } from '../deployment-variables.js';
import { columnFlags } from './column-flags.js';
import { matchInWords } from './match-words.js';
import { bySeverity, problemCounts, problemLine } from './problems.js';

/** An endpoint or DCR id whose variable is unset (its warning names the variable). */
const NOT_SET = '(not set yet)';

export function renderValidSummary(
  config: MappingConfig,
  file: string,
  problems: readonly MappingProblem[],
  style: Style,
): string {
  const columns = config.streams.reduce((n, s) => n + s.columns.length, 0);
  const out: string[] = [
    `${style.green(`${file} is valid`)}: ${count(config.streams.length, 'stream')}, ${count(columns, 'column')}`,
    `security attribute: ${config.securityAttribute} (the boolean true or the string "true" marks a security event)`,
  ];
  let inferred = false;
  for (const s of config.streams) {
    out.push('', ...streamBlock(s, style));
    inferred ||= s.columns.some((c) => c.typeInferred);
  }
  if (inferred) out.push('', style.dim('* type inferred from the source'));
  if (problems.length > 0) {
    out.push('', ...bySeverity(problems).map((p) => problemLine(p, style)), problemCounts(problems));
  }
  return `${out.join('\n')}\n`;
}

function streamBlock(s: StreamConfig, style: Style): string[] {
  return [
    style.bold(`${s.stream} → ${s.table}`),
    `  endpoint  ${isPlaceholder(s.endpoint) ? NOT_SET : hostOf(s.endpoint)}`,
    `  DCR       ${isPlaceholder(s.dcrImmutableId) ? NOT_SET : s.dcrImmutableId}`,
    `  match     ${matchInWords(s.match)}`,
    '',
    ...columnTable(s.columns, style),
  ];
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

function columnTable(columns: readonly ColumnConfig[], style: Style): string[] {
  const rows = columns.map(
    (c) => [c.name, c.typeInferred ? `${c.type}*` : c.type, c.sourceText, columnFlags(c)] as const,
  );
  const header = ['column', 'type', 'source', 'flags'] as const;
  const widths = [0, 1, 2].map((i) =>
    Math.max(header[i]?.length ?? 0, ...rows.map((r) => r[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')}`.trimEnd();
  return [style.dim(line(header)), ...rows.map(line)];
}
