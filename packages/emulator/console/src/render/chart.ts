// Draws a time, bar or pie chart with Chart.js (its UMD build, served by the emulator). index.html
// loads it before anything else: once Monaco's AMD loader defines `define`, the UMD build would
// register itself as an AMD module instead of setting window.Chart. A time axis is linear in epoch
// milliseconds with UTC labels, so no date adapter is needed.

import type { QueryResult, Visualization } from '../api.js';
import { loadScript } from '../load-script.js';
import { chartData, type ChartData } from './chart-data.js';

/** The part of Chart.js's global the console uses. */
interface ChartConstructor {
  new (canvas: HTMLCanvasElement, config: unknown): { destroy(): void };
}

declare global {
  interface Window {
    Chart?: ChartConstructor;
  }
}

const CHART_SCRIPT = './vendor/chart.umd.min.js';

function utcLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function config(data: ChartData): unknown {
  const options =
    data.type === 'line'
      ? {
          parsing: false,
          scales: {
            y: { beginAtZero: true },
            x: {
              type: 'linear',
              ticks: { callback: (value: number) => utcLabel(value), maxRotation: 0 },
              title: { display: true, text: 'UTC' },
            },
          },
        }
      : data.type === 'bar'
        ? { scales: { y: { beginAtZero: true } } }
        : {};
  return {
    type: data.type,
    data: { labels: data.labels, datasets: data.datasets },
    options: { animation: false, maintainAspectRatio: false, ...options },
  };
}

async function draw(canvas: HTMLCanvasElement, box: HTMLElement, data: ChartData): Promise<void> {
  try {
    if (window.Chart === undefined) await loadScript(CHART_SCRIPT);
    const Chart = window.Chart;
    if (Chart === undefined) throw new Error('Chart.js loaded but defined no Chart');
    new Chart(canvas, config(data));
    box.dataset['ready'] = 'true';
  } catch (error: unknown) {
    box.dataset['ready'] = 'failed';
    box.textContent = `No chart: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * A box with `data-testid="chart"` (and `data-kind`, `data-series`, then `data-ready="true"`
 * once drawn), or undefined when the result cannot be drawn as asked.
 */
export function renderChart(result: QueryResult, visualization: Visualization): HTMLElement | undefined {
  const data = chartData(result, visualization);
  if (data === undefined) return undefined;
  const box = document.createElement('div');
  box.className = 'chart-wrap';
  box.dataset['testid'] = 'chart';
  box.dataset['kind'] = visualization.kind;
  box.dataset['series'] = String(data.datasets.length);
  const canvas = document.createElement('canvas');
  box.append(canvas);
  void draw(canvas, box, data);
  return box;
}
