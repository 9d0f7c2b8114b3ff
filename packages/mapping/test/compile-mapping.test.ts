import { describe, expect, it } from 'vitest';
import { compileMapping } from '../src/compile-mapping.js';
import type { CompileOptions } from '../src/compile-mapping.js';
import { parseMapping } from '../src/load-mapping.js';
import { MappingCompileError } from '../src/problems.js';
import type { MappingConfig } from '../src/types.js';
import { ENV, HEAD, oneStream, record } from './helpers.js';

function config(text: string): MappingConfig {
  const r = parseMapping(text, { env: ENV });
  if (!r.config) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.config;
}

function compile(columns: string, extra = '', options: CompileOptions = { env: ENV }) {
  return compileMapping(config(oneStream(columns, extra)), options);
}

const TWO_STREAMS = `${HEAD}streams:
  - stream: Custom-Auth
    table: Auth_CL
    match: { eventName: ["authn_*"], minSeverity: WARN }
    columns: { Ev: eventName }
  - stream: Custom-Admin
    table: Admin_CL
    match: { attributes: { admin.action: { exists: true }, tenant: { in: [gold, 7] } } }
    columns: { Ev: eventName }
`;

describe('routing records to streams', () => {
  it('skips records without the security flag and keeps boolean true and the string "true"', () => {
    const m = compile('      Ev: eventName\n');
    expect(m.map(record({ attributes: { 'security.event': false } })).status).toBe('skipped');
    expect(m.map(record({ attributes: { 'security.event': 'TRUE' } })).status).toBe('skipped');
    expect(m.map(record({ attributes: { 'security.event': 'true' } })).status).toBe('mapped');
    expect(m.map(record()).status).toBe('mapped');
    const noFlag = { ...record(), attributes: {} };
    expect(m.map(noFlag).status).toBe('skipped');
  });

  it('honours a custom security attribute', () => {
    const m = compileMapping(
      config(
        oneStream('      Ev: eventName\n').replace('version: 1\n', 'version: 1\nsecurityAttribute: audit\n'),
      ),
      { env: ENV },
    );
    expect(m.map(record({ attributes: { audit: true } })).status).toBe('mapped');
    expect(m.map(record()).status).toBe('skipped');
  });

  it('sends a record to the first stream whose match holds and counts the unrouted', () => {
    const m = compileMapping(config(TWO_STREAMS), { env: ENV });
    const route = (r: Parameters<typeof m.map>[0]) => {
      const o = m.map(r);
      return o.status === 'mapped' ? o.stream.stream : o.status;
    };
    expect(route(record({ eventName: 'authn_login_fail', severityNumber: 13 }))).toBe('Custom-Auth');
    expect(route(record({ eventName: 'authn_login_success', severityNumber: 9 }))).toBe('unrouted');
    expect(
      route(record({ eventName: 'authn_login_fail', severityNumber: undefined, severityText: 'error' })),
    ).toBe('Custom-Auth');
    expect(
      route(record({ eventName: 'authz_admin', attributes: { 'admin.action': 'x', tenant: 'gold' } })),
    ).toBe('Custom-Admin');
    expect(route(record({ eventName: 'authz_admin', attributes: { 'admin.action': 'x', tenant: 7n } }))).toBe(
      'Custom-Admin',
    );
    expect(
      route(record({ eventName: 'authz_admin', attributes: { 'admin.action': 'x', tenant: 'silver' } })),
    ).toBe('unrouted');
    const stats = m.stats();
    expect(stats).toMatchObject({ records: 6, security: 6, rows: 4, unrouted: 2 });
    expect(stats.byStream).toEqual({
      'Custom-Auth': { rows: 2, rejected: 0 },
      'Custom-Admin': { rows: 2, rejected: 0 },
    });
  });

  it('matches event-name globs exactly, with * and ?', () => {
    const m = compile('      Ev: eventName\n', '    match: { eventName: ["authz_?ail", "sys_*"] }\n');
    const ok = (eventName: string) => m.route(record({ eventName })) !== undefined;
    expect([
      ok('authz_fail'),
      ok('authz_ffail'),
      ok('sys_crash'),
      ok('xsys_crash'),
      ok('authz.fail'),
    ]).toEqual([true, false, true, false, false]);
  });
});

