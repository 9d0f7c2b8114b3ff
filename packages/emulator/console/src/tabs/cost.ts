// The Cost tab: per table, rows and estimated billed GB per day and projected per month (with
// the price in use), what the operational logs the exporters and gateways filtered out would have
// cost in the same workspace, and the saving. Every figure is an estimate, and says so.

import type { ConsoleApi } from '../api.js';

interface Projection {
  readonly gbPerDay: number;
  readonly projectedGbPerMonth: number;
  readonly projectedCostPerMonth?: number;
}

interface TableCost extends Projection {
  readonly table: string;
  readonly rows: number;
  readonly billedBytes: number;
  readonly rowsPerDay: number;
  readonly days: readonly { readonly day: string; readonly rows: number; readonly billedBytes: number }[];
}

interface OperationalCost extends Projection {
  readonly source: string;
  readonly recordsFiltered: number;
  readonly bytesFiltered: number;
  readonly lastReportAt: string;
}

interface CostSummary {
  readonly rule: string;
  readonly price: { readonly perGb: number; readonly currency: string } | null;
  readonly priceHint?: string;
  readonly window: { readonly from: string; readonly to: string; readonly days: number } | null;
  readonly tables: readonly TableCost[];
  readonly security: Projection;
  readonly operational: readonly OperationalCost[];
  readonly saving: Projection & { readonly share: number };
}

