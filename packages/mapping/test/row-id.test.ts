import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMapping } from '../src/compile-mapping.js';
import type { CompiledStream } from '../src/compile-mapping.js';
import { parseMapping } from '../src/load-mapping.js';
import type { LogRecordLike } from '../src/log-record.js';
import { encodeRecord, encodeValue } from '../src/row-id.js';
import { ENV, oneStream, record } from './helpers.js';

const PYTHON_ORACLE = fileURLToPath(new URL('./fixtures/row-id.py', import.meta.url));
const RECORDS_FILE = fileURLToPath(new URL('./fixtures/row-id-records.json', import.meta.url));

function stream(columns: string): CompiledStream {
  const parsed = parseMapping(oneStream(columns), { env: ENV });
  if (!parsed.config) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const compiled = compileMapping(parsed.config, { env: ENV });
  const first = compiled.streams[0];
  if (first === undefined) throw new Error('no stream');
  return first;
}

const ROW_ID_ONLY = stream('      RowId: { from: rowId }\n');

function rowIdOf(r: LogRecordLike, s: CompiledStream = ROW_ID_ONLY): unknown {
  return s.mapRow(r).row?.['RowId'];
}

/** The fixture's JSON with its tagged values made into the JavaScript values they stand for. */
function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v !== 'object' || v === null) return v;
  const entries = Object.entries(v);
  const [tag, arg] = entries.length === 1 ? (entries[0] ?? []) : [];
  if (tag === '$bigint') return BigInt(String(arg));
  if (tag === '$bytes') return Uint8Array.from(Buffer.from(String(arg), 'hex'));
  if (tag === '$number') return { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 }[String(arg)];
  if (tag === '$date') return new Date(Number(arg));
  if (tag === '$undefined') return undefined;
  return Object.fromEntries(entries.map(([k, x]) => [k, decode(x)]));
}

describe('the rowId source against an independent implementation', () => {
  const fixture = JSON.parse(readFileSync(RECORDS_FILE, 'utf8')) as { name: string; record: unknown }[];
  const python = new Map(
    execFileSync('python3', [PYTHON_ORACLE, RECORDS_FILE], { encoding: 'utf8' })
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t') as [string, string]),
  );

  it('has an answer from the Python script for every hand-written record', () => {
    expect([...python.keys()]).toEqual(fixture.map((f) => f.name));
    // The script itself keeps the rules: the uid passes, equal records meet, others differ.
    expect(python.get('uid-wins')).toBe('01JDQ8Z4W5N2Y3K6V7B8C9D0EF');
    expect(python.get('full-sdk-record-attributes-reordered')).toBe(python.get('full-sdk-record'));
    expect(python.get('null-attribute-is-absent')).toBe(python.get('only-a-time'));
    expect(new Set(python.values()).size).toBe(python.size - 2);
  });

  it.each(fixture.map((f) => [f.name, f.record] as const))('gives %s the id Python computes', (name, raw) => {
    expect(rowIdOf(decode(raw) as LogRecordLike)).toBe(python.get(name));
  });
});

describe('the rowId encoding, byte by byte', () => {
  it('encodes a record with only a time and no attributes as the README shows', () => {
    const encoded = encodeRecord({ hrTime: [1, 2], attributes: {} });
    expect(encoded).toBe(
      'otel-sentinel row-id v1\n' +
        'a12:' +
        'a2:d3ff0000000000000d4000000000000000' +
        'nnnnnnn' +
        'm0:' +
        'nnn',
    );
  });

  it('hashes that encoding with SHA-256 and keeps the first 16 bytes as hex', () => {
    const expected = createHash('sha256')
      .update('otel-sentinel row-id v1\na12:a2:d3ff0000000000000d4000000000000000nnnnnnnm0:nnn', 'utf8')
      .digest('hex')
      .slice(0, 32);
    expect(rowIdOf({ hrTime: [1, 2], attributes: {} })).toBe(expected);
  });

  it.each([
    ['a string, with its UTF-8 length', 'é', 's2:é'],
    ['an empty string', '', 's0:'],
    ['a number, as its big-endian double', 1, 'd3ff0000000000000'],
    ['minus zero, as zero', -0, 'd0000000000000000'],
    ['NaN, as the one quiet NaN', NaN, 'd7ff8000000000000'],
    ['a bigint, in decimal', -12n, 'i-12;'],
    ['true', true, 'T'],
    ['false', false, 'F'],
    ['null', null, 'n'],
    ['undefined', undefined, 'n'],
    ['bytes, in hex', Uint8Array.of(0, 255), 'b2:00ff'],
    ['a Date, as its milliseconds', new Date(0), 'D0000000000000000'],
    ['an array, in order', ['b', 'a'], 'a2:s1:bs1:a'],
    [
      'a map, keys sorted, null entries left out',
      { b: 1, a: true, c: null },
      'm2:s1:aTs1:bd3ff0000000000000',
    ],
    [
      'keys in UTF-16 order (an emoji before U+FFFF)',
      { '\uffff': 1, '😀': 2 },
      'm2:s4:😀d4000000000000000s3:\uffffd3ff0000000000000',
    ],
  ])('encodes %s', (_what, value, expected) => {
    expect(encodeValue(value, 0)).toBe(expected);
  });

  it('stops at 32 levels of nesting', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 33; i++) deep = [deep];
    expect(encodeValue(deep, 0)).toBe(`${'a1:'.repeat(32)}z`);
  });
});

