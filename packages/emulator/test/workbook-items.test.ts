// A workbook's items as the console reads them (the connector's generated workbook and
// Microsoft's item types it does not render), how a query item's result is drawn, and tiles.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workbookItems } from '../console/src/workbook/items.js';
import { queryOptions, readParameters } from '../console/src/workbook/parameter-model.js';
import { tilesOf } from '../console/src/workbook/tiles.js';
import { chooseDrawing } from '../console/src/workbook/visualize.js';

const GOLDEN_WORKBOOK = join(
  import.meta.dirname,
  '../../connector/test/fixtures/golden/app-security/Solutions/ContosoAudit/Workbooks/ContosoAuditAppAuthEvents.json',
);

describe('workbookItems', () => {
  const items = workbookItems(JSON.parse(readFileSync(GOLDEN_WORKBOOK, 'utf8')));

  it("reads the connector's workbook as text, parameters and Log Analytics queries, in order", () => {
    expect(items.map((i) => [i.index, i.kind, i.name])).toEqual([
      [0, 'markdown', 'title'],
      [1, 'parameters', 'parameters'],
      [2, 'query', 'events-by-name'],
      [3, 'markdown', 'events-by-result'],
      [4, 'markdown', 'failures-by-user'],
      [5, 'markdown', 'failures-by-source'],
      [6, 'query', 'top-targets'],
      [7, 'markdown', 'rule-hits'],
    ]);
    expect(items[2]).toMatchObject({
      title: 'Events over time by event name',
      visualization: 'timechart',
      timeParameter: 'TimeRange',
      widthPercent: 50,
    });
    expect(items[0]?.widthPercent).toBeUndefined();
  });

  it('reads its time range and its query-fed multi-select drop-down', () => {
    const parameters = items[1]?.kind === 'parameters' ? items[1].parameters : [];
    expect(parameters[0]).toMatchObject({
      kind: 'time',
      name: 'TimeRange',
      label: 'Time range',
      defaultMs: 604_800_000,
    });
    expect(parameters[0]?.kind === 'time' ? parameters[0].options.length : 0).toBe(15);
    expect(parameters[1]).toMatchObject({
      kind: 'dropdown',
      name: 'EventType',
      multiSelect: true,
      quote: "'",
      delimiter: ',',
      offersAll: true,
      selectAllValue: '*',
      initial: ['value::all'],
      timeParameter: 'TimeRange',
    });
    expect(parameters[1]?.kind === 'dropdown' ? parameters[1].query : undefined).toContain(
      'project value = EventName',
    );
  });

  it('keeps groups, links, metrics and other query types as placeholders naming what they are', () => {
    const other = workbookItems({
      version: 'Notebook/1.0',
      items: [
        { type: 12, name: 'group - 1', content: { items: [] } },
        { type: 11, content: { links: [] } },
        { type: 10, content: {} },
        { type: 3, content: { query: 'Resources', queryType: 1 } },
        { type: 42 },
      ],
    });
    expect(other.map((i) => (i.kind === 'unsupported' ? i.what : i.kind))).toEqual([
      'group (type 12)',
      'links/tabs (type 11)',
      'metric (type 10)',
      'query of queryType 1 (Azure Resource Graph)',
      'item type 42',
    ]);
  });

  it('reads a jsonData drop-down and a text parameter, and keeps other parameter types as unsupported', () => {
    const parameters = readParameters({
      parameters: [
        {
          name: 'Env',
          type: 2,
          jsonData:
            '[{"value":"dev","label":"Development"},{"value":"prod","label":"Production","selected":true}]',
        },
        { name: 'Needle', type: 1, value: 'admin' },
        { name: 'Sub', type: 6, value: '/subscriptions/x' },
        { name: 'Broken', type: 2, jsonData: '[{' },
      ],
    });
    expect(parameters).toMatchObject([
      {
        kind: 'dropdown',
        options: [
          { value: 'dev', label: 'Development', selected: false },
          { value: 'prod', label: 'Production', selected: true },
        ],
      },
      { kind: 'text', initial: 'admin' },
      { kind: 'unsupported', type: 6, initial: '/subscriptions/x' },
      { kind: 'dropdown', options: [], problem: expect.stringContaining('jsonData is not JSON') },
    ]);
  });

  it('takes drop-down options from the value and label columns of a query result', () => {
    const options = queryOptions(
      [{ name: 'value' }, { name: 'label' }],
      [
        ['authn_login_fail', 'authn_login_fail (12)'],
        ['authn_login_success', 'authn_login_success (3)'],
      ],
    );
    expect(options).toEqual([
      { value: 'authn_login_fail', label: 'authn_login_fail (12)', selected: false },
      { value: 'authn_login_success', label: 'authn_login_success (3)', selected: false },
    ]);
  });
});

describe('chooseDrawing', () => {
  const binned = {
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'EventName', type: 'string' },
      { name: 'Events', type: 'long' },
    ],
    rows: [],
  };

  it('draws a timechart on the datetime column, one series per text value', () => {
    expect(chooseDrawing('timechart', binned)).toEqual({
      draw: 'result',
      chart: { kind: 'timechart', x: 'TimeGenerated', y: ['Events'], series: 'EventName' },
    });
  });

  it('draws bars and pies on the first text column and the numbers', () => {
    const counted = {
      columns: [
        { name: 'Target', type: 'string' },
        { name: 'Events', type: 'long' },
      ],
      rows: [],
    };
    expect(chooseDrawing('barchart', counted)).toEqual({
      draw: 'result',
      chart: { kind: 'barchart', x: 'Target', y: ['Events'] },
    });
    expect(chooseDrawing('piechart', counted)).toEqual({
      draw: 'result',
      chart: { kind: 'piechart', x: 'Target', y: ['Events'] },
    });
    expect(chooseDrawing(undefined, counted)).toEqual({
      draw: 'result',
      chart: { kind: 'table', x: '', y: [] },
    });
  });

  it('shows a table and says why when the chart cannot be drawn', () => {
    const text = { columns: [{ name: 'Target', type: 'string' }], rows: [] };
    expect(chooseDrawing('timechart', text)).toMatchObject({
      chart: { kind: 'table' },
      note: expect.stringContaining('no datetime column'),
    });
    expect(chooseDrawing('graph', text)).toMatchObject({
      chart: { kind: 'table' },
      note: 'graph shown as a table: the console does not draw this visualization',
    });
  });
});

describe('tilesOf', () => {
  it('keeps markup from query results as plain strings for textContent', () => {
    const result = {
      columns: [
        { name: 'User', type: 'string' },
        { name: 'Failures', type: 'long' },
      ],
      rows: [['<img src=x onerror=alert(1)>', 12]],
    };
    expect(tilesOf(result, undefined)).toEqual([{ title: '<img src=x onerror=alert(1)>', value: '12' }]);
  });

  it("takes title, subtitle and value from the item's tileSettings columns", () => {
    const result = {
      columns: [
        { name: 'appName', type: 'string' },
        { name: 'name', type: 'string' },
        { name: 'Requests', type: 'long' },
        { name: 'Extra', type: 'dynamic' },
      ],
      rows: [['shop', 'GET /', 7, { a: 1 }]],
    };
    const settings = {
      titleContent: { columnMatch: 'name' },
      subtitleContent: { columnMatch: 'appName' },
      leftContent: { columnMatch: 'Requests' },
    };
    expect(tilesOf(result, settings)).toEqual([{ title: 'GET /', subtitle: 'shop', value: '7' }]);
  });
});
