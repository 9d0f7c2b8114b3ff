// Draws a query item's answer: tiles here, everything else through the console's shared
// renderResult (grid and chart) with the chart the workbook asked for, or a table and a note.

import type { ConsoleApi, QueryResult } from '../api.js';
import type { QueryItem } from './items.js';
import { tilesOf } from './tiles.js';
import { chooseDrawing } from './visualize.js';

export function drawQueryResult(
  el: HTMLElement,
  result: QueryResult,
  item: QueryItem,
  api: ConsoleApi,
): void {
  const drawing = chooseDrawing(item.visualization, result);
  if (drawing.draw === 'tiles') {
    el.replaceChildren(tilesElement(result, item.tileSettings));
    return;
  }
  const target = document.createElement('div');
  api.renderResult(target, result, drawing.chart);
  if (drawing.chart.kind !== 'table') foldRows(target);
  if (drawing.note === undefined) {
    el.replaceChildren(target);
    return;
  }
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = drawing.note;
  el.replaceChildren(note, target);
}

function tilesElement(result: QueryResult, tileSettings: unknown): HTMLElement {
  const box = document.createElement('div');
  box.className = 'workbook-tiles';
  box.dataset['testid'] = 'workbook-tiles';
  const tiles = tilesOf(result, tileSettings);
  for (const tile of tiles) {
    const el = document.createElement('div');
    el.className = 'workbook-tile';
    const title = document.createElement('div');
    title.className = 'tile-title';
    title.textContent = tile.title;
    el.append(title);
    for (const [cls, text] of [
      ['tile-subtitle', tile.subtitle],
      ['tile-value', tile.value],
    ] as const) {
      if (text === undefined) continue;
      const part = document.createElement('div');
      part.className = cls;
      part.textContent = text;
      el.append(part);
    }
    box.append(el);
  }
  if (tiles.length === 0) box.textContent = 'No rows.';
  return box;
}

/** Under a chart, the rows fold away as in Azure's workbooks: a "Rows" toggle shows them. */
function foldRows(el: HTMLElement): void {
  const grid = el.querySelector('.grid-wrap');
  if (!grid) return;
  const details = document.createElement('details');
  details.className = 'workbook-rows';
  const summary = document.createElement('summary');
  summary.textContent = 'Rows';
  grid.replaceWith(details);
  details.append(summary, grid);
}
