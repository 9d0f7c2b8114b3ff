// The Workbooks tab: the workbooks of the emulator's definitions (GET /console/api/workbooks) in
// a picker, the chosen one rendered below it; a workbook that could not be read shows its error.

import type { ConsoleApi } from '../api.js';
import { optionElement } from '../workbook/parameter-controls.js';
import { WorkbookView } from '../workbook/workbook-view.js';

interface WorkbookEntry {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly content: unknown;
  readonly error?: { readonly message: string };
}

export function mount(el: HTMLElement, api: ConsoleApi): void {
  const picker = element('select', 'workbook-picker', 'workbook-picker');
  const source = element('p', 'workbook-source', 'workbook-source');
  const body = element('div', 'workbook', 'workbook');
  const bar = element('label', 'workbook-bar');
  bar.append('Workbook ', picker);
  el.replaceChildren(bar, source, body);
  api.get<WorkbookEntry[]>('/workbooks').then(
    (entries) => {
      showList(entries, picker, source, body, api);
    },
    (error: unknown) => {
      body.replaceChildren(
        line(
          'error',
          `The workbooks could not be listed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    },
  );
}

function showList(
  entries: readonly WorkbookEntry[],
  picker: HTMLSelectElement,
  source: HTMLElement,
  body: HTMLElement,
  api: ConsoleApi,
): void {
  if (entries.length === 0) {
    picker.disabled = true;
    body.replaceChildren(
      line(
        'note',
        "No workbooks: start the emulator with definitions that hold a solution's Workbooks/ folder or an ARM template with workbooks.",
      ),
    );
    return;
  }
  picker.replaceChildren(
    ...entries.map((e) => optionElement(e.error ? `${e.name} (cannot be read)` : e.name, e.id)),
  );
  const show = (): void => {
    const entry = entries.find((e) => e.id === picker.value) ?? entries[0];
    if (!entry) return;
    source.textContent = entry.source;
    if (entry.error) {
      body.replaceChildren(line('error', entry.error.message));
      return;
    }
    new WorkbookView(api).render(body, entry.content);
  };
  picker.addEventListener('change', show);
  show();
}

function line(kind: 'note' | 'error', text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = kind;
  p.textContent = text;
  return p;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  testId?: string,
): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  made.className = className;
  if (testId !== undefined) made.dataset['testid'] = testId;
  return made;
}
