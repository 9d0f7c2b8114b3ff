// The Deliveries tab: the automation targets (GET /console/api/automation) and every webhook
// delivery of a new incident (GET /console/api/deliveries) with its state, attempts and last
// status; a row opens to show each attempt, and "Redeliver" sends a finished one again
// (POST /console/api/deliveries/:id/redeliver).

import type { ConsoleApi } from '../api.js';
import { fillTable, keepFresh, listingTable, messageOf, row } from '../detections/dom.js';

interface Attempt {
  readonly number: number;
  readonly at: string;
  readonly durationMs: number;
  readonly status?: number;
  readonly error?: string;
  readonly waitMs?: number;
  readonly waitFromRetryAfter?: boolean;
}

interface Delivery {
  readonly id: string;
  readonly incidentNumber: number;
  readonly ruleName: string;
  readonly severity: string;
  readonly url: string;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly createdAt: string;
  readonly maxAttempts: number;
  readonly attempts: readonly Attempt[];
  readonly lastStatus?: number;
  readonly cause?: string;
  readonly redeliveryOf?: string;
}

interface Target {
  readonly index: number;
  readonly url: string;
  readonly rules?: readonly string[];
  readonly minSeverity: string;
  readonly headers: readonly string[];
  readonly maxAttempts: number;
}

const COLUMNS = ['Created', 'Incident', 'Rule', 'Severity', 'Target', 'State', 'Attempts', 'Last status', ''];

/** What the tab draws into, and which rows the user opened (kept across refreshes). */
interface View {
  readonly api: ConsoleApi;
  readonly table: HTMLTableElement;
  readonly note: HTMLElement;
  readonly open: Set<string>;
  readonly refresh: () => void;
}

export function mount(el: HTMLElement, api: ConsoleApi): void {
  const targets = document.createElement('div');
  targets.className = 'hint';
  targets.dataset['testid'] = 'automation-targets';
  const note = document.createElement('p');
  note.className = 'hint';
  note.dataset['testid'] = 'deliveries-note';
  const { table, box } = listingTable('deliveries-table');
  el.replaceChildren(targets, note, box);
  const view: View = {
    api,
    table,
    note,
    open: new Set(),
    refresh: () => {
      api.get<Delivery[]>('/deliveries').then(
        (deliveries) => {
          drawDeliveries(view, deliveries);
        },
        (error: unknown) => {
          note.textContent = `The deliveries could not be listed: ${messageOf(error)}`;
        },
      );
    },
  };
  api.get<{ targets: Target[] }>('/automation').then(
    (answer) => {
      drawTargets(targets, answer.targets);
    },
    (error: unknown) => {
      targets.textContent = `The automation targets could not be listed: ${messageOf(error)}`;
    },
  );
  // Retries run on the emulator's clock: keep states and attempts current while the tab is visible.
  keepFresh(el, view.refresh);
}

function drawTargets(el: HTMLElement, targets: readonly Target[]): void {
  if (targets.length === 0) {
    el.textContent =
      'No automation targets: start the emulator with --webhook <url> (or the automation option) to post new incidents.';
    return;
  }
  const list = document.createElement('ul');
  for (const t of targets) {
    const item = document.createElement('li');
    const rules = t.rules ? `rules ${t.rules.join(', ')}` : 'every rule';
    const headers = t.headers.length > 0 ? `; headers ${t.headers.join(', ')}` : '';
    item.textContent = `${t.url}: ${rules}, severity ${t.minSeverity} or higher, up to ${String(t.maxAttempts)} attempts${headers}`;
    list.append(item);
  }
  el.replaceChildren('New incidents are posted to:', list);
}

function drawDeliveries(view: View, deliveries: readonly Delivery[]): void {
  // Newest first, as a log is read; an opened delivery has its attempts right under it.
  const rows = [...deliveries]
    .reverse()
    .flatMap((d) => (view.open.has(d.id) ? [deliveryRow(view, d), attemptsRow(d)] : [deliveryRow(view, d)]));
  fillTable(
    view.table,
    COLUMNS,
    rows,
    'No deliveries yet: one appears when a rule raises a new incident that a target takes.',
  );
}

