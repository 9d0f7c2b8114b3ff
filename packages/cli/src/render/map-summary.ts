// The counts `map` prints on stderr when the input is done.

import type { CompiledMapping, MappingStats } from '@otel-sentinel/mapping';

const TOP_NULLS = 5;

type Line = readonly [label: string, value: string];

export function renderMapSummary(compiled: CompiledMapping, stats: MappingStats): string {
  const lines: Line[] = [
    ['records read', String(stats.records)],
    ['rows written', String(stats.rows)],
    ...compiled.streams.map((s): Line => [
      `  ${s.stream} → ${s.table}`,
      String(stats.byStream[s.stream]?.rows ?? 0),
    ]),
    ['skipped (not security)', String(stats.skipped)],
    ['rejected', withParts(stats.rejected, Object.entries(stats.rejectedByCode))],
    ['unrouted', String(stats.unrouted)],
    ['truncated fields', String(stats.truncatedFields)],
    // Values replaced because of their attribute name (password, token, …) count as `sensitive-key`.
    [
      'redacted values',
      withParts(sumOf(stats.redactions) + stats.sensitiveKeyValues, [
        ...Object.entries(stats.redactions),
        ['sensitive-key', stats.sensitiveKeyValues],
      ]),
    ],
    ['sanitised values', String(stats.sanitizedValues)],
  ];
  if (stats.impreciseNumbers > 0)
    lines.push(['imprecise integers (beyond 2^53)', String(stats.impreciseNumbers)]);
  lines.push(...nullColumns(stats), ...mismatchedColumns(stats));
  const width = Math.max(...lines.map(([label]) => label.length));
  return `map summary:\n${lines.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`.trimEnd()).join('\n')}\n`;
}

function sumOf(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** `3 (E_REQUIRED_MISSING 2, E_ROW_TOO_LARGE 1)`: only the non-zero parts. */
function withParts(total: number, parts: readonly (readonly [string, number])[]): string {
  const shown = parts.filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
  return shown.length === 0 ? String(total) : `${total} (${shown.join(', ')})`;
}

/** Null column values in total, then the most frequent (column, reason) pairs. */
function nullColumns(stats: MappingStats): Line[] {
  const all: [string, number][] = [];
  for (const [column, reasons] of Object.entries(stats.nulls)) {
    for (const [reason, n] of Object.entries(reasons)) if (n > 0) all.push([`${column} (${reason})`, n]);
  }
  all.sort((a, b) => b[1] - a[1]);
  const lines: Line[] = [['null column values', String(all.reduce((sum, [, n]) => sum + n, 0))]];
  for (const [key, n] of all.slice(0, TOP_NULLS)) lines.push([`  ${key}`, String(n)]);
  if (all.length > TOP_NULLS) lines.push([`  … and ${all.length - TOP_NULLS} more`, '']);
  return lines;
}

/** Values that did not fit their column, per column: how many, and what became of them. */
function mismatchedColumns(stats: MappingStats): Line[] {
  const entries = Object.entries(stats.mismatches);
  if (entries.length === 0) return [];
  let total = 0;
  const lines: Line[] = [];
  for (const [column, m] of entries) {
    const n = m.kept + m.emptied + m.rejected;
    total += n;
    const what = withParts(n, [
      ['kept', m.kept],
      ['emptied', m.emptied],
      ['rejected', m.rejected],
    ]);
    lines.push([`  ${column} (${m.type}: ${Object.keys(m.reasons).join(', ')})`, what]);
  }
  return [['values that did not fit', String(total)], ...lines];
}