describe('mapping a record to a row', () => {
  it('fills every kind of source', () => {
    const m = compile(`      TimeGenerated: { from: timestamp }
      Observed: { from: observedTimestamp }
      Sev: severityText
      SevNum: severityNumber
      Ev: eventName
      Msg: body
      Trace: traceId
      Span: spanId
      Scope: scope.name
      ScopeVersion: scope.version
      UserId: "attributes['user.id']"
      Service: "resource['service.name']"
      App: { from: { const: web } }
      Who: { from: ["attributes['user.name']", "attributes['user.id']"] }
      Bag: { from: attributes, exclude: ["user.*"] }
`);
    const o = m.map(record({ attributes: { 'user.id': 'u1', 'user.name': '', other: 1 } }));
    expect(o.status).toBe('mapped');
    expect(o.status === 'mapped' && o.row).toEqual({
      TimeGenerated: '2023-11-14T22:13:20.1234567Z',
      Observed: '2023-11-14T22:13:21.0000000Z',
      Sev: 'WARN',
      SevNum: 13,
      Ev: 'authn_login_fail',
      Msg: 'login failed',
      Trace: '5b8efff798038103d269b633813fc60c',
      Span: 'eee19b7ec3c1b174',
      Scope: 'auth',
      ScopeVersion: '1.2.3',
      UserId: 'u1',
      Service: 'checkout',
      App: 'web',
      Who: 'u1',
      Bag: { other: 1 },
    });
  });

  it('leaves null columns out of the row and counts why', () => {
    const m = compile(
      '      Port: { from: "attributes[\'server.port\']", type: int }\n      Ev: eventName\n',
    );
    const a = m.map(record({ attributes: { 'server.port': 'eighty' } }));
    const b = m.map(record());
    expect(a.status === 'mapped' && Object.keys(a.row)).toEqual(['TimeGenerated', 'Ev']);
    expect(b.status === 'mapped' && 'Port' in b.row).toBe(false);
    expect(m.stats().nulls).toEqual({ 'Custom-Sec.Port': { unparsable: 1, missing: 1 } });
  });

  it('rejects a record whose required column is missing or invalid, naming the column but no value', () => {
    const m = compile(
      '      UserId: { from: "attributes[\'user.id\']", required: true }\n      Port: { from: "attributes[\'server.port\']", type: int, required: true }\n',
    );
    const missing = m.map(record({ attributes: { 'server.port': 443 } }));
    expect(missing).toMatchObject({
      status: 'rejected',
      reason: { code: 'E_REQUIRED_MISSING', column: 'UserId', stream: 'Custom-Sec' },
    });
    const invalid = m.map(record({ attributes: { 'user.id': 'secret-user', 'server.port': 'x443' } }));
    expect(invalid).toMatchObject({
      status: 'rejected',
      reason: { code: 'E_REQUIRED_INVALID', column: 'Port' },
    });
    expect(JSON.stringify(invalid)).not.toContain('secret-user');
    expect(m.stats().rejectedByCode).toEqual({ E_REQUIRED_MISSING: 1, E_REQUIRED_INVALID: 1 });
  });

  it('uses the default when the value is missing or cannot be coerced', () => {
    const m = compile(
      '      Port: { from: "attributes[\'server.port\']", type: int, default: 443 }\n      When: { from: "attributes[\'t\']", type: datetime, default: "2020-01-01" }\n',
    );
    const o = m.map(record({ attributes: { 'server.port': 'x' } }));
    expect(o.status === 'mapped' && o.row).toMatchObject({ Port: 443, When: '2020-01-01T00:00:00.0000000Z' });
  });

  it('hashes with hmac-sha256 keyed by the environment, the same value to the same hash', () => {
    const m = compile(
      '      S: { from: "attributes[\'session.id\']", transform: hmac-sha256 }\n'.replace(' S:', ' Sess:'),
    );
    const a = m.map(record({ attributes: { 'session.id': 'abc' } }));
    const b = m.map(record({ attributes: { 'session.id': 'abc' } }));
    const other = compile(
      '      Sess: { from: "attributes[\'session.id\']", transform: hmac-sha256 }\n',
      '',
      { env: { ...ENV, OTEL_SENTINEL_HASH_KEY: 'another-key' } },
    );
    const c = other.map(record({ attributes: { 'session.id': 'abc' } }));
    const hash = a.status === 'mapped' ? a.row.Sess : undefined;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.status === 'mapped' && b.row.Sess).toBe(hash);
    expect(c.status === 'mapped' && c.row.Sess).not.toBe(hash);
  });

  it('refuses to compile a hash column without its key, unless asked for an ephemeral key', () => {
    const text = oneStream(
      '      Sess: { from: "attributes[\'session.id\']", transform: { hmac-sha256: { keyEnv: SESSION_KEY } } }\n',
    );
    expect(() => compileMapping(config(text), { env: ENV })).toThrow(MappingCompileError);
    expect(() => compileMapping(config(text), { env: ENV })).toThrow(/SESSION_KEY is not set/);
    const m = compileMapping(config(text), { env: ENV, missingHashKey: 'ephemeral' });
    expect(m.ephemeralHashKeys).toEqual(['SESSION_KEY']);
  });

  it('applies transforms in order after redaction', () => {
    const m = compile(
      '      U: { from: "attributes[\'u\']", transform: [trim, lowercase, { truncate: 3 }] }\n'.replace(
        ' U:',
        ' Us:',
      ),
    );
    const o = m.map(record({ attributes: { u: '  ABCDEF ' } }));
    expect(o.status === 'mapped' && o.row.Us).toBe('abc');
  });

  it('redacts secrets and escapes control characters by default, and not when told not to', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const cols =
      '      Msg: body\n      Raw: { from: body, redact: false, sanitize: false }\n      Bag: { from: attributes }\n';
    const m = compile(cols);
    const o = m.map(
      record({
        body: `token ${jwt}\nFAKE admin login`,
        attributes: { auth: `Bearer ${jwt}`, password: 'hunter2', nested: { deeper: [jwt] } },
      }),
    );
    if (o.status !== 'mapped') throw new Error(o.status);
    expect(o.row.Msg).toBe('token [REDACTED:jwt]\\nFAKE admin login');
    expect(o.row.Raw).toBe(`token ${jwt}\nFAKE admin login`);
    expect(JSON.stringify(o.row.Bag)).not.toContain(jwt);
    expect(JSON.stringify(o.row.Bag)).not.toContain('hunter2');
    expect(o.row.Bag).toMatchObject({ password: '[REDACTED:sensitive-key]' });
    const s = m.stats();
    expect(s.redactions.jwt).toBeGreaterThanOrEqual(2);
    expect(s.sensitiveKeyValues).toBe(1);
    expect(s.sanitizedValues).toBe(1);
  });

  it('truncates a long value to maxBytes on a code-point boundary and counts it', () => {
    const m = compile('      Msg: { from: body, maxBytes: 16 }\n');
    const o = m.map(record({ body: 'ab😀😀😀😀😀' }));
    expect(o.status === 'mapped' && o.row.Msg).toBe('ab😀😀😀');
    expect(m.stats().truncatedFields).toBe(1);
  });

  it('keeps a dynamic column within its limit by turning it into truncated JSON text', () => {
    const m = compile('      Bag: { from: attributes, maxBytes: 64 }\n');
    const o = m.map(record({ attributes: { a: 'x'.repeat(100) } }));
    const bag = o.status === 'mapped' ? o.row.Bag : undefined;
    expect(typeof bag).toBe('string');
    expect(Buffer.byteLength(bag as string)).toBeLessThanOrEqual(64);
    expect(bag as string).toMatch(/^\{"a":"xxx/);
  });

  it('rejects a row larger than the request limit', () => {
    const cols = Array.from({ length: 20 }, (_, i) => `      C${i}: { from: body }\n`).join('');
    const m = compile(cols, '    defaults: { maxRowBytes: 100000 }\n');
    const o = m.map(record({ body: 'y'.repeat(60_000) }));
    expect(o).toMatchObject({ status: 'rejected', reason: { code: 'E_ROW_TOO_LARGE' } });
    expect(
      compile(cols, '    defaults: { maxRowBytes: 100000 }\n').map(record({ body: 'y'.repeat(1000) })).status,
    ).toBe('mapped');
  });

  it('drops the security flag from whole-bag columns', () => {
    const m = compile('      Bag: { from: attributes }\n');
    const o = m.map(record({ attributes: { a: 1 } }));
    expect(o.status === 'mapped' && o.row.Bag).toEqual({ a: 1 });
  });

  it('never throws on hostile values', () => {
    const m = compile(
      '      Bag: { from: attributes }\n      Msg: body\n      Num: { from: body, type: long }\n      Dt: { from: body, type: datetime }\n      Gu: { from: body, type: guid }\n',
    );
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const weird = [
      deep,
      { a: Symbol('s') },
      () => 1,
      new Map([['k', 1]]),
      new Uint8Array([1, 2]),
      2n ** 70n,
      NaN,
      -Infinity,
      new Date(NaN),
    ];
    for (const body of weird) {
      expect(() => m.map(record({ body, attributes: { body } }))).not.toThrow();
    }
  });
});

