// How a console result asks to be drawn. The KQL engine has no `render` operator (it draws
// nothing), so a trailing `| render <kind> [with (…)]` is taken off the query before it runs
// and kept as the visualization; a `summarize … by bin(<datetime>, …)` is a time chart too.

export type VisualizationKind = 'timechart' | 'barchart' | 'piechart' | 'table';

export interface Visualization {
  readonly kind: VisualizationKind;
  readonly x: string;
  readonly y: readonly string[];
  readonly series?: string;
}

/** What a trailing `render` asked for: the kind and its `with (…)` properties, lower-cased keys. */
export interface RenderRequest {
  readonly kind: VisualizationKind;
  readonly properties: ReadonlyMap<string, string>;
}

const RENDER = /\|\s*render\s+([A-Za-z]+)\s*(?:with\s*\(([^)]*)\))?\s*;?\s*$/;

/** Log Analytics' chart kinds, folded into the four the console draws. */
const KINDS: Readonly<Record<string, VisualizationKind>> = {
  timechart: 'timechart',
  linechart: 'timechart',
  areachart: 'timechart',
  stackedareachart: 'timechart',
  scatterchart: 'timechart',
  barchart: 'barchart',
  columnchart: 'barchart',
  piechart: 'piechart',
  table: 'table',
};

function properties(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (text ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out.set(pair.slice(0, eq).trim().toLowerCase(), pair.slice(eq + 1).trim());
  }
  return out;
}

/**
 * The query without its trailing `render`, and what the render asked for. The text before it is
 * left as written, so error positions still point into the user's query.
 */
export function takeRender(query: string): { query: string; render?: RenderRequest } {
  const match = RENDER.exec(query);
  const word = match?.[1]?.toLowerCase();
  if (match === null || word === undefined) return { query };
  const kind = KINDS[word] ?? 'table';
  return { query: query.slice(0, match.index), render: { kind, properties: properties(match[2]) } };
}

interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);

function chooseAxes(
  kind: VisualizationKind,
  columns: readonly ResultColumn[],
  props: ReadonlyMap<string, string>,
): Visualization | undefined {
  const byType = (test: (t: string) => boolean): ResultColumn[] => columns.filter((c) => test(c.type));
  const time = byType((t) => t === 'datetime')[0];
  const label = byType((t) => t === 'string')[0];
  const x =
    props.get('xcolumn') ?? (kind === 'timechart' ? (time ?? columns[0]) : (label ?? columns[0]))?.name;
  if (x === undefined) return undefined;
  const ycolumns = props
    .get('ycolumns')
    ?.split(',')
    .map((s) => s.trim());
  const numeric = byType((t) => NUMERIC.has(t)).map((c) => c.name);
  const y = (ycolumns ?? numeric).filter((name) => name !== x);
  const series =
    props.get('series') ??
    (kind === 'timechart' ? columns.find((c) => c.type === 'string' && c.name !== x)?.name : undefined);
  const chosen = kind === 'piechart' ? y.slice(0, 1) : y;
  return { kind, x, y: chosen, ...(series !== undefined ? { series } : {}) };
}

const BINNED_SUMMARIZE = /\bsummarize\b[\s\S]*\bby\b[\s\S]*\bbin\s*\(/i;

/**
 * The visualization of a result: the render's, or a time chart when the query summarizes by a
 * `bin(…)` and the result has a datetime and a number column; undefined otherwise.
 */
export function visualizationOf(
  query: string,
  render: RenderRequest | undefined,
  columns: readonly ResultColumn[],
): Visualization | undefined {
  if (render !== undefined) {
    if (render.kind === 'table') return { kind: 'table', x: columns[0]?.name ?? '', y: [] };
    return chooseAxes(render.kind, columns, render.properties);
  }
  const hasTime = columns.some((c) => c.type === 'datetime');
  const hasNumber = columns.some((c) => NUMERIC.has(c.type));
  if (!BINNED_SUMMARIZE.test(query) || !hasTime || !hasNumber) return undefined;
  return chooseAxes('timechart', columns, new Map());
}
