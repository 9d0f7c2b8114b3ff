// Draws a query result: a summary line, a chart when the result asks for one, then the grid.

import type { QueryResult, Visualization } from '../api.js';
import { renderChart } from './chart.js';
import { renderGrid } from './grid.js';

/** Replaces `el`'s content with the result; `visualization` overrides the result's own. */
export function renderResult(el: HTMLElement, result: QueryResult, visualization?: Visualization): void {
  const chosen = visualization ?? result.visualization;
  const box = document.createElement('div');
  box.className = 'result';
  const summary = document.createElement('div');
  summary.className = 'result-summary';
  summary.dataset['testid'] = 'result-summary';
  summary.textContent = `${result.rows.length} row${result.rows.length === 1 ? '' : 's'}`;
  box.append(summary);
  if (chosen && chosen.kind !== 'table') {
    const chart = renderChart(result, chosen);
    if (chart) box.append(chart);
  }
  box.append(renderGrid(result));
  el.replaceChildren(box);
}
