// @vitest-environment happy-dom
// The workbooks tab's renderer in a DOM (happy-dom): a workbook's items drawn with their
// data-testids, its queries written with the parameters and run by the real KQL engine over
// hand-written rows, re-run when a parameter changes, and no workbook or row text ever becoming
// an element.
import { runQuery, type QuerySource } from '@otel-sentinel/kql';
import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi, QueryResult, Visualization } from '../../console/src/api.js';
import { renderMarkdown } from '../../console/src/workbook/markdown-dom.js';
import { WorkbookView } from '../../console/src/workbook/workbook-view.js';

const NOW = new Date('2026-12-08T12:00:00.000Z');
const HOUR = 3_600_000;

function at(hoursAgo: number): string {
  return new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();
}

const ROWS = [
  { TimeGenerated: at(1), EventName: 'authn_login_fail', Url: '/login' },
  { TimeGenerated: at(2), EventName: 'authn_login_fail', Url: '<img src=x onerror=alert(1)>' },
  { TimeGenerated: at(30), EventName: 'authn_login_success', Url: '/login' },
];

const SOURCE: QuerySource = {
  tables: () => ['AppAuthEvents_CL'],
  columns: (table) =>
    table === 'AppAuthEvents_CL'
      ? [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'EventName', type: 'string' },
          { name: 'Url', type: 'string' },
        ]
      : undefined,
  scan: (table) => (table === 'AppAuthEvents_CL' ? ROWS : []),
};

