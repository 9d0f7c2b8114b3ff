// The billed-size estimate and the monthly projection, against byte counts worked out by hand
// from the rule in src/cost/billed-size.ts (UTF-8 bytes of each value's text form).
import { describe, expect, it } from 'vitest';
import { CostView } from '../src/cost/cost-view.js';
import { dailyAverage, monthlyGb, projectionWindow } from '../src/cost/projection.js';
import type { Store, TableDef } from '../src/model.js';
import { memoryStores } from './support/memory-stores.js';

const open = memoryStores();

const EVERY_TYPE: TableDef = {
  name: 'Cost_CL',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Text', type: 'string' },
    { name: 'Ref', type: 'guid' },
    { name: 'Small', type: 'int' },
    { name: 'Big', type: 'long' },
    { name: 'Ratio', type: 'real' },
    { name: 'Whole', type: 'real' },
    { name: 'Flag', type: 'boolean' },
    { name: 'On', type: 'boolean' },
    { name: 'Bag', type: 'dynamic' },
    { name: 'Type', type: 'string' },
    { name: '_ResourceId', type: 'string' },
    { name: '_IsBillable', type: 'string' },
  ],
};
const ROW = {
  TimeGenerated: '2025-03-04T12:00:00Z', // stored as 2025-03-04T12:00:00.0000000Z: 28 bytes
  Text: 'héllo 👋', // h e(2) l l o space 👋(4): 11 bytes
  Ref: '6f9619ff-8b86-d011-b42d-00cf4fc964ff', // 36
  Small: -2147483648, // 11
  Big: '9007199254740993', // 16 digits, beyond a double
  Ratio: 0.1, // "0.1": 3
  Whole: 2, // a whole real counts as "2": 1
  Flag: false, // "false": 5
  On: true, // "true": 4
  Bag: { a: [1, 'x'], b: null }, // {"a":[1,"x"],"b":null}: 22
  Type: 'Cost_CL', // not billed
  _ResourceId: '/subscriptions/0000/resourceGroups/rg', // not billed
  _IsBillable: 'true', // not billed
};
const ROW_BYTES = 28 + 11 + 36 + 11 + 16 + 3 + 1 + 5 + 4 + 22;
const RECEIVED = new Date('2025-03-06T08:00:00Z');

function viewAt(
  store: Store,
  now: string,
  options: ConstructorParameters<typeof CostView>[1] = {},
): CostView {
  return new CostView(store, options, () => new Date(now));
}

describe('the billed-size estimate', () => {
  it('counts the UTF-8 bytes of every column type as text, leaving out Type and the underscore columns', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert('Cost_CL', [ROW], RECEIVED);
    const [table] = viewAt(store, '2025-03-04T13:00:00Z').summary().tables;
    expect(table?.days).toEqual([{ day: '2025-03-04', rows: 1, billedBytes: 137 }]);
    expect(ROW_BYTES).toBe(137);
  });

  it('counts a null as nothing, and puts a row without TimeGenerated on the day it was received', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert('Cost_CL', [{ Flag: null, Whole: null, Text: 'ab' }], RECEIVED);
    const [table] = viewAt(store, '2025-03-06T09:00:00Z').summary().tables;
    expect(table?.days).toEqual([{ day: '2025-03-06', rows: 1, billedBytes: 2 }]);
  });

  it('counts true as 4 bytes and false as 5, each on its own day', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert(
      'Cost_CL',
      [
        { TimeGenerated: '2025-03-01T00:00:00Z', On: true }, // 28 + 4
        { TimeGenerated: '2025-03-02T00:00:00Z', On: false }, // 28 + 5
      ],
      RECEIVED,
    );
    const [table] = viewAt(store, '2025-03-02T12:00:00Z').summary().tables;
    expect(table?.days).toEqual([
      { day: '2025-03-01', rows: 1, billedBytes: 32 },
      { day: '2025-03-02', rows: 1, billedBytes: 33 },
    ]);
  });

  it('splits rows at UTC midnight by TimeGenerated', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert(
      'Cost_CL',
      [
        { TimeGenerated: '2025-03-04T23:59:59.9999999Z', Text: 'a' }, // 28 + 1
        { TimeGenerated: '2025-03-05T00:00:00Z', Text: 'bb' }, // 28 + 2
        { TimeGenerated: '2025-03-05T01:00:00+02:00', Text: 'ccc' }, // 2025-03-04T23:00Z: 28 + 3
      ],
      RECEIVED,
    );
    const [table] = viewAt(store, '2025-03-05T12:00:00Z').summary().tables;
    expect(table?.days).toEqual([
      { day: '2025-03-04', rows: 2, billedBytes: 29 + 31 },
      { day: '2025-03-05', rows: 1, billedBytes: 30 },
    ]);
    expect(table?.rows).toBe(3);
    expect(table?.billedBytes).toBe(90);
  });
});