describe('records with broken times', () => {
  it('leave TimeGenerated out (the service then uses the receive time) and count why', () => {
    const m = compileMapping(config(oneStream('      Ev: eventName\n')), { env: ENV });
    const o = m.map(record({ hrTime: [Number.NaN, Number.NaN] }));
    expect(o.status === 'mapped' && o.row).toEqual({ Ev: 'authn_login_fail' });
    expect(m.stats().nulls).toEqual({ 'Custom-Sec.TimeGenerated': { 'out-of-range': 1 } });
  });
});

describe('values that repeat from record to record', () => {
  it('are redacted, escaped and counted every time, in plain and dynamic columns', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const m = compile('      Msg: body\n      Bag: { from: attributes }\n');
    const r = record({ body: `a\nb ${jwt}`, attributes: { t: jwt, line: 'x\ny', same: 'plain' } });
    const rows = [m.map(r), m.map(r), m.map(r)].map((o) => (o.status === 'mapped' ? o.row : undefined));
    for (const row of rows) {
      expect(row).toEqual({
        TimeGenerated: '2023-11-14T22:13:20.1234567Z',
        Msg: 'a\\nb [REDACTED:jwt]',
        Bag: { t: '[REDACTED:jwt]', line: 'x\\ny', same: 'plain' },
      });
    }
    expect(m.stats().redactions.jwt).toBe(6);
    expect(m.stats().sanitizedValues).toBe(6);
  });
});