/** The console API over the real KQL engine; renderResult writes the rows as text and notes the chart. */
function consoleApi(): ConsoleApi & {
  sent: { query: string; timespan: string | undefined }[];
  charts: (Visualization | undefined)[];
} {
  const sent: { query: string; timespan: string | undefined }[] = [];
  const charts: (Visualization | undefined)[] = [];
  return {
    sent,
    charts,
    get: () => Promise.reject(new Error('not used')),
    post: () => Promise.reject(new Error('not used')),
    runQuery(query, timespan) {
      sent.push({ query, timespan });
      try {
        return Promise.resolve(runQuery(query, SOURCE, NOW));
      } catch (error: unknown) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    renderResult(el: HTMLElement, result: QueryResult, visualization?: Visualization) {
      charts.push(visualization);
      const table = document.createElement('table');
      for (const row of result.rows) {
        const tr = table.insertRow();
        for (const cell of row) tr.insertCell().textContent = String(cell);
      }
      el.replaceChildren(table);
    },
  };
}

const WORKBOOK = {
  version: 'Notebook/1.0',
  items: [
    {
      type: 1,
      name: 'title',
      content: { json: '## Sign-ins\nRange: {TimeRange:label} <script>alert(1)</script>' },
    },
    {
      type: 9,
      name: 'parameters',
      content: {
        parameters: [
          {
            name: 'TimeRange',
            type: 4,
            typeSettings: { selectableValues: [{ durationMs: 12 * HOUR }, { durationMs: 48 * HOUR }] },
            value: { durationMs: 48 * HOUR },
          },
          {
            name: 'EventType',
            type: 2,
            multiSelect: true,
            quote: "'",
            delimiter: ',',
            query:
              'AppAuthEvents_CL | where TimeGenerated {TimeRange} | summarize by EventName | order by EventName asc | project value = EventName, label = EventName',
            typeSettings: { additionalResourceOptions: ['value::all'], selectAllValue: '*' },
            timeContextFromParameter: 'TimeRange',
            value: ['value::all'],
          },
        ],
      },
    },
    {
      type: 3,
      name: 'by-name',
      content: {
        query:
          "AppAuthEvents_CL | where TimeGenerated {TimeRange} | where '*' in ({EventType}) or EventName in ({EventType}) | summarize Events = count() by EventName | order by EventName asc",
        visualization: 'barchart',
        timeContextFromParameter: 'TimeRange',
      },
    },
    {
      type: 3,
      name: 'targets',
      content: {
        query: 'AppAuthEvents_CL | summarize Events = count() by Url | order by Url asc',
        visualization: 'tiles',
      },
    },
    { type: 12, name: 'more', content: { items: [] } },
  ],
};

function control(el: HTMLElement, name: string): HTMLSelectElement {
  const found = el.querySelector<HTMLSelectElement>(`[data-testid="workbook-param-${name}"]`);
  if (!found) throw new Error(`no control for ${name}`);
  return found;
}

describe('WorkbookView', () => {
  it('draws each item in its own box, with a placeholder for a group', async () => {
    const el = document.createElement('div');
    new WorkbookView(consoleApi(), () => NOW).render(el, WORKBOOK);
    expect([...el.children].map((c) => c.getAttribute('data-testid'))).toEqual([
      'workbook-item-0',
      'workbook-item-1',
      'workbook-item-2',
      'workbook-item-3',
      'workbook-item-4',
    ]);
    expect(el.querySelector('[data-testid="workbook-item-0"] h2')?.textContent).toBe('Sign-ins');
    expect(el.querySelector('[data-testid="workbook-item-4"]')?.textContent).toBe(
      'Not shown here: group (type 12) "more".',
    );
    await vi.waitFor(() => {
      expect(el.querySelectorAll('[data-testid="workbook-item-2"] td')).toHaveLength(4);
    });
  });

  it('writes the parameters into the queries and fills the drop-down from its query', async () => {
    const api = consoleApi();
    const el = document.createElement('div');
    new WorkbookView(api, () => NOW).render(el, WORKBOOK);
    await vi.waitFor(() => {
      expect([...control(el, 'EventType').options].map((o) => o.text)).toEqual([
        'All',
        'authn_login_fail',
        'authn_login_success',
      ]);
    });
    expect(api.sent).toContainEqual({
      query:
        "AppAuthEvents_CL | where TimeGenerated > ago(2d) | where '*' in ('*') or EventName in ('*') | summarize Events = count() by EventName | order by EventName asc",
      timespan: 'P2D',
    });
    await vi.waitFor(() => {
      expect(
        [...el.querySelectorAll('[data-testid="workbook-item-2"] td')].map((td) => td.textContent),
      ).toEqual(['authn_login_fail', '2', 'authn_login_success', '1']);
    });
    expect(api.charts).toContainEqual({ kind: 'barchart', x: 'EventName', y: ['Events'] });
    // Opening runs each query once: the drop-down refilled with All still chosen changes nothing.
    expect(api.sent.filter((s) => s.query.includes('summarize Events = count() by EventName'))).toHaveLength(
      1,
    );
  });

  it('runs the queries again when a parameter they use changes', async () => {
    const api = consoleApi();
    const el = document.createElement('div');
    new WorkbookView(api, () => NOW).render(el, WORKBOOK);
    await vi.waitFor(() => {
      expect(el.querySelectorAll('[data-testid="workbook-item-2"] td')).toHaveLength(4);
    });
    const time = control(el, 'TimeRange');
    time.value = String(12 * HOUR);
    time.dispatchEvent(new Event('change'));
    await vi.waitFor(() => {
      expect(
        [...el.querySelectorAll('[data-testid="workbook-item-2"] td')].map((td) => td.textContent),
      ).toEqual(['authn_login_fail', '2']);
    });
    expect(api.sent.at(-1)?.timespan).toBe('PT12H');
    expect(el.querySelector('[data-testid="workbook-item-0"]')?.textContent).toContain(
      'Range: Last 12 hours',
    );
    const events = control(el, 'EventType');
    await vi.waitFor(() => {
      expect(events.options).toHaveLength(2);
    });
    for (const option of events.options) option.selected = option.value === 'authn_login_fail';
    events.dispatchEvent(new Event('change'));
    await vi.waitFor(() => {
      expect(api.sent.at(-1)?.query).toContain(
        "where '*' in ('authn_login_fail') or EventName in ('authn_login_fail')",
      );
    });
  });

  it('keeps markup from a row as text on a tile, and from the workbook as text in markdown', async () => {
    const el = document.createElement('div');
    new WorkbookView(consoleApi(), () => NOW).render(el, WORKBOOK);
    await vi.waitFor(() => {
      expect(el.querySelectorAll('[data-testid="workbook-item-3"] .workbook-tile')).toHaveLength(2);
    });
    expect(el.querySelector('img, script')).toBeNull();
    expect(
      [...el.querySelectorAll('[data-testid="workbook-item-3"] .tile-title')].map((t) => t.textContent),
    ).toEqual(['/login', '<img src=x onerror=alert(1)>']);
    expect(el.querySelector('[data-testid="workbook-item-0"] p')?.textContent).toBe(
      'Range: Last 48 hours <script>alert(1)</script>',
    );
  });
});

describe('renderMarkdown', () => {
  it('builds no element from HTML, and no link from a javascript: address', () => {
    const el = document.createElement('div');
    el.append(
      renderMarkdown(
        '<img src=x onerror=alert(1)> [x](javascript:alert(1)) [Learn](https://learn.microsoft.com/)',
      ),
    );
    expect(el.querySelector('img')).toBeNull();
    expect([...el.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      'https://learn.microsoft.com/',
    ]);
    expect(el.textContent).toBe('<img src=x onerror=alert(1)> x Learn');
  });
});
