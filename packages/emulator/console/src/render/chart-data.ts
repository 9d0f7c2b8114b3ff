// Turns a result and its visualization into Chart.js datasets: a time chart's points are
// (epoch ms, number) per series, a bar chart's and a pie's are one value per label.

import type { QueryResult, Visualization } from '../api.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface ChartData {
  readonly type: 'line' | 'bar' | 'pie';
  /** For bar and pie charts: the category of each value. */
  readonly labels: readonly string[];
  readonly datasets: readonly { readonly label: string; readonly data: readonly (Point | number)[] }[];
}

function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' || typeof value === 'bigint') return Number(value);
  return Number.NaN;
}

function labelOf(value: unknown): string {
  if (value === null || value === undefined) return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function timeSeries(result: QueryResult, vis: Visualization, xi: number): ChartData {
  const si = vis.series === undefined ? -1 : result.columns.findIndex((c) => c.name === vis.series);
  const series = new Map<string, Point[]>();
  for (const row of result.rows) {
    const x = Date.parse(String(row[xi]));
    if (Number.isNaN(x)) continue;
    for (const yName of vis.y) {
      const yi = result.columns.findIndex((c) => c.name === yName);
      const key = si >= 0 ? labelOf(row[si]) + (vis.y.length > 1 ? ` ${yName}` : '') : yName;
      const points = series.get(key) ?? [];
      points.push({ x, y: numberOf(row[yi]) });
      series.set(key, points);
    }
  }
  const datasets = [...series].map(([label, points]) => ({
    label,
    data: points.sort((a, b) => a.x - b.x),
  }));
  return { type: 'line', labels: [], datasets };
}

function categories(result: QueryResult, vis: Visualization, xi: number): ChartData {
  const labels = result.rows.map((row) => labelOf(row[xi]));
  const ys = vis.kind === 'piechart' ? vis.y.slice(0, 1) : vis.y;
  const datasets = ys.map((yName) => {
    const yi = result.columns.findIndex((c) => c.name === yName);
    return { label: yName, data: result.rows.map((row) => numberOf(row[yi])) };
  });
  return { type: vis.kind === 'piechart' ? 'pie' : 'bar', labels, datasets };
}

/** The chart's data, or undefined when the result has no such x column or no value column. */
export function chartData(result: QueryResult, vis: Visualization): ChartData | undefined {
  const xi = result.columns.findIndex((c) => c.name === vis.x);
  if (xi < 0 || vis.y.length === 0 || vis.kind === 'table') return undefined;
  return vis.kind === 'timechart' ? timeSeries(result, vis, xi) : categories(result, vis, xi);
}