describe('salvaging a record that produced no row', () => {
  it('keeps its identity and redacts its body and attributes like any row', async () => {
    const { createSalvager } = await import('../src/salvage.js');
    const salvage = createSalvager();
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const row = salvage(
      record({ body: `token ${jwt}\nforged`, attributes: { password: 'hunter2', 'user.id': 'u1' } }),
    );
    expect(row).toMatchObject({
      TimeGenerated: '2023-11-14T22:13:20.1234567Z',
      EventName: 'authn_login_fail',
      Body: 'token [REDACTED:jwt]\\nforged',
      Attributes: { 'security.event': true, 'user.id': 'u1', password: '[REDACTED:sensitive-key]' },
      Resource: { 'service.name': 'checkout' },
    });
    expect(JSON.stringify(row)).not.toContain('hunter2');
  });
});

describe('the size estimate that comes with each row', () => {
  it('is the JSON size plus one for plain ASCII text', async () => {
    const fc = (await import('fast-check')).default;
    const m = compile('      Ev: eventName\n      Msg: body\n      Bag: { from: attributes }\n');
    const stream = m.streams[0];
    if (!stream) throw new Error('no stream');
    const plain = fc.stringMatching(/^[A-Za-z0-9 .,:;/_-]{0,80}$/);
    fc.assert(
      fc.property(plain, plain, plain, (a, b, c) => {
        const r = stream.mapRow(record({ eventName: a, body: b, attributes: { k: c } }));
        if (!r.row) throw new Error('rejected');
        expect(r.bytes - Buffer.byteLength(JSON.stringify(r.row))).toBe(1);
      }),
    );
  });
});

describe('keys that Object.prototype also has', () => {
  it('are read as own attributes only, so an absent one is null, never an inherited function', async () => {
    const { parseMapping } = await import('../src/load-mapping.js');
    const { compileMapping } = await import('../src/compile-mapping.js');
    const { ENV, oneStream, record } = await import('./helpers.js');
    const parsed = parseMapping(
      oneStream(
        `      Ctor: "attributes['constructor']"\n      Str: "resource['toString']"\n      Own: "attributes['hasOwnProperty']"\n      Body: "body['valueOf']"\n`,
        `    match: { attributes: { constructor: { exists: false } } }\n`,
      ),
      { env: ENV },
    );
    if (!parsed.config) throw new Error(JSON.stringify(parsed.problems));
    const mapping = compileMapping(parsed.config, { env: ENV });
    const absent = mapping.map(record({ attributes: { 'security.event': true }, body: { a: 1 } }));
    expect(absent.status).toBe('mapped');
    if (absent.status === 'mapped') {
      expect(absent.row.Ctor ?? null).toBeNull();
      expect(absent.row.Str ?? null).toBeNull();
      expect(absent.row.Own ?? null).toBeNull();
      expect(absent.row.Body ?? null).toBeNull();
    }
    const present = mapping.map(
      record({ attributes: { 'security.event': true, hasOwnProperty: 'own' }, body: { valueOf: 'v' } }),
    );
    expect(present.status === 'mapped' && [present.row.Own, present.row.Body]).toEqual(['own', 'v']);
    const taken = mapping.map(record({ attributes: { 'security.event': true, constructor: 'set' } }));
    expect(taken.status).toBe('unrouted');
  });
});
