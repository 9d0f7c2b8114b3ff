import { describe, expect, it } from 'vitest';
import { compileMapping } from '../src/compile-mapping.js';
import { formatProblem } from '../src/problems.js';
import { parseMapping } from '../src/load-mapping.js';
import type { MappingConfig } from '../src/types.js';
import { ENV, oneStream, record } from './helpers.js';

function config(text: string): MappingConfig {
  const r = parseMapping(text, { env: ENV });
  if (!r.config) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.config;
}

function compile(columns: string, extra = '') {
  return compileMapping(config(oneStream(columns, extra)), { env: ENV });
}

const USER_INT = '      UserId: { from: "attributes[\'user.id\']", type: int }\n';
const EXTRA = '      AdditionalFields: { from: attributes, type: dynamic, exclude: [user.id] }\n';
const TIME = '2023-11-14T22:13:20.1234567Z';

describe('a value that does not fit its column, by default (onMismatch: keep)', () => {
  it('is kept in AdditionalFields with the column name, the type and the reason', () => {
    const m = compile(USER_INT + EXTRA);
    const o = m.map(record({ attributes: { 'user.id': 'alice@example.com', tenant: 't1' } }));
    expect(o).toMatchObject({ status: 'mapped' });
    expect(o.status === 'mapped' && JSON.stringify(o.row)).toBe(
      `{"TimeGenerated":"${TIME}","AdditionalFields":{"tenant":"t1","otel_sentinel.mismatch":{"UserId":{"value":"alice@example.com","type":"int","reason":"unparsable"}}}}`,
    );
  });

  it('is named in the outcome and counted per column and reason, never with the value', () => {
    const m = compile(USER_INT + EXTRA);
    const o = m.map(record({ attributes: { 'user.id': 'alice@example.com' } }));
    m.map(record({ attributes: { 'user.id': [1, 2] } }));
    m.map(record({ attributes: { 'user.id': 42 } }));
    expect(o.status === 'mapped' && o.mismatches).toEqual([
      {
        stream: 'Custom-Sec',
        column: 'UserId',
        type: 'int',
        reason: 'unparsable',
        action: 'kept',
        keptIn: 'AdditionalFields',
      },
    ]);
    expect(m.stats().mismatches).toEqual({
      'Custom-Sec.UserId': {
        type: 'int',
        reasons: { unparsable: 1, 'type-mismatch': 1 },
        kept: 2,
        emptied: 0,
        rejected: 0,
      },
    });
  });

  it('leaves no trace on a row whose values all fit', () => {
    const m = compile(USER_INT + EXTRA);
    const o = m.map(record({ attributes: { 'user.id': 42 } }));
    expect(o.status === 'mapped' && 'mismatches' in o).toBe(false);
    expect(o.status === 'mapped' && o.row).toEqual({ TimeGenerated: TIME, UserId: 42, AdditionalFields: {} });
    expect(m.stats().mismatches).toEqual({});
  });

  it('is kept in the column overflowColumn names, which may have no value of its own', () => {
    const m = compile(
      USER_INT + '      Extra: { from: "attributes[\'extra\']", type: dynamic }\n',
      '    overflowColumn: Extra\n',
    );
    const o = m.map(record({ attributes: { 'user.id': 'bob' } }));
    expect(o.status === 'mapped' && o.row).toEqual({
      TimeGenerated: TIME,
      Extra: { 'otel_sentinel.mismatch': { UserId: { value: 'bob', type: 'int', reason: 'unparsable' } } },
    });
  });

  it('fills the column with its default and still keeps the original', () => {
    const m = compile(
      '      Port: { from: "attributes[\'server.port\']", type: int, default: 443 }\n' + EXTRA,
    );
    const o = m.map(record({ attributes: { 'server.port': 'https' } }));
    expect(o.status === 'mapped' && o.row).toEqual({
      TimeGenerated: TIME,
      Port: 443,
      AdditionalFields: {
        'server.port': 'https',
        'otel_sentinel.mismatch': { Port: { value: 'https', type: 'int', reason: 'unparsable' } },
      },
    });
  });

  it('is redacted and sanitised in the overflow column like any value there', () => {
    const m = compile(USER_INT + EXTRA);
    const o = m.map(
      record({ attributes: { 'user.id': 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123\u0007' } }),
    );
    expect(o.status === 'mapped' && JSON.stringify(o.row.AdditionalFields)).toBe(
      '{"otel_sentinel.mismatch":{"UserId":{"value":"Authorization: Bearer [REDACTED:bearer]\\\\u0007","type":"int","reason":"unparsable"}}}',
    );
  });

  it('is cut to the column maxBytes in the overflow column', () => {
    const m = compile('      Port: { from: "attributes[\'p\']", type: int, maxBytes: 16 }\n' + EXTRA);
    const o = m.map(record({ attributes: { p: 'x'.repeat(100) } }));
    expect(o.status === 'mapped' && JSON.stringify(o.row.AdditionalFields)).toBe(
      `{"p":"${'x'.repeat(100)}","otel_sentinel.mismatch":{"Port":{"value":"xxxxxxxxxxxxxxxx","type":"int","reason":"unparsable"}}}`,
    );
    expect(m.stats().truncatedFields).toBe(1);
  });

  it('is emptied and counted as emptied when the stream has no overflow column', () => {
    const m = compile(USER_INT);
    const o = m.map(record({ attributes: { 'user.id': 'alice@example.com' } }));
    expect(o.status === 'mapped' && o.row).toEqual({ TimeGenerated: TIME });
    expect(o.status === 'mapped' && o.mismatches).toEqual([
      { stream: 'Custom-Sec', column: 'UserId', type: 'int', reason: 'unparsable', action: 'emptied' },
    ]);
  });

  it('is emptied and counted as emptied when the overflow value is not a map', () => {
    const m = compile(
      USER_INT + '      Extra: { from: body, type: dynamic }\n',
      '    overflowColumn: Extra\n',
    );
    const o = m.map(record({ body: 'plain text', attributes: { 'user.id': 'alice' } }));
    expect(o.status === 'mapped' && o.row).toEqual({ TimeGenerated: TIME, Extra: 'plain text' });
    expect(m.stats().mismatches['Custom-Sec.UserId']).toMatchObject({ kept: 0, emptied: 1 });
  });
});

describe('onMismatch: empty and reject', () => {
  it('empty empties the column, keeps nothing and counts it', () => {
    const m = compile(
      '      UserId: { from: "attributes[\'user.id\']", type: int, onMismatch: empty }\n' + EXTRA,
    );
    const o = m.map(record({ attributes: { 'user.id': 'alice@example.com' } }));
    expect(o.status === 'mapped' && o.row).toEqual({ TimeGenerated: TIME, AdditionalFields: {} });
    expect(m.stats().mismatches).toEqual({
      'Custom-Sec.UserId': { type: 'int', reasons: { unparsable: 1 }, kept: 0, emptied: 1, rejected: 0 },
    });
  });

  it('reject rejects the record with the column and the reason, never the value', () => {
    const m = compile(
      '      UserId: { from: "attributes[\'user.id\']", type: long, onMismatch: reject, default: 0 }\n' +
        EXTRA,
    );
    const o = m.map(record({ attributes: { 'user.id': 'alice@example.com' } }));
    expect(o).toMatchObject({
      status: 'rejected',
      reason: { code: 'E_COLUMN_MISMATCH', column: 'UserId', stream: 'Custom-Sec' },
      mismatches: [{ column: 'UserId', type: 'long', reason: 'unparsable', action: 'rejected' }],
    });
    expect(JSON.stringify(o)).not.toContain('alice');
    expect(m.stats().rejectedByCode).toEqual({ E_COLUMN_MISMATCH: 1 });
    expect(m.stats().mismatches['Custom-Sec.UserId']).toMatchObject({ kept: 0, emptied: 0, rejected: 1 });
  });

  it('a missing value is no mismatch: reject lets it pass as an empty column', () => {
    const m = compile('      UserId: { from: "attributes[\'user.id\']", type: int, onMismatch: reject }\n');
    expect(m.map(record())).toMatchObject({ status: 'mapped', row: { TimeGenerated: TIME } });
    expect(m.stats().mismatches).toEqual({});
  });

  it('defaults.onMismatch sets the policy of every column of the stream that gives none', () => {
    const m = compile(
      USER_INT + '      Port: { from: "attributes[\'p\']", type: int, onMismatch: keep }\n' + EXTRA,
      '    defaults: { onMismatch: reject }\n',
    );
    expect(m.map(record({ attributes: { p: 'x' } }))).toMatchObject({ status: 'mapped' });
    expect(m.map(record({ attributes: { 'user.id': 'x' } }))).toMatchObject({
      status: 'rejected',
      reason: { code: 'E_COLUMN_MISMATCH', column: 'UserId' },
    });
  });

  it('every value held for a rejected record is counted as rejected with it', () => {
    const m = compile(USER_INT + '      Ev: { from: "attributes[\'ev\']", required: true }\n' + EXTRA);
    expect(m.map(record({ attributes: { 'user.id': 'alice' } }))).toMatchObject({
      status: 'rejected',
      reason: { code: 'E_REQUIRED_MISSING' },
      mismatches: [{ column: 'UserId', action: 'rejected' }],
    });
  });
});

describe('validating where values will not fit', () => {
  function problems(text: string): string[] {
    return parseMapping(text, { env: ENV, fileName: 'm.yaml' }).problems.map(formatProblem);
  }

  it('warns at the type when a semantic-convention string attribute goes to an int column', () => {
    expect(problems(oneStream(USER_INT + EXTRA))).toContain(
      "m.yaml:8:54: warning: column UserId is int, but attributes['user.id'] is a string in the OpenTelemetry semantic conventions (such as an e-mail address or a name): such values do not fit it (onMismatch says what becomes of them); use type: string or dynamic unless every value fits int (at streams[0].columns.UserId.type)",
    );
  });

  it('warns when a record field or a constant cannot fit the type', () => {
    const text = oneStream(
      '      Ev: { from: eventName, type: long }\n      Kc: { from: { const: abc }, type: real }\n      Sev: { from: severityNumber, type: guid }\n' +
        EXTRA,
    );
    const codes = parseMapping(text, { env: ENV }).problems.filter((p) => p.code === 'W_TYPE_MISMATCH');
    expect(codes.map((p) => p.path)).toEqual([
      'streams[0].columns.Ev.type',
      'streams[0].columns.Kc.type',
      'streams[0].columns.Sev.type',
    ]);
  });

  it('says nothing where the source can hold the type', () => {
    const text = oneStream(
      '      Port: { from: "attributes[\'server.port\']", type: long }\n      Trace: { from: traceId, type: guid }\n      Code: { from: "attributes[\'code\']", type: int }\n' +
        EXTRA,
    );
    expect(parseMapping(text, { env: ENV }).problems.filter((p) => p.severity !== 'info')).toEqual([]);
  });

  it('refuses an overflowColumn that is no dynamic column of the stream', () => {
    expect(problems(oneStream(USER_INT, '    overflowColumn: Nope\n'))).toContain(
      'm.yaml:7:21: error: overflowColumn Nope is not a column of this stream; add it, e.g. Nope: { from: attributes, type: dynamic } (at streams[0].overflowColumn)',
    );
    expect(problems(oneStream(USER_INT, '    overflowColumn: UserId\n'))).toContain(
      'm.yaml:7:21: error: overflowColumn UserId is int; it must be a dynamic column (at streams[0].overflowColumn)',
    );
  });

  it('notes a stream whose values that do not fit would be emptied for want of an overflow column', () => {
    const found = parseMapping(oneStream('      Port: { from: "attributes[\'p\']", type: int }\n'), {
      env: ENV,
    }).problems.filter((p) => p.code === 'I_NO_OVERFLOW_COLUMN');
    expect(found).toHaveLength(1);
  });
});

describe('validating against sample records', () => {
  it('warns at the type of each column whose sample values do not fit, counting them', () => {
    const text = oneStream(
      '      UserId: { from: "attributes[\'app.user\']", type: int }\n      Port: { from: "attributes[\'p\']", type: int }\n      Seen: { from: "attributes[\'seen\']", type: datetime }\n',
    );
    const samples = [
      record({ attributes: { 'app.user': 'alice@example.com', p: 443, seen: 'yesterday' } }),
      record({ attributes: { 'app.user': 42, p: '8443' } }),
      record({ attributes: { 'app.user': [1] } }),
    ];
    const found = parseMapping(text, { env: ENV, fileName: 'm.yaml', samples })
      .problems.filter((p) => p.code === 'W_SAMPLE_TYPE')
      .map(formatProblem);
    expect(found).toEqual([
      "m.yaml:8:55: warning: in the sample, 2 of 3 values of attributes['app.user'] do not fit int (unparsable, type-mismatch); onMismatch says what becomes of such values: use type: string or dynamic unless the app will send values that fit (at streams[0].columns.UserId.type)",
      "m.yaml:10:49: warning: in the sample, 1 of 1 values of attributes['seen'] do not fit datetime (unparsable); onMismatch says what becomes of such values: use type: string or dynamic unless the app will send values that fit (at streams[0].columns.Seen.type)",
    ]);
    expect(found.join('\n')).not.toContain('alice');
  });

  it('checks a stream only against the samples its match takes', () => {
    const text = oneStream(
      '      Port: { from: "attributes[\'p\']", type: int }\n',
      '    match: { eventName: other_event }\n',
    );
    const samples = [record({ attributes: { p: 'https' } })];
    const found = parseMapping(text, { env: ENV, samples }).problems.filter(
      (p) => p.code === 'W_SAMPLE_TYPE',
    );
    expect(found).toEqual([]);
  });
});
