// Renders one workbook into an element: each item in a box with data-testid="workbook-item-<index>",
// parameters as controls, text as safe markdown, queries run through the console's query API and
// drawn as charts, tables or tiles. A parameter change re-renders the text and re-runs the queries
// (and query-fed drop-downs) that refer to it; a late answer to an older run is dropped.

import type { ConsoleApi } from '../api.js';
import { isRecord } from './json-fields.js';
import { renderMarkdown } from './markdown-dom.js';
import { parameterControls, type DropdownControl } from './parameter-controls.js';
import type { ParameterDef } from './parameter-model.js';
import { queryOptions } from './parameter-model.js';
import { formatValue, initialValue, type ParameterValue } from './parameter-values.js';
import { drawQueryResult } from './query-drawing.js';
import { referencedNames, substitute } from './substitute.js';
import { isoDuration } from './time-range.js';
import { workbookItems, type QueryItem, type WorkbookItem } from './items.js';

interface Dependent {
  readonly names: ReadonlySet<string>;
  refresh(): void;
}

/** What a query needs besides its text: where its time range comes from. */
interface TimeSource {
  readonly timeParameter?: string;
  readonly timeContextMs?: number;
}

export class WorkbookView {
  private readonly values = new Map<string, ParameterValue | undefined>();
  private readonly dependents: Dependent[] = [];

  constructor(
    private readonly api: ConsoleApi,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Draws `content` (a workbook's JSON) into `el`, replacing what was there. */
  render(el: HTMLElement, content: unknown): void {
    const items = workbookItems(content);
    for (const item of items) if (item.kind === 'parameters') this.declare(item.parameters);
    el.replaceChildren(...items.map((item) => this.itemElement(item)));
    if (items.length === 0) el.append(note('This workbook has no items.'));
  }

  private declare(defs: readonly ParameterDef[]): void {
    for (const def of defs) this.values.set(def.name, initialValue(def));
  }

  private set(name: string, value: ParameterValue | undefined): void {
    const before = this.written(this.values.get(name));
    this.values.set(name, value);
    // A drop-down refilled with the same choice (All stays All) runs nothing again.
    if (this.written(value) === before) return;
    for (const dependent of this.dependents) if (dependent.names.has(name)) dependent.refresh();
  }

  /** What a value writes in every form, to tell a change that matters from one that does not. */
  private written(value: ParameterValue | undefined): string {
    if (value === undefined) return '';
    const now = this.now();
    return JSON.stringify([undefined, 'label'].map((f) => formatValue(value, f, 'query', now)));
  }

  private itemElement(item: WorkbookItem): HTMLElement {
    const box = document.createElement('div');
    box.className = `workbook-item workbook-${item.kind}`;
    box.dataset['testid'] = `workbook-item-${item.index}`;
    if (item.name !== undefined) box.dataset['name'] = item.name;
    if (item.widthPercent !== undefined) box.style.flexBasis = `calc(${item.widthPercent}% - 1rem)`;
    if (item.kind === 'markdown') this.markdown(box, item.markdown);
    else if (item.kind === 'parameters') this.parameters(box, item.parameters);
    else if (item.kind === 'query') this.query(box, item);
    else {
      box.classList.add('workbook-placeholder');
      box.textContent = `Not shown here: ${item.what}${item.name === undefined ? '' : ` "${item.name}"`}.`;
    }
    return box;
  }

  private markdown(box: HTMLElement, markdown: string): void {
    const draw = (): void => {
      box.replaceChildren(renderMarkdown(substitute(markdown, this.values, 'text', this.now()).text));
    };
    draw();
    this.dependents.push({ names: referencedNames(markdown), refresh: draw });
  }

  private parameters(box: HTMLElement, defs: readonly ParameterDef[]): void {
    const controls = parameterControls(
      defs,
      (name) => this.values.get(name),
      (name, value) => {
        this.set(name, value);
      },
    );
    box.append(controls.element);
    for (const control of controls.dropdowns)
      if (control.def.query !== undefined) this.feed(control, control.def.query);
  }

  /** Fills a drop-down from its query, now and whenever a parameter the query uses changes. */
  private feed(control: DropdownControl, query: string): void {
    const run = this.runner(
      query,
      control.def,
      async (run) => {
        const result = await run;
        const value = control.setOptions(queryOptions(result.columns, result.rows));
        control.setProblem(undefined);
        this.set(control.def.name, value);
      },
      (message) => {
        control.setProblem(message);
      },
    );
    run();
  }

  private query(box: HTMLElement, item: QueryItem): void {
    const heading = document.createElement('h3');
    heading.textContent = item.title ?? '';
    const body = document.createElement('div');
    body.className = 'workbook-result';
    box.append(...(item.title === undefined ? [] : [heading]), body);
    const run = this.runner(
      item.query,
      item,
      async (run) => {
        body.replaceChildren(note('Running…'));
        drawQueryResult(body, await run, item, this.api);
      },
      (message) => {
        body.replaceChildren(errorLine(message));
      },
    );
    run();
  }

  /**
   * A function that substitutes `query`, runs it and hands the answer to `use` (only if no newer
   * run has started), registered to run again when a parameter it refers to changes.
   */
  private runner(
    query: string,
    time: TimeSource,
    use: (answer: ReturnType<ConsoleApi['runQuery']>) => Promise<void>,
    fail: (message: string) => void,
  ): () => void {
    let generation = 0;
    const run = (): void => {
      const mine = ++generation;
      const { text, unresolved } = substitute(query, this.values, 'query', this.now());
      if (unresolved.length > 0) {
        fail(`Waiting for ${unresolved.map((n) => `{${n}}`).join(', ')}: no value this console can write.`);
        return;
      }
      const answer = this.api.runQuery(text, this.timespan(time));
      const current = answer.then((result) =>
        mine === generation ? result : new Promise<never>(() => undefined),
      );
      use(current).catch((error: unknown) => {
        if (mine === generation) fail(messageOf(error));
      });
    };
    const names = referencedNames(query);
    if (time.timeParameter !== undefined) names.add(time.timeParameter);
    this.dependents.push({ names, refresh: run });
    return run;
  }

  private timespan(time: TimeSource): string | undefined {
    const fromParameter = time.timeParameter === undefined ? undefined : this.values.get(time.timeParameter);
    if (fromParameter?.kind === 'time') return isoDuration(fromParameter.durationMs);
    return time.timeContextMs === undefined ? undefined : isoDuration(time.timeContextMs);
  }
}

function note(text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'note';
  p.textContent = text;
  return p;
}

function errorLine(text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'error';
  p.dataset['testid'] = 'workbook-error';
  p.textContent = text;
  return p;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (isRecord(error) && typeof error['message'] === 'string') return error['message'];
  return String(error);
}
