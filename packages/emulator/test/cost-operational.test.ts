// Operational volume reports: checked field by field, cumulative runs turned into what is new,
// and the saving next to the security tables' projection.
import { describe, expect, it } from 'vitest';
import { CostView } from '../src/cost/cost-view.js';
import { readOperationalReport } from '../src/cost/operational-report.js';
import type { Store } from '../src/model.js';
import { memoryStores } from './support/memory-stores.js';

const open = memoryStores();

describe('readOperationalReport', () => {
  it('takes a complete report and writes its times in UTC', () => {
    expect(
      readOperationalReport({
        source: ' audit-app ',
        recordsFiltered: 3,
        bytesFiltered: 900,
        since: '2026-12-08T01:00:00+01:00',
        until: '2026-12-08T00:30:00Z',
      }),
    ).toEqual({
      source: 'audit-app',
      recordsFiltered: 3,
      bytesFiltered: 900,
      since: '2026-12-08T00:00:00.000Z',
      until: '2026-12-08T00:30:00.000Z',
    });
  });

  it.each([
    [[], 'the report must be a JSON object'],
    [{ source: 'a', recordsFiltered: 1, bytesFiltered: 2, bytesFilterd: 3 }, 'unknown field bytesFilterd'],
    [{ recordsFiltered: 1, bytesFiltered: 2 }, 'source is missing'],
    [{ source: '', recordsFiltered: 1, bytesFiltered: 2 }, 'source is ""'],
    [{ source: 'a', bytesFiltered: 2 }, 'recordsFiltered is missing: give a whole number of 0 or more'],
    [{ source: 'a', recordsFiltered: -1, bytesFiltered: 2 }, 'recordsFiltered is -1'],
    [{ source: 'a', recordsFiltered: 1, bytesFiltered: 2.5 }, 'bytesFiltered is 2.5'],
    [{ source: 'a', recordsFiltered: 1, bytesFiltered: '2' }, 'bytesFiltered is "2"'],
    [
      { source: 'a', recordsFiltered: 1, bytesFiltered: 2, since: 'yesterday' },
      'since is "yesterday": give an ISO 8601',
    ],
    [
      {
        source: 'a',
        recordsFiltered: 1,
        bytesFiltered: 2,
        since: '2026-12-08T02:00:00Z',
        until: '2026-12-08T01:00:00Z',
      },
      'since (2026-12-08T02:00:00.000Z) is after until',
    ],
  ])('refuses %j, naming what is wrong', (body, message) => {
    expect(() => readOperationalReport(body)).toThrow(message);
  });
});

describe('CostView operational sources', () => {
  const now = { at: new Date('2026-12-08T12:00:00Z') };
  function view(store: Store, pricePerGb?: number): CostView {
    return new CostView(store, pricePerGb !== undefined ? { pricePerGb } : {}, () => now.at);
  }

  it('replaces the counts of a run reported again, and adds a new run of the same source', () => {
    const cost = view(open());
    const since = '2026-12-08T08:00:00Z';
    cost.reportOperational({
      source: 'app',
      recordsFiltered: 10,
      bytesFiltered: 1000,
      since,
      until: '2026-12-08T09:00:00Z',
    });
    cost.reportOperational({
      source: 'app',
      recordsFiltered: 15,
      bytesFiltered: 1600,
      since,
      until: '2026-12-08T10:00:00Z',
    });
    cost.reportOperational({
      source: 'app',
      recordsFiltered: 1,
      bytesFiltered: 100,
      since: '2026-12-08T11:00:00Z',
    });
    const [app] = cost.summary().operational;
    expect(app).toMatchObject({ source: 'app', recordsFiltered: 16, bytesFiltered: 1700 });
    expect(app?.days).toEqual([{ day: '2026-12-08', records: 16, bytes: 1700 }]);
  });

  it('puts what a run added since its last report on the day of the new report', () => {
    const cost = view(open());
    const since = '2026-12-07T20:00:00Z';
    cost.reportOperational({
      source: 'app',
      recordsFiltered: 4,
      bytesFiltered: 400,
      since,
      until: '2026-12-07T23:00:00Z',
    });
    cost.reportOperational({
      source: 'app',
      recordsFiltered: 10,
      bytesFiltered: 1000,
      since,
      until: '2026-12-08T01:00:00Z',
    });
    expect(cost.summary().operational[0]?.days).toEqual([
      { day: '2026-12-07', records: 4, bytes: 400 },
      { day: '2026-12-08', records: 6, bytes: 600 },
    ]);
  });

  it('adds reports without since, dated when received', () => {
    const cost = view(open());
    cost.reportOperational({ source: 'gateway', recordsFiltered: 2, bytesFiltered: 20 });
    cost.reportOperational({ source: 'gateway', recordsFiltered: 3, bytesFiltered: 30 });
    expect(cost.summary().operational[0]).toMatchObject({
      recordsFiltered: 5,
      bytesFiltered: 50,
      lastReportAt: '2026-12-08T12:00:00.000Z',
      days: [{ day: '2026-12-08', records: 5, bytes: 50 }],
    });
  });

  it('refuses a run whose counts went down, and keeps what it had', () => {
    const cost = view(open());
    const since = '2026-12-08T08:00:00Z';
    cost.reportOperational({ source: 'app', recordsFiltered: 10, bytesFiltered: 1000, since });
    expect(() => {
      cost.reportOperational({ source: 'app', recordsFiltered: 9, bytesFiltered: 1000, since });
    }).toThrow(/a run's counts only grow/);
    expect(cost.summary().operational[0]?.bytesFiltered).toBe(1000);
  });

  it('shows the saving: what the operational records would add per month, and their share of all', () => {
    const store = open();
    store.ensureTable({
      name: 'Sec_CL',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'S', type: 'string' },
      ],
    });
    // One row of 28 + 72 = 100 bytes today.
    store.insert('Sec_CL', [{ TimeGenerated: '2026-12-08T10:00:00Z', S: 'y'.repeat(72) }], now.at);
    const cost = view(store, 4);
    cost.reportOperational({ source: 'app', recordsFiltered: 3, bytesFiltered: 300 });
    cost.reportOperational({ source: 'gateway', recordsFiltered: 6, bytesFiltered: 600 });
    const summary = cost.summary();
    // One day of data: 100 security bytes and 900 operational bytes a day.
    expect(summary.security.gbPerDay).toBeCloseTo(100e-9, 18);
    expect(summary.operational.map((o) => [o.source, o.projectedGbPerMonth])).toEqual([
      ['app', (300 * 30.4) / 1e9],
      ['gateway', (600 * 30.4) / 1e9],
    ]);
    expect(summary.saving.projectedGbPerMonth).toBeCloseTo((900 * 30.4) / 1e9, 18);
    expect(summary.saving.projectedCostPerMonth).toBeCloseTo((900 * 30.4 * 4) / 1e9, 18);
    expect(summary.saving.share).toBeCloseTo(0.9, 12);
  });
});
