// The embedded store: typed SQLite tables per custom table, `_TimeReceived`, WAL files that
// survive a restart, columns added in place, and names that cannot break out of their quotes.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Store, TableDef } from '../src/model.js';
import { openStore, quoteIdentifier } from '../src/store/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'emulator-store-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
let opened: Store[] = [];
afterEach(() => {
  for (const s of opened) s.close();
  opened = [];
});
function open(file: string = ':memory:'): Store {
  const store = openStore(file);
  opened.push(store);
  return store;
}

const RECEIVED = new Date('2025-03-04T05:06:07.891Z');
const EVERY_TYPE: TableDef = {
  name: 'Everything_CL',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'Text', type: 'string' },
    { name: 'Ref', type: 'guid' },
    { name: 'Small', type: 'int' },
    { name: 'Big', type: 'long' },
    { name: 'Ratio', type: 'real' },
    { name: 'Flag', type: 'boolean' },
    { name: 'Bag', type: 'dynamic' },
  ],
};
const FULL_ROW = {
  TimeGenerated: '2025-03-04T05:00:00.1234567Z',
  Text: 'héllo 👋',
  Ref: '6f9619ff-8b86-d011-b42d-00cf4fc964ff',
  Small: -2147483648,
  Big: 9007199254740991,
  Ratio: 0.1,
  Flag: true,
  Bag: { user: { id: 7, roles: ['a', 'b'] }, ok: false, none: null },
};

describe('openStore round trips', () => {
  it('reads back every column type as the JSON value written, with _TimeReceived', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert('Everything_CL', [FULL_ROW, { ...FULL_ROW, Flag: false, Bag: [1, 'two'] }], RECEIVED);
    const rows = [...store.scan('Everything_CL')];
    expect(rows[0]).toEqual({ ...FULL_ROW, _TimeReceived: '2025-03-04T05:06:07.8910000Z' });
    expect(rows[1]?.Flag).toBe(false);
    expect(rows[1]?.Bag).toEqual([1, 'two']);
  });

  it('reads absent and null values as null', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert('Everything_CL', [{ Text: null }], RECEIVED);
    const [row] = [...store.scan('Everything_CL')];
    expect(row).toEqual({
      TimeGenerated: null,
      Text: null,
      Ref: null,
      Small: null,
      Big: null,
      Ratio: null,
      Flag: null,
      Bag: null,
      _TimeReceived: '2025-03-04T05:06:07.8910000Z',
    });
  });

  it('keeps datetimes in Sentinel form: UTC, seven fraction digits', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert(
      'Everything_CL',
      [{ TimeGenerated: '2025-03-04T07:00:00+02:00' }, { TimeGenerated: new Date(0) }],
      RECEIVED,
    );
    expect([...store.scan('Everything_CL')].map((r) => r.TimeGenerated)).toEqual([
      '2025-03-04T05:00:00.0000000Z',
      '1970-01-01T00:00:00.0000000Z',
    ]);
  });

  it('stores null for a value that cannot have the column type', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert(
      'Everything_CL',
      [{ TimeGenerated: 'yesterday', Small: 2 ** 31, Big: 'many', Ratio: 'x', Flag: 'yes' }],
      RECEIVED,
    );
    const [row] = [...store.scan('Everything_CL')];
    expect([row?.TimeGenerated, row?.Small, row?.Big, row?.Ratio, row?.Flag]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('converts values whose meaning is plain: numeric text, 0/1 booleans, a number in a string column', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert('Everything_CL', [{ Text: 42, Small: '17', Big: 3.9, Ratio: '2.5', Flag: 1 }], RECEIVED);
    const [row] = [...store.scan('Everything_CL')];
    expect([row?.Text, row?.Small, row?.Big, row?.Ratio, row?.Flag]).toEqual(['42', 17, 3, 2.5, true]);
  });

  it('keeps a string written to a dynamic column a string', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert('Everything_CL', [{ Bag: '{"not":"parsed"}' }], RECEIVED);
    expect([...store.scan('Everything_CL')][0]?.Bag).toBe('{"not":"parsed"}');
  });

  it('round-trips any string, integer, double and JSON value (property)', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.maxSafeInteger(),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
        fc.boolean(),
        // An integral double beyond 2^53 is written as digits a long reads exactly: see the tests below.
        fc.jsonValue().filter((v) => !hasUnsafeInteger(v)),
        (text, small, big, ratio, flag, bag) => {
          const before = store.count('Everything_CL');
          store.insert(
            'Everything_CL',
            [{ Text: text, Small: small, Big: big, Ratio: ratio, Flag: flag, Bag: bag }],
            RECEIVED,
          );
          const rows = [...store.scan('Everything_CL')];
          const row = rows[before];
          expect(rows).toHaveLength(before + 1);
          expect(row?.Text).toBe(text);
          expect(row?.Small).toBe(small);
          expect(row?.Big).toBe(big);
          expect(row?.Ratio).toBe(ratio);
          expect(row?.Flag).toBe(flag);
          expect(row?.Bag).toEqual(JSON.parse(JSON.stringify(bag)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('openStore 64-bit integers', () => {
  it('keeps longs at the ends of the 64-bit range and around 2^53 exactly', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    const longs = [
      9223372036854775807n,
      -9223372036854775807n,
      -9223372036854775808n,
      9007199254740993n,
      -9007199254740993n,
      9007199254740991,
      -9007199254740991,
    ];
    store.insert(
      'Everything_CL',
      longs.map((Big) => ({ Big })),
      RECEIVED,
    );
    expect([...store.scan('Everything_CL')].map((r) => r.Big)).toEqual(longs);
  });

  it('stores null for a long beyond 64 bits', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert('Everything_CL', [{ Big: 9223372036854775808n }, { Big: '-9223372036854775809' }], RECEIVED);
    expect([...store.scan('Everything_CL')].map((r) => r.Big)).toEqual([null, null]);
  });

  it('keeps a big integer inside a dynamic value with its digits', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    store.insert(
      'Everything_CL',
      [{ Bag: { id: 9223372036854775807n, list: [-9007199254740993n, 1.5] } }],
      RECEIVED,
    );
    expect([...store.scan('Everything_CL')][0]?.Bag).toEqual({
      id: 9223372036854775807n,
      list: [-9007199254740993n, 1.5],
    });
  });
});

function hasUnsafeInteger(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v);
  if (Array.isArray(v)) return v.some(hasUnsafeInteger);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasUnsafeInteger);
  return false;
}

