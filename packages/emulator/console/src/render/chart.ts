// Charts come in step 3 of the console work; until then a result with a chart shows the grid only.

import type { QueryResult, Visualization } from '../api.js';

/** A chart element for the result, or undefined when none can be drawn. */
export function renderChart(result: QueryResult, visualization: Visualization): HTMLElement | undefined {
  if (result.rows.length === 0 || visualization.y.length === 0) return undefined;
  return undefined;
}