// Records with every field the encoding reads, in the shapes OpenTelemetry gives them.
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  fc.boolean(),
  fc.uint8Array({ maxLength: 8 }),
);
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;
const attributes = fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 6 });
const hrTime = fc.tuple(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: 0, max: 999_999_998 }));
const word = fc.string({ maxLength: 12 });

const logRecord: fc.Arbitrary<LogRecordLike> = fc.record(
  {
    hrTime,
    hrTimeObserved: hrTime,
    severityNumber: fc.integer({ min: 1, max: 24 }),
    severityText: word,
    body: anyValue,
    eventName: word,
    spanContext: fc.record({ traceId: fc.stringMatching(/^[0-9a-f]{32}$/), spanId: word }),
    attributes,
    resource: fc.record({ attributes }),
    instrumentationScope: fc.record({ name: word, version: word }, { requiredKeys: ['name'] }),
  },
  { requiredKeys: ['hrTime', 'attributes'] },
);

/** The same value with every map's keys inserted in the reverse order. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
  return Object.fromEntries(
    Object.entries(v)
      .reverse()
      .map(([k, x]) => [k, reversed(x)]),
  );
}

/** One change to one field the id depends on; each returns a record that differs in that field. */
const CHANGES: Record<string, (r: LogRecordLike) => LogRecordLike> = {
  timestamp: (r) => ({ ...r, hrTime: [r.hrTime[0], r.hrTime[1] + 1] }),
  observedTimestamp: (r) => ({
    ...r,
    hrTimeObserved: r.hrTimeObserved ? [r.hrTimeObserved[0] + 1, r.hrTimeObserved[1]] : [0, 0],
  }),
  severityNumber: (r) => ({ ...r, severityNumber: (r.severityNumber ?? 0) + 1 }),
  severityText: (r) => ({ ...r, severityText: `${r.severityText ?? ''}x` }),
  body: (r) => ({ ...r, body: [r.body] }),
  eventName: (r) => ({ ...r, eventName: `${r.eventName ?? ''}x` }),
  traceId: (r) => ({
    ...r,
    spanContext: { traceId: `${r.spanContext?.traceId ?? ''}x`, spanId: r.spanContext?.spanId ?? '' },
  }),
  spanId: (r) => ({
    ...r,
    spanContext: { traceId: r.spanContext?.traceId ?? '', spanId: `${r.spanContext?.spanId ?? ''}x` },
  }),
  attributes: (r) => ({ ...r, attributes: changedBag(r.attributes) }),
  resource: (r) => ({ ...r, resource: { attributes: changedBag(r.resource?.attributes ?? {}) } }),
  'scope.name': (r) => ({
    ...r,
    instrumentationScope: { ...r.instrumentationScope, name: `${r.instrumentationScope?.name ?? ''}x` },
  }),
  'scope.version': (r) => ({
    ...r,
    instrumentationScope: {
      name: r.instrumentationScope?.name ?? '',
      version: `${r.instrumentationScope?.version ?? ''}x`,
    },
  }),
};

/** The bag with one value wrapped in a list, or with a key added when it is empty. */
function changedBag(bag: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const key = Object.keys(bag).find((k) => bag[k] !== undefined && bag[k] !== null);
  return key === undefined ? { ...bag, added: 1 } : { ...bag, [key]: [bag[key]] };
}