export function mount(el: HTMLElement, api: ConsoleApi): void {
  const refresh = document.createElement('button');
  refresh.type = 'button';
  refresh.textContent = 'Refresh';
  refresh.dataset['testid'] = 'cost-refresh';
  const toolbar = document.createElement('div');
  toolbar.className = 'toolbar';
  toolbar.append(refresh);
  const body = document.createElement('div');
  body.className = 'cost';
  el.replaceChildren(toolbar, body);
  const load = (): void => {
    api.get<CostSummary>('/cost').then(
      (summary) => {
        body.replaceChildren(...view(summary));
      },
      (error: unknown) => {
        body.replaceChildren(
          text(
            'p',
            'error',
            `The cost could not be read: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      },
    );
  };
  refresh.addEventListener('click', load);
  load();
}

function view(summary: CostSummary): HTMLElement[] {
  const money = moneyFormat(summary.price);
  return [
    notes(summary),
    text('h3', '', 'Security tables (what Sentinel ingests)'),
    tableCosts(summary, money),
    text('h3', '', 'Operational logs kept out of Sentinel'),
    operationalCosts(summary, money),
    saving(summary, money),
    perDay(summary.tables),
  ];
}

function notes(summary: CostSummary): HTMLElement {
  const box = document.createElement('div');
  box.className = 'hint cost-note';
  box.dataset['testid'] = 'cost-note';
  const price = text('p', '', '');
  price.dataset['testid'] = 'cost-price';
  price.textContent = summary.price
    ? `Price in use: ${summary.price.perGb} ${summary.price.currency} per GB ingested.`
    : (summary.priceHint ?? 'No price set: GB only.');
  const window = summary.window
    ? `Per-day figures average ${summary.window.from} to ${summary.window.to} (${summary.window.days} UTC day${summary.window.days === 1 ? '' : 's'}); a month is 30.4 days.`
    : 'No data yet.';
  box.append(text('p', 'estimate', summary.rule), price, text('p', '', window));
  return box;
}

type Money = ((amount: number | undefined) => string) | undefined;

function tableCosts(summary: CostSummary, money: Money): HTMLElement {
  const head = ['Table', 'Rows', 'Rows/day', 'Billed GB/day (est.)', 'Projected GB/month (est.)'];
  const rows = summary.tables.map((t) => [
    t.table,
    count(t.rows),
    count(t.rowsPerDay),
    gb(t.gbPerDay),
    gb(t.projectedGbPerMonth),
    ...(money ? [money(t.projectedCostPerMonth)] : []),
  ]);
  const s = summary.security;
  rows.push([
    'All security tables',
    '',
    '',
    gb(s.gbPerDay),
    gb(s.projectedGbPerMonth),
    ...(money ? [money(s.projectedCostPerMonth)] : []),
  ]);
  return grid('cost-table', money ? [...head, 'Cost/month (est.)'] : head, rows);
}

function operationalCosts(summary: CostSummary, money: Money): HTMLElement {
  if (summary.operational.length === 0) {
    const p = text(
      'p',
      'hint',
      'No operational volume reported yet. An app sends its exporter stats as ' +
        '{"source", "recordsFiltered", "bytesFiltered", "since"} to POST /console/api/operational-volume ' +
        '(the audit-app example does at shutdown with OTEL_SENTINEL_COST_REPORT_URL).',
    );
    p.dataset['testid'] = 'cost-operational';
    return p;
  }
  const head = ['Source', 'Records filtered', 'GB/day as AppTraces (est.)', 'Projected GB/month (est.)'];
  const rows = summary.operational.map((o) => [
    o.source,
    count(o.recordsFiltered),
    gb(o.gbPerDay),
    gb(o.projectedGbPerMonth),
    ...(money ? [money(o.projectedCostPerMonth)] : []),
  ]);
  return grid('cost-operational', money ? [...head, 'Cost/month (est.)'] : head, rows);
}

function saving(summary: CostSummary, money: Money): HTMLElement {
  const p = document.createElement('p');
  p.className = 'cost-saving';
  p.dataset['testid'] = 'cost-saving';
  const s = summary.saving;
  if (summary.operational.length === 0) {
    p.textContent = 'Saving: unknown until an exporter or gateway reports its operational volume.';
    return p;
  }
  const cost = money ? ` (${money(s.projectedCostPerMonth)})` : '';
  p.textContent =
    `Saving (estimate): keeping operational logs out of Sentinel avoids ${gb(s.projectedGbPerMonth)} GB a month${cost}, ` +
    `${percent(s.share)} of what sending everything would ingest.`;
  return p;
}

function perDay(tables: readonly TableCost[]): HTMLElement {
  const details = document.createElement('details');
  details.append(text('summary', '', 'Per UTC day'));
  const rows = tables.flatMap((t) =>
    t.days.map((d) => [d.day, t.table, count(d.rows), count(d.billedBytes)]),
  );
  details.append(grid('cost-days', ['Day (UTC)', 'Table', 'Rows', 'Billed bytes (est.)'], rows));
  return details;
}

function grid(testid: string, head: readonly string[], rows: readonly (readonly string[])[]): HTMLElement {
  const table = document.createElement('table');
  table.className = 'grid';
  table.dataset['testid'] = testid;
  const tr = document.createElement('tr');
  tr.append(...head.map((h) => text('th', '', h)));
  table.createTHead().append(tr);
  const tbody = table.createTBody();
  for (const row of rows) {
    const r = document.createElement('tr');
    r.append(...row.map((cell, i) => text('td', i === 0 ? '' : 'num', cell)));
    tbody.append(r);
  }
  const wrap = document.createElement('div');
  wrap.className = 'grid-wrap';
  wrap.append(table);
  return wrap;
}

function text(tag: string, className: string, content: string): HTMLElement {
  const node = document.createElement(tag);
  if (className !== '') node.className = className;
  node.textContent = content;
  return node;
}

function count(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** GB with three significant digits, so a laptop's few kilobytes still show (0.0000123). */
function gb(n: number): string {
  if (n === 0) return '0';
  return n >= 1
    ? n.toLocaleString('en-US', { maximumFractionDigits: 2 })
    : n.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}

function percent(share: number): string {
  return share.toLocaleString('en-US', { style: 'percent', maximumFractionDigits: 1 });
}

function moneyFormat(price: CostSummary['price']): Money {
  if (!price) return undefined;
  return (amount) => {
    if (amount === undefined) return '';
    const digits =
      amount >= 1 || amount === 0 ? { maximumFractionDigits: 2 } : { maximumSignificantDigits: 3 };
    try {
      return amount.toLocaleString('en-US', { style: 'currency', currency: price.currency, ...digits });
    } catch {
      return `${amount.toLocaleString('en-US', digits)} ${price.currency}`;
    }
  };
}