function deliveryRow(view: View, d: Delivery): HTMLTableRowElement {
  const tr = row('td', [
    d.createdAt,
    '',
    d.ruleName,
    d.severity,
    d.url,
    d.redeliveryOf ? `${d.state} (redelivery)` : d.state,
    `${String(d.attempts.length)} of ${String(d.maxAttempts)}`,
    lastStatusText(d),
  ]);
  tr.dataset['testid'] = `delivery-row-${d.id}`;
  tr.dataset['state'] = d.state;
  tr.className = d.state === 'failed' ? 'error' : '';
  tr.title = 'Show or hide the attempts';
  tr.style.cursor = 'pointer';
  const incident = document.createElement('a');
  incident.href = `#incidents/${String(d.incidentNumber)}`;
  incident.textContent = `#${String(d.incidentNumber)}`;
  incident.addEventListener('click', (event) => {
    // Open the incidents tab on this incident (it reads `#incidents/<number>`, as incidentUrl has it).
    const tab = document.querySelector<HTMLButtonElement>('[data-testid="tab-button-incidents"]');
    if (!tab) return;
    event.preventDefault();
    location.hash = `#incidents/${String(d.incidentNumber)}`;
    tab.click();
  });
  tr.cells[1]?.append(incident);
  tr.addEventListener('click', (event) => {
    if (event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement) return;
    if (!view.open.delete(d.id)) view.open.add(d.id);
    view.refresh();
  });
  tr.insertCell().append(redeliverButton(view, d));
  return tr;
}

function redeliverButton(view: View, d: Delivery): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Redeliver';
  button.dataset['testid'] = `redeliver-${d.id}`;
  button.disabled = d.state === 'pending';
  button.title = d.state === 'pending' ? 'Still being attempted' : 'Send the same incident again';
  button.addEventListener('click', () => {
    button.disabled = true;
    view.api.post<Delivery>(`/deliveries/${encodeURIComponent(d.id)}/redeliver`, {}).then(
      (again) => {
        view.note.textContent = `Incident #${String(d.incidentNumber)} sent again to ${d.url} (delivery ${again.id}).`;
        view.refresh();
        // The first attempt is usually over within a second: show its outcome without waiting a full refresh.
        setTimeout(() => {
          view.refresh();
        }, 1_000);
      },
      (error: unknown) => {
        view.note.textContent = `Not redelivered: ${messageOf(error)}`;
        button.disabled = false;
      },
    );
  });
  return button;
}

/** A full-width row under a delivery with one line per attempt. */
function attemptsRow(d: Delivery): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset['testid'] = `delivery-attempts-${d.id}`;
  const cell = tr.insertCell();
  cell.colSpan = COLUMNS.length;
  const table = document.createElement('table');
  table.className = 'grid';
  table.append(row('th', ['#', 'At', 'Took', 'Answer', 'Then']));
  for (const a of d.attempts) {
    table.append(
      row('td', [String(a.number), a.at, `${String(a.durationMs)} ms`, answerText(a), thenText(a, d)]),
    );
  }
  if (d.attempts.length === 0) table.append(row('td', ['', '', '', 'no attempt yet', '']));
  cell.append(table);
  if (d.cause !== undefined) {
    const cause = document.createElement('p');
    cause.className = 'error';
    cause.textContent = `Failed: ${d.cause}`;
    cell.append(cause);
  }
  return tr;
}

function lastStatusText(d: Delivery): string {
  if (d.lastStatus !== undefined) return `HTTP ${String(d.lastStatus)}`;
  return d.attempts.at(-1)?.error ?? '';
}

function answerText(a: Attempt): string {
  return a.status !== undefined ? `HTTP ${String(a.status)}` : (a.error ?? '');
}

function thenText(a: Attempt, d: Delivery): string {
  if (a.waitMs !== undefined) {
    return `retried after ${String(a.waitMs)} ms${a.waitFromRetryAfter === true ? ' (Retry-After)' : ''}`;
  }
  return a.number === d.attempts.length ? d.state : '';
}