describe('rowId properties', () => {
  it('gives the same record the same id, and a copy of it too', () => {
    fc.assert(
      fc.property(logRecord, (r) => {
        const id = rowIdOf(r);
        expect(id).toMatch(/^[0-9a-f]{32}$/);
        expect(rowIdOf(r)).toBe(id);
        expect(rowIdOf(structuredClone(r))).toBe(id);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order attributes were set in, at any depth', () => {
    fc.assert(
      fc.property(logRecord, (r) => {
        const flipped: LogRecordLike = {
          ...r,
          body: reversed(r.body),
          attributes: reversed(r.attributes) as Record<string, unknown>,
          ...(r.resource
            ? { resource: { attributes: reversed(r.resource.attributes) as Record<string, unknown> } }
            : {}),
        };
        expect(rowIdOf(flipped)).toBe(rowIdOf(r));
      }),
      { numRuns: 300 },
    );
  });

  it('changes when any one field changes', () => {
    fc.assert(
      fc.property(logRecord, fc.constantFrom(...Object.keys(CHANGES)), (r, field) => {
        const change = CHANGES[field];
        if (change === undefined) throw new Error(field);
        expect(rowIdOf(change(r))).not.toBe(rowIdOf(r));
      }),
      { numRuns: 600 },
    );
  });

  it("takes the record's own log.record.uid whatever else the record holds", () => {
    const uid = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,40}$/);
    fc.assert(
      fc.property(logRecord, logRecord, uid, (a, b, id) => {
        const withUid = (r: LogRecordLike): LogRecordLike => ({
          ...r,
          attributes: { ...r.attributes, 'log.record.uid': id },
        });
        expect(rowIdOf(withUid(a))).toBe(id);
        expect(rowIdOf(withUid(b))).toBe(id);
      }),
      { numRuns: 300 },
    );
  });

  it('is always 32 hex digits when hashed, even with redaction on (a hash is no card number)', () => {
    const redacting = stream('      RowId: { from: rowId, redact: true }\n');
    fc.assert(
      fc.property(logRecord, (r) => {
        expect(rowIdOf(r, redacting)).toMatch(/^[0-9a-f]{32}$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the rowId column', () => {
  it('is a string column when no type is given', () => {
    const parsed = parseMapping(oneStream('      RowId: { from: rowId }\n'), { env: ENV });
    expect(parsed.config?.streams[0]?.columns.find((c) => c.name === 'RowId')).toMatchObject({
      type: 'string',
      typeInferred: true,
      sourceText: 'rowId',
    });
  });

  it('is read from the raw record, whatever the other columns redact or sanitise', () => {
    const plain = stream('      RowId: { from: rowId }\n');
    const guarded = stream(
      [
        '      Msg: { from: body, transform: redact }',
        '      UserId: { from: "attributes[\'user.id\']", transform: hmac-sha256 }',
        '      Extra: { from: attributes, type: dynamic }',
        '      RowId: { from: rowId }',
        '',
      ].join('\n'),
    );
    const r = record({
      body: 'password=hunter2\nforged line',
      attributes: { 'user.id': 'alice', token: 'Bearer abcdef0123456789' },
    });
    const row = guarded.mapRow(r).row;
    expect(row?.['Msg']).toBe('[REDACTED]');
    expect(row?.['RowId']).toBe(plain.mapRow(r).row?.['RowId']);
    expect(r.body).toBe('password=hunter2\nforged line');
  });

  it("passes the record's log.record.uid through the string guards: sanitising, redaction, length", () => {
    const id = (uid: string, s?: CompiledStream): unknown =>
      rowIdOf(record({ attributes: { 'log.record.uid': uid } }), s);
    expect(id('a\nb\u202e')).toBe('a\\nb\\u202E');
    expect(id('Bearer abcdef0123456789')).toBe('Bearer [REDACTED:bearer]');
    expect(id('0123456789abcdefXYZ', stream('      RowId: { from: rowId, maxBytes: 16 }\n'))).toBe(
      '0123456789abcdef',
    );
  });

  it('hashes the record when log.record.uid is empty or not a string', () => {
    const base = record();
    const hashed = rowIdOf(base);
    expect(rowIdOf(record({ attributes: { 'log.record.uid': '' } }))).toMatch(/^[0-9a-f]{32}$/);
    expect(rowIdOf(record({ attributes: { 'log.record.uid': 42 } }))).toMatch(/^[0-9a-f]{32}$/);
    expect(rowIdOf(record({ attributes: { 'log.record.uid': 42 } }))).not.toBe(hashed);
  });
});
