// What the Rules and Incidents tabs draw alike: a listing table (header, rows, a line when it is
// empty), text lines, and a refresh while the tab is shown (runs happen on the emulator's clock).

const REFRESH_MS = 10_000;

/** A table in its scrolling box, with `testid`. */
export function listingTable(testid: string): { table: HTMLTableElement; box: HTMLElement } {
  const table = document.createElement('table');
  table.className = 'grid';
  table.dataset['testid'] = testid;
  const box = document.createElement('div');
  box.className = 'grid-wrap';
  box.append(table);
  return { table, box };
}

/** Replaces the table's header and body; `empty` is shown across it when there are no rows. */
export function fillTable(
  table: HTMLTableElement,
  headers: readonly string[],
  rows: readonly HTMLTableRowElement[],
  empty: string,
): void {
  table.createTHead().replaceChildren(row('th', headers));
  const body = document.createElement('tbody');
  if (rows.length === 0) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = headers.length;
    cell.textContent = empty;
  }
  body.append(...rows);
  table.tBodies[0]?.remove();
  table.append(body);
}

export function row(cell: 'th' | 'td', texts: readonly string[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const text of texts) {
    const c = document.createElement(cell);
    c.textContent = text;
    tr.append(c);
  }
  return tr;
}

export function line(kind: 'note' | 'error' | 'hint', text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = kind;
  p.textContent = text;
  return p;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Calls `refresh` now and every 10 seconds while `el` is on the page and shown. */
export function keepFresh(el: HTMLElement, refresh: () => void): void {
  refresh();
  setInterval(() => {
    if (!el.hidden && el.isConnected) refresh();
  }, REFRESH_MS);
}
