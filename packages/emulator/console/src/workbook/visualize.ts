// How a query item's result is drawn: the workbook's visualization name turned into the console's
// chart (x, y and series columns picked from the result's column types), tiles, or a table with a
// note when the chart cannot be drawn from these columns. Pure (no DOM).

/** A result's shape, as the console's query API answers it. */
export interface ResultShape {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly unknown[])[];
}

/** The same shape as the console's Visualization (api.ts), kept here so node tests can import it. */
export interface Chart {
  readonly kind: 'timechart' | 'barchart' | 'piechart' | 'table';
  readonly x: string;
  readonly y: readonly string[];
  readonly series?: string;
}

export type Drawing =
  { readonly draw: 'tiles' } | { readonly draw: 'result'; readonly chart: Chart; readonly note?: string };

const NUMERIC = new Set(['int', 'long', 'real', 'double', 'decimal']);
const TIME_CHARTS = new Set(['timechart', 'linechart', 'areachart', 'scatterchart']);
const BAR_CHARTS = new Set(['barchart', 'categoricalbar', 'unstackedbar', 'columnchart']);

const TABLE: Chart = { kind: 'table', x: '', y: [] };

export function chooseDrawing(visualization: string | undefined, result: ResultShape): Drawing {
  const name = (visualization ?? 'table').toLowerCase();
  if (name === 'tiles') return { draw: 'tiles' };
  if (name === 'table' || name === 'grid') return { draw: 'result', chart: TABLE };
  const chart = TIME_CHARTS.has(name)
    ? timeChart(result)
    : BAR_CHARTS.has(name)
      ? categoryChart('barchart', result)
      : name === 'piechart'
        ? categoryChart('piechart', result)
        : undefined;
  if (chart) return { draw: 'result', chart };
  const why =
    TIME_CHARTS.has(name) || BAR_CHARTS.has(name) || name === 'piechart'
      ? `the result has no ${TIME_CHARTS.has(name) ? 'datetime' : 'text'} column and number column to draw it from`
      : 'the console does not draw this visualization';
  return { draw: 'result', chart: TABLE, note: `${name} shown as a table: ${why}` };
}

function timeChart(result: ResultShape): Chart | undefined {
  const x = result.columns.find((c) => c.type === 'datetime')?.name;
  const y = result.columns.filter((c) => NUMERIC.has(c.type)).map((c) => c.name);
  if (x === undefined || y.length === 0) return undefined;
  const series = result.columns.find((c) => c.type === 'string')?.name;
  return series === undefined ? { kind: 'timechart', x, y } : { kind: 'timechart', x, y, series };
}

function categoryChart(kind: 'barchart' | 'piechart', result: ResultShape): Chart | undefined {
  const x = result.columns.find((c) => !NUMERIC.has(c.type))?.name;
  const y = result.columns.filter((c) => NUMERIC.has(c.type)).map((c) => c.name);
  if (x === undefined || y.length === 0) return undefined;
  return { kind, x, y: kind === 'piechart' ? y.slice(0, 1) : y };
}
