// The query tab: the tables and functions on the left, the KQL editor with a Run button
// (Shift+Enter too) and a time range, then the result's chart and typed grid.

import { ConsoleApiError, type ConsoleApi } from '../api.js';
import { createQueryEditor, type QueryEditor } from '../editor/kusto-editor.js';
import { fillSidebar, isTablesAnswer, type TablesAnswer } from '../editor/sidebar.js';

const TIME_RANGES: readonly (readonly [label: string, timespan: string])[] = [
  ['Set in query', ''],
  ['Last hour', 'PT1H'],
  ['Last 24 hours', 'P1D'],
  ['Last 7 days', 'P7D'],
  ['Last 30 days', 'P30D'],
];

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  testid: string,
  className = '',
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.dataset['testid'] = testid;
  if (className !== '') el.className = className;
  return el;
}

function timeSelect(): HTMLSelectElement {
  const select = element('select', 'timespan');
  for (const [label, value] of TIME_RANGES) select.append(new Option(label, value));
  return select;
}

/** The first table holding rows, as a starting query; `print` when the store is empty. */
function firstQuery(tables: TablesAnswer['tables']): string {
  const table = tables.find((t) => t.rows > 0) ?? tables[0];
  return table === undefined ? 'print Now = now()' : `${table.name}\n| take 100`;
}

function showError(el: HTMLElement, error: unknown): void {
  el.hidden = false;
  if (error instanceof ConsoleApiError) {
    const where = error.line === undefined ? '' : ` (line ${error.line}, column ${error.col ?? '?'})`;
    el.textContent = `${error.code}: ${error.message.includes('(line ') ? error.message : error.message + where}`;
    el.dataset['code'] = error.code;
    if (error.line !== undefined) el.dataset['line'] = String(error.line);
    if (error.col !== undefined) el.dataset['col'] = String(error.col);
  } else {
    el.textContent = error instanceof Error ? error.message : String(error);
    el.dataset['code'] = 'Network';
  }
}

interface QueryParts {
  readonly run: HTMLButtonElement;
  readonly timespan: HTMLSelectElement;
  readonly error: HTMLElement;
  readonly results: HTMLElement;
}

async function runOnce(api: ConsoleApi, editor: QueryEditor, parts: QueryParts): Promise<void> {
  const { run, timespan, error, results } = parts;
  run.disabled = true;
  error.hidden = true;
  error.textContent = '';
  delete error.dataset['line'];
  delete error.dataset['col'];
  results.dataset['state'] = 'running';
  editor.markError(undefined);
  try {
    const result = await api.runQuery(editor.getValue(), timespan.value === '' ? undefined : timespan.value);
    api.renderResult(results, result);
    results.dataset['state'] = 'done';
  } catch (caught: unknown) {
    showError(error, caught);
    if (caught instanceof ConsoleApiError && caught.line !== undefined && caught.col !== undefined) {
      editor.markError({ line: caught.line, col: caught.col, message: caught.message });
    }
    results.dataset['state'] = 'error';
  } finally {
    run.disabled = false;
  }
}

function layout(
  el: HTMLElement,
): QueryParts & { side: HTMLElement; sidebar: HTMLElement; editorBox: HTMLElement } {
  const sidebar = element('aside', 'sidebar', 'sidebar');
  sidebar.textContent = 'Loading tables…';
  const editorBox = element('div', 'editor', 'editor');
  const run = element('button', 'run', 'primary');
  run.type = 'button';
  run.textContent = 'Run';
  const timespan = timeSelect();
  const hint = document.createElement('span');
  hint.className = 'hint';
  hint.textContent = 'Shift+Enter runs the query. Ctrl+Space completes.';
  const toolbar = document.createElement('div');
  toolbar.className = 'toolbar';
  toolbar.append(run, timespan, hint);
  const error = element('p', 'error', 'error');
  error.hidden = true;
  const results = element('div', 'results');
  const main = document.createElement('div');
  main.className = 'query-main';
  main.append(editorBox, toolbar, error, results);
  const grid = document.createElement('div');
  grid.className = 'query-layout';
  const side = document.createElement('div');
  side.className = 'query-side';
  side.append(sidebar);
  grid.append(side, main);
  el.replaceChildren(grid);
  return { side, sidebar, editorBox, run, timespan, error, results };
}

/** Lists the tables again and gives the editor the schema as it is now. */
async function refresh(
  api: ConsoleApi,
  sidebar: HTMLElement,
  editor: QueryEditor | undefined,
  insert: (text: string) => void,
): Promise<void> {
  const [tables, schema] = await Promise.all([
    api.get<TablesAnswer>('/tables').catch((error: unknown) => error),
    api.get<unknown>('/schema').catch(() => undefined),
  ]);
  fillSidebar(sidebar, tables, insert);
  if (editor && schema !== undefined) await editor.setSchema(schema);
}

function refreshButton(onClick: () => void): HTMLButtonElement {
  const button = element('button', 'refresh-schema', 'refresh');
  button.type = 'button';
  button.textContent = 'Refresh tables';
  button.title =
    'List the tables and functions again (and update completion), e.g. after new rows or a new table';
  button.addEventListener('click', onClick);
  return button;
}

async function start(el: HTMLElement, api: ConsoleApi): Promise<void> {
  const parts = layout(el);
  const schema = api.get<unknown>('/schema');
  const tables = await api.get<TablesAnswer>('/tables').catch((error: unknown) => error);
  // The editor loads after the sidebar can already be clicked: insertions wait for it.
  const holder: { editor?: QueryEditor } = {};
  const insert = (text: string): void => holder.editor?.insert(text);
  fillSidebar(parts.sidebar, tables, insert);
  const run = (): void => {
    if (holder.editor) void runOnce(api, holder.editor, parts);
  };
  const first = firstQuery(isTablesAnswer(tables) ? tables.tables : []);
  holder.editor = await createQueryEditor(parts.editorBox, first, schema, run);
  parts.run.addEventListener('click', run);
  parts.side.prepend(
    refreshButton(() => {
      void refresh(api, parts.sidebar, holder.editor, insert);
    }),
  );
}

/** Mounts the query tab in `el`. */
export function mount(el: HTMLElement, api: ConsoleApi): void {
  void start(el, api);
}