describe('openStore files', () => {
  it('keeps rows, types and tables across a reopen of the file', () => {
    const file = join(dir, 'reopen.sqlite');
    const first = openStore(file);
    first.ensureTable(EVERY_TYPE);
    first.insert('Everything_CL', [FULL_ROW], RECEIVED);
    first.close();
    const second = open(file);
    expect(second.tableNames()).toEqual(['Everything_CL']);
    expect([...second.scan('Everything_CL')]).toEqual([
      { ...FULL_ROW, _TimeReceived: '2025-03-04T05:06:07.8910000Z' },
    ]);
  });

  it('writes the file in WAL mode', () => {
    const file = join(dir, 'wal.sqlite');
    const store = open(file);
    store.ensureTable(EVERY_TYPE);
    store.insert('Everything_CL', [FULL_ROW], RECEIVED);
    expect(existsSync(`${file}-wal`)).toBe(true);
    const raw = new DatabaseSync(file, { readOnly: true });
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    raw.close();
  });

  it('lets a second ensureTable of the same definition change nothing', () => {
    const file = join(dir, 'again.sqlite');
    const first = openStore(file);
    first.ensureTable(EVERY_TYPE);
    first.insert('Everything_CL', [FULL_ROW], RECEIVED);
    first.close();
    const second = open(file);
    second.ensureTable(EVERY_TYPE);
    expect(second.count('Everything_CL')).toBe(1);
  });
});