describe('the monthly projection', () => {
  it('averages the last days ending today, from the first day with data', () => {
    expect(projectionWindow('2026-12-08', 7, '2026-12-07')).toEqual({
      from: '2026-12-07',
      to: '2026-12-08',
      days: 2,
    });
    expect(projectionWindow('2026-12-08', 7, '2026-11-01')).toEqual({
      from: '2026-12-02',
      to: '2026-12-08',
      days: 7,
    });
    expect(projectionWindow('2026-03-01', 3, '2026-01-01')).toEqual({
      from: '2026-02-27',
      to: '2026-03-01',
      days: 3,
    });
    expect(projectionWindow('2026-12-08', 7, '2026-12-09')).toEqual({
      from: '2026-12-08',
      to: '2026-12-08',
      days: 1,
    });
    expect(projectionWindow('2026-12-08', 7, undefined)).toBeUndefined();
  });

  it('counts days without data in the window as 0 and leaves out days outside it', () => {
    const window = { from: '2026-12-02', to: '2026-12-08', days: 7 };
    const days = [
      { day: '2026-12-01', bytes: 1_000_000 },
      { day: '2026-12-02', bytes: 700 },
      { day: '2026-12-08', bytes: 700 },
      { day: '2026-12-09', bytes: 1_000_000 },
    ];
    expect(dailyAverage(days, window)).toBe(200);
  });

  it('projects 30.4 days of GB of 10^9 bytes', () => {
    expect(monthlyGb(1e9)).toBeCloseTo(30.4, 12);
    expect(monthlyGb(2_500_000)).toBeCloseTo(0.076, 12);
  });

  it('projects each table and all of them at the configured price', () => {
    const store = open();
    store.ensureTable({
      name: 'A_CL',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'S', type: 'string' },
      ],
    });
    const big = 'x'.repeat(1_000_000 - 28); // a row of exactly 10^6 bytes with its TimeGenerated
    store.insert('A_CL', [{ TimeGenerated: '2026-12-07T10:00:00Z', S: big }], RECEIVED);
    store.insert(
      'A_CL',
      [1, 2, 3].map(() => ({ TimeGenerated: '2026-12-08T10:00:00Z', S: big })),
      RECEIVED,
    );
    const summary = viewAt(store, '2026-12-08T11:00:00Z', { pricePerGb: 2.5, currency: 'eur' }).summary();
    // Two days (the data began yesterday), 4·10^6 bytes: 2·10^6 a day, 0.002 GB; ×30.4 = 0.0608 GB.
    expect(summary.window).toEqual({ from: '2026-12-07', to: '2026-12-08', days: 2 });
    expect(summary.price).toEqual({ perGb: 2.5, currency: 'EUR' });
    const [a] = summary.tables;
    expect(a?.rowsPerDay).toBe(2);
    expect(a?.gbPerDay).toBeCloseTo(0.002, 12);
    expect(a?.projectedGbPerMonth).toBeCloseTo(0.0608, 12);
    expect(a?.projectedCostPerMonth).toBeCloseTo(0.152, 12);
    expect(summary.security.projectedCostPerMonth).toBeCloseTo(0.152, 12);
    expect(summary.estimate).toBe(true);
  });

  it('shows GB only without a price, and says how to set one', () => {
    const summary = viewAt(open(), '2026-12-08T11:00:00Z').summary();
    expect(summary.price).toBeNull();
    expect(summary.priceHint).toContain('--price-per-gb');
    expect(summary.security).toEqual({ gbPerDay: 0, projectedGbPerMonth: 0 });
  });

  it('refuses a negative price, a currency that is not a code and a window of 0 days', () => {
    const store = open();
    expect(() => new CostView(store, { pricePerGb: -1 })).toThrow(/cost.pricePerGb is -1/);
    expect(() => new CostView(store, { currency: 'euros' })).toThrow(/three-letter currency code/);
    expect(() => new CostView(store, { days: 0 })).toThrow(/cost.days is 0/);
  });
});
