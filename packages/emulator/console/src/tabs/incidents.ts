// The Incidents tab: every incident the rules raised (GET /console/api/incidents), newest first,
// and for the one picked its alerts, entities and the events behind it (the rule's query over
// the incident's window, GET /console/api/incidents/:number) as a chart and a grid.

import type { Column, ConsoleApi, QueryResult, Visualization } from '../api.js';
import { fillTable, keepFresh, line, listingTable, messageOf, row } from '../detections/dom.js';

interface Entity {
  readonly kind: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

interface Incident {
  readonly incidentNumber: number;
  readonly title: string;
  readonly description: string;
  readonly severity: string;
  readonly status: string;
  readonly createdTimeUtc: string;
  readonly ruleName: string;
  readonly entities: readonly Entity[];
  readonly queryStart: string;
  readonly queryEnd: string;
  readonly additionalData: { readonly alertsCount: number };
}

interface Alert {
  readonly displayName: string;
  readonly severity: string;
  readonly timeGenerated: string;
  readonly trigger: string;
  readonly entities: readonly Entity[];
}

interface IncidentDetail {
  readonly incident: Incident;
  readonly alerts: readonly Alert[];
  readonly events: QueryResult;
}

const NUMERIC = new Set(['long', 'int', 'real', 'decimal']);

export function mount(el: HTMLElement, api: ConsoleApi): void {
  const { table, box } = listingTable('incidents-table');
  const detail = document.createElement('section');
  detail.className = 'incident-detail';
  detail.dataset['testid'] = 'incident-detail';
  el.replaceChildren(box, detail);
  const open = (n: number): void => {
    history.replaceState(null, '', `#incidents/${String(n)}`);
    showDetail(api, n, detail);
  };
  const refresh = (): void => {
    api.get<Incident[]>('/incidents').then(
      (incidents) => {
        drawList(table, incidents, open);
      },
      (error: unknown) => {
        detail.replaceChildren(line('error', `The incidents could not be listed: ${messageOf(error)}`));
      },
    );
  };
  keepFresh(el, refresh);
  // An incident's incidentUrl is `/console/#incidents/<number>`: open that one, now or when the
  // hash changes to one.
  const openLinked = (): void => {
    const linked = /^#incidents\/(\d+)$/.exec(location.hash)?.[1];
    if (linked !== undefined) showDetail(api, Number(linked), detail);
  };
  openLinked();
  window.addEventListener('hashchange', openLinked);
}

function drawList(table: HTMLTableElement, incidents: readonly Incident[], open: (n: number) => void): void {
  fillTable(
    table,
    ['#', 'Title', 'Severity', 'Status', 'Entities', 'Alerts', 'Created', 'Rule'],
    incidents.map((incident) => incidentRow(incident, open)),
    'No incidents yet: a rule raises one when its query returns rows (or use Run now on the Rules tab).',
  );
}

function incidentRow(incident: Incident, open: (n: number) => void): HTMLTableRowElement {
  const tr = row('td', [
    String(incident.incidentNumber),
    incident.title,
    incident.severity,
    incident.status,
    entitiesText(incident.entities),
    String(incident.additionalData.alertsCount),
    incident.createdTimeUtc,
    incident.ruleName,
  ]);
  tr.dataset['testid'] = `incident-row-${String(incident.incidentNumber)}`;
  tr.className = 'clickable';
  tr.tabIndex = 0;
  tr.addEventListener('click', () => {
    open(incident.incidentNumber);
  });
  return tr;
}

function showDetail(api: ConsoleApi, n: number, el: HTMLElement): void {
  el.replaceChildren(line('hint', `Loading incident ${String(n)}…`));
  api.get<IncidentDetail>(`/incidents/${String(n)}`).then(
    (detail) => {
      drawDetail(api, detail, el);
    },
    (error: unknown) => {
      el.replaceChildren(line('error', `Incident ${String(n)} could not be read: ${messageOf(error)}`));
    },
  );
}

function drawDetail(api: ConsoleApi, detail: IncidentDetail, el: HTMLElement): void {
  const { incident, alerts, events } = detail;
  const title = document.createElement('h2');
  title.textContent = `#${String(incident.incidentNumber)} ${incident.title}`;
  const facts = line(
    'hint',
    `${incident.severity} · ${incident.status} · rule ${incident.ruleName} · window ${incident.queryStart} to ${incident.queryEnd}`,
  );
  const description = line('note', incident.description);
  const alertList = list(
    'incident-alerts',
    alerts.map((a) => `${a.timeGenerated} ${a.severity} ${a.displayName} (${a.trigger})`),
  );
  const entityList = list(
    'incident-entities',
    incident.entities.map((e) => `${e.kind}: ${propertiesText(e.properties)}`),
  );
  const eventsBox = document.createElement('div');
  eventsBox.dataset['testid'] = 'incident-events';
  el.replaceChildren(
    title,
    facts,
    description,
    heading('Alerts'),
    alertList,
    heading('Entities'),
    entityList,
    heading('Events behind it'),
    eventsBox,
  );
  api.renderResult(eventsBox, events, chartFor(events.columns));
}

/** A time chart when the events have a datetime and a number column; a bar chart on a text column; else none. */
export function chartFor(columns: readonly Column[]): Visualization | undefined {
  const y = columns.filter((c) => NUMERIC.has(c.type)).map((c) => c.name);
  if (y.length === 0) return undefined;
  const time = columns.find((c) => c.type === 'datetime');
  if (time) return { kind: 'timechart', x: time.name, y };
  const label = columns.find((c) => c.type === 'string');
  return label ? { kind: 'barchart', x: label.name, y } : undefined;
}

function entitiesText(entities: readonly Entity[]): string {
  return entities.map((e) => `${e.kind} ${valueText(e.properties['friendlyName'])}`).join(', ');
}

function propertiesText(properties: Readonly<Record<string, unknown>>): string {
  return Object.entries(properties)
    .filter(([k]) => k !== 'friendlyName')
    .map(([k, v]) => `${k}=${valueText(v)}`)
    .join(', ');
}

function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function list(testid: string, items: readonly string[]): HTMLElement {
  const ul = document.createElement('ul');
  ul.dataset['testid'] = testid;
  for (const text of items.length > 0 ? items : ['none']) {
    const li = document.createElement('li');
    li.textContent = text;
    ul.append(li);
  }
  return ul;
}

function heading(text: string): HTMLElement {
  const h = document.createElement('h3');
  h.textContent = text;
  return h;
}