describe('ensureTable', () => {
  it('adds the columns a table lacks; older rows read null in them', () => {
    const file = join(dir, 'grow.sqlite');
    const first = openStore(file);
    first.ensureTable({ name: 'Grow_CL', columns: [{ name: 'A', type: 'string' }] });
    first.insert('Grow_CL', [{ A: 'old', B: 1 }], RECEIVED);
    first.close();
    const store = open(file);
    store.ensureTable({
      name: 'Grow_CL',
      columns: [
        { name: 'A', type: 'string' },
        { name: 'B', type: 'long' },
      ],
    });
    store.insert('Grow_CL', [{ A: 'new', B: 2 }], RECEIVED);
    expect([...store.scan('Grow_CL')].map((r) => [r.A, r.B])).toEqual([
      ['old', null],
      ['new', 2],
    ]);
  });

  it('refuses to change the type of a stored column, saying what to do', () => {
    const store = open();
    store.ensureTable({ name: 'T_CL', columns: [{ name: 'A', type: 'string' }] });
    expect(() => {
      store.ensureTable({ name: 'T_CL', columns: [{ name: 'A', type: 'long' }] });
    }).toThrow(
      expect.objectContaining({
        code: 'E_COLUMN_TYPE',
        message: expect.stringMatching(/A \(long\) is stored as A \(string\)/),
      }),
    );
  });

  it.each([
    [{ name: '', columns: [] }, /empty/],
    [{ name: 'sqlite_master', columns: [] }, /reserved/],
    [{ name: 'T_CL', columns: [{ name: '_TimeReceived', type: 'datetime' as const }] }, /the store adds it/],
    [
      {
        name: 'T_CL',
        columns: [
          { name: 'A', type: 'string' as const },
          { name: 'a', type: 'string' as const },
        ],
      },
      /differ only in case/,
    ],
  ])('refuses the table %o', (table, message) => {
    expect(() => {
      open().ensureTable(table);
    }).toThrow(expect.objectContaining({ code: 'E_NAME', message: expect.stringMatching(message) }));
  });

  it('refuses a table whose name differs from a stored one only in case', () => {
    const store = open();
    store.ensureTable({ name: 'Case_CL', columns: [] });
    expect(() => {
      store.ensureTable({ name: 'CASE_CL', columns: [] });
    }).toThrow(expect.objectContaining({ code: 'E_NAME' }));
  });
});

describe('names that look like SQL injection', () => {
  it('quotes identifiers by doubling embedded quotes', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });

  it('creates, fills and reads tables and columns with quotes, semicolons and comments in their names', () => {
    const store = open();
    const victim: TableDef = { name: 'Victim_CL', columns: [{ name: 'A', type: 'string' }] };
    const evil: TableDef = {
      name: 'Evil"; DROP TABLE "Victim_CL"; --_CL',
      columns: [
        { name: "Robert'); DROP TABLE Victim_CL;--", type: 'string' },
        { name: 'x" INTEGER, "y', type: 'long' },
      ],
    };
    store.ensureTable(victim);
    store.insert('Victim_CL', [{ A: 'still here' }], RECEIVED);
    store.ensureTable(evil);
    store.insert(evil.name, [{ "Robert'); DROP TABLE Victim_CL;--": 'v', 'x" INTEGER, "y': 5 }], RECEIVED);
    expect([...store.scan(evil.name)]).toEqual([
      {
        "Robert'); DROP TABLE Victim_CL;--": 'v',
        'x" INTEGER, "y': 5,
        _TimeReceived: '2025-03-04T05:06:07.8910000Z',
      },
    ]);
    expect(store.count('Victim_CL')).toBe(1);
    expect(store.tableNames()).toEqual(['Victim_CL', evil.name]);
  });
});

describe('insert, count and close', () => {
  it('inserts a batch in one transaction: a failing row leaves none of the batch', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => store.insert('Everything_CL', [FULL_ROW, { Bag: circular }], RECEIVED)).toThrow(TypeError);
    expect(store.count('Everything_CL')).toBe(0);
    store.insert('Everything_CL', [FULL_ROW], RECEIVED);
    expect(store.count('Everything_CL')).toBe(1);
  });

  it('returns how many rows it inserted and ignores keys that are not columns', () => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    expect(store.insert('Everything_CL', [{ Text: 'a', NotAColumn: 1 }, { Text: 'b' }], RECEIVED)).toBe(2);
    expect([...store.scan('Everything_CL')].map((r) => Object.keys(r).includes('NotAColumn'))).toEqual([
      false,
      false,
    ]);
  });

  it.each([
    ['insert', (s: Store) => s.insert('Nope_CL', [], RECEIVED)],
    ['scan', (s: Store) => [...s.scan('Nope_CL')]],
    ['count', (s: Store) => s.count('Nope_CL')],
  ])('%s of an unknown table names the known ones', (_name, act) => {
    const store = open();
    store.ensureTable(EVERY_TYPE);
    expect(() => act(store)).toThrow(
      expect.objectContaining({
        code: 'E_UNKNOWN_TABLE',
        message: expect.stringMatching(/Nope_CL.*known: Everything_CL/),
      }),
    );
  });

  it('closes once, and refuses work after', () => {
    const store = openStore(':memory:');
    store.close();
    store.close();
    expect(() => store.tableNames()).toThrow(expect.objectContaining({ code: 'E_CLOSED' }));
  });
});
