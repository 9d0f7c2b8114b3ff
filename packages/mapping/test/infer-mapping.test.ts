import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { InferError, inferMapping, parseSampleText } from '../src/infer-mapping.js';
import type { InferOptions, InferredColumn, InferredMapping } from '../src/infer-mapping.js';
import { renderMappingYaml } from '../src/render-mapping-yaml.js';
import { parseMapping } from '../src/load-mapping.js';
import { ENV } from './helpers.js';

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED = [
  'id',
  'billedsize',
  'isbillable',
  'invalidtimegenerated',
  'tenantid',
  'title',
  'type',
  'uniqueid',
  '_itemid',
  '_resourcegroup',
  '_resourceid',
  '_subscriptionid',
  '_timereceived',
];

function fixture(name: string): unknown[] {
  return parseSampleText(readFileSync(new URL(`./fixtures/samples/${name}.json`, import.meta.url), 'utf8'));
}

function infer(sample: Record<string, unknown> | unknown[], options?: InferOptions): InferredMapping {
  return inferMapping(Array.isArray(sample) ? sample : [sample], options);
}

function column(m: InferredMapping, name: string): InferredColumn {
  const c = m.columns.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no column ${name}; have ${m.columns.map((x) => x.name).join(', ')}`);
  return c;
}

/** The column that reads `from`, e.g. `attributes['user.id']`. */
function reading(m: InferredMapping, from: string): InferredColumn | undefined {
  return m.columns.find((c) => c.from === from);
}

function streamOf(m: InferredMapping): { stream: string; table: string; columns: Record<string, unknown> } {
  const streams = m.document.streams as { stream: string; table: string; columns: Record<string, unknown> }[];
  const first = streams[0];
  if (first === undefined) throw new Error('no stream');
  return first;
}

function catchError(fn: () => unknown): InferError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InferError) return error;
    throw error;
  }
  throw new Error('expected an InferError');
}

describe('parseSampleText', () => {
  it.each([
    ['one object', '{"a":1}', 1],
    ['an array of objects', '[{"a":1},{"a":2}]', 2],
    ['JSON lines, blank lines and CRLF included', '{"a":1}\r\n\n{"a":2}\n{"a":3}\n', 3],
    ['JSON lines with a raw U+2028 and U+2029 inside strings', '{"a":"x\u2028y"}\n{"a":"\u2029"}\n', 2],
    ['a pretty-printed object', '{\n  "a": 1,\n  "b": [1, 2]\n}\n', 1],
    ['text with a byte-order mark', '\uFEFF{"a":1}', 1],
  ])('reads %s', (_, text, count) => {
    const samples = parseSampleText(text);

    expect(samples).toHaveLength(count);
    expect(samples.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s))).toBe(true);
  });

  it.each([
    ['empty text', '  \n', /empty/, undefined],
    ['a number', '42', /a number, not a JSON object/, undefined],
    ['an array holding a string', '[{"a":1},"x"]', /item 2 of the array is a string/, undefined],
    ['an empty array', '[]', /empty array/, undefined],
    ['a broken second JSON line', '{"a":1}\n{"a":\n', /not valid JSON/, 2],
    ['a JSON line that is not an object', '{"a":1}\n[1]\n', /item 1 of the array is a number/, 2],
    [
      'a pretty-printed object with a syntax error',
      '{\n  "a": 1,\n  "b": }\n',
      /not valid JSON: Unexpected token '}'$/,
      3,
    ],
    ['a pretty-printed object with a truncated literal', '{\n  "a": tru\n}', /not valid JSON/, 2],
    ['an object with a trailing comma', '{"a":1,}', /position 7/, 1],
    [
      'a request with resourceLogs that is not OTLP',
      '{"resourceLogs":[{"scopeLogs":5}]}',
      /not OTLP\/JSON/,
      undefined,
    ],
    ['an OTLP request without records', '{"resourceLogs":[]}', /no log records/, undefined],
  ])('rejects %s with an InferError', (_, text, message, line) => {
    const error = catchError(() => parseSampleText(text));

    expect(error.code).toBe('E_INFER_INPUT');
    expect(error.message).toMatch(message);
    expect(error.line).toBe(line);
  });

  it('turns each OTLP log record into a sample of its attributes and record fields', () => {
    const samples = fixture('otlp-request') as Record<string, unknown>[];

    expect(samples).toHaveLength(2);
    expect(samples[0]).toMatchObject({
      timestamp: '2024-06-10T06:13:20.1234567Z',
      eventName: 'authn_login_fail',
      severityText: 'WARN',
      body: 'login failed',
      'security.event': true,
      'user.id': 'joebob1',
      'authn.attempt': 3,
      'user.roles': ['reader'],
      http: { method: 'POST' },
    });
    expect(samples[1]?.['authn.attempt']).toBe(9007199254740993n);
  });

  it('reads OTLP requests written as JSON lines, as the Collector file exporter does', () => {
    const request = JSON.stringify(
      JSON.parse(readFileSync(new URL('./fixtures/samples/otlp-request.json', import.meta.url), 'utf8')),
    );

    expect(parseSampleText(`${request}\n${request}\n`)).toHaveLength(4);
  });

  it('keeps a number written as 2.0 a real, though JSON.parse makes it 2', () => {
    const m = inferMapping(parseSampleText('{"weight": 2.0, "count": 2, "exp": 1e3}'));

    expect(reading(m, "attributes['weight']")?.type).toBe('real');
    expect(reading(m, "attributes['exp']")?.type).toBe('real');
    expect(reading(m, "attributes['count']")?.type).toBe('long');
    expect(reading(infer({ weight: 2.0 }), "attributes['weight']")?.type).toBe('int');
  });
});

describe('inferMapping on the OWASP Logging Vocabulary format sample', () => {
  const m = inferMapping(fixture('owasp-format'));

  it.each([
    ['TimeGenerated', 'timestamp', 'datetime'],
    ['EventName', 'eventName', 'string'],
    ['UserId', "attributes['user.id']", 'string'],
    ['AppId', "resource['service.name']", 'string'],
    ['Level', 'severityText', 'string'],
    ['Description', 'body', 'string'],
    ['UserAgent', "attributes['user_agent.original']", 'string'],
    ['SourceIp', "attributes['client.address']", 'string'],
    ['HostIp', "attributes['network.local.address']", 'string'],
    ['Hostname', "attributes['server.address']", 'string'],
    ['Protocol', "attributes['url.scheme']", 'string'],
    ['Port', "attributes['server.port']", 'int'],
    ['RequestUri', "attributes['url.path']", 'string'],
    ['RequestMethod', "attributes['http.request.method']", 'string'],
    ['Region', "attributes['region']", 'string'],
    ['Geo', "attributes['geo']", 'string'],
  ])('maps %s from %s as %s', (name, from, type) => {
    expect(column(m, name)).toMatchObject({ from, type });
  });

  it('has exactly those columns, TimeGenerated and EventName first', () => {
    expect(m.columns.map((c) => c.name)).toEqual([
      'TimeGenerated',
      'EventName',
      'UserId',
      'AppId',
      'Level',
      'Description',
      'UserAgent',
      'SourceIp',
      'HostIp',
      'Hostname',
      'Protocol',
      'Port',
      'RequestUri',
      'RequestMethod',
      'Region',
      'Geo',
    ]);
  });

  it('requires the event name', () => {
    expect(column(m, 'EventName').required).toBe(true);
    expect(streamOf(m).columns.EventName).toEqual({
      from: 'eventName',
      type: 'string',
      required: true,
      asim: 'EventOriginalType',
    });
  });

  it('writes TimeGenerated as just { from: timestamp }', () => {
    expect(streamOf(m).columns.TimeGenerated).toEqual({ from: 'timestamp' });
  });

  it('says the OWASP event parameters belong in attributes, not in the event name', () => {
    const note = m.notes.find((n) => n.includes('AUTHN_login_success:joebob1'));

    expect(note).toMatch(/must not hold dynamic values/);
    expect(note).toMatch(/"AUTHN_login_success"/);
    expect(note).toMatch(/"joebob1"/);
  });

  it.each([
    ['source_ip', 'client.address'],
    ['useragent', 'user_agent.original'],
    ['request_uri', 'url.path'],
    ['request_method', 'http.request.method'],
    ['hostname', 'server.address'],
    ['port', 'server.port'],
    ['protocol', 'url.scheme'],
    ['host_ip', 'network.local.address'],
    ['appid', 'service.name'],
  ])('tells the developer to log %s as %s', (key, attribute) => {
    expect(m.notes.some((n) => n.includes(`"${key}"`) && n.includes(attribute))).toBe(true);
  });

  it('writes the top level in the order version, securityAttribute, endpoint, dcrImmutableId, streams, solution', () => {
    expect(Object.keys(m.document)).toEqual([
      'version',
      'securityAttribute',
      'endpoint',
      'dcrImmutableId',
      'streams',
      'solution',
    ]);
    expect(m.document).toMatchObject({
      version: 1,
      securityAttribute: 'security.event',
      endpoint: '${SENTINEL_DCE_ENDPOINT}',
      dcrImmutableId: '${SENTINEL_DCR_IMMUTABLE_ID}',
    });
  });

  it('writes one catch-all stream to SecurityEvents_CL', () => {
    expect(Object.keys(streamOf(m))).toEqual(['stream', 'table', 'columns']);
    expect(streamOf(m)).toMatchObject({ stream: 'Custom-SecurityEvents', table: 'SecurityEvents_CL' });
  });
});

describe('inferMapping on a snake_case sample with timestamp and principal_id', () => {
  const m = inferMapping(fixture('snake-case-principal'));

  it('reads a seven-digit fraction timestamp as the record time', () => {
    expect(column(m, 'TimeGenerated').note).toMatch(/"timestamp"/);
    expect(reading(m, "attributes['timestamp']")).toBeUndefined();
  });

  it('types an upper-case principal_id GUID as guid', () => {
    expect(column(m, 'PrincipalId')).toMatchObject({ from: "attributes['principal_id']", type: 'guid' });
  });

  it('types a numeric port as int', () => {
    expect(column(m, 'Port')).toMatchObject({ from: "attributes['server.port']", type: 'int' });
  });

  it('adds no UserId column when the sample already names its principal', () => {
    expect(m.columns.some((c) => c.name === 'UserId')).toBe(false);
  });
});

describe('inferMapping on nested objects', () => {
  const m = inferMapping(fixture('nested'));

  it.each([
    ['HttpRequestMethod', "attributes['http.request.method']", 'string'],
    ['HttpRequestBodySize', "attributes['http.request.body.size']", 'long'],
    ['HttpResponseStatusCode', "attributes['http.response.status_code']", 'int'],
    ['UserId', "attributes['user.id']", 'string'],
    ['UserRolesCount', "attributes['user.roles_count']", 'long'],
    ['GeoLocationCoordinatesLat', "attributes['geo.location.coordinates.lat']", 'real'],
    ['HeadersAccept', "attributes['headers.accept']", 'string'],
  ])('flattens a plain record into %s from %s', (name, from, type) => {
    expect(column(m, name)).toMatchObject({ from, type });
  });

  it.each([
    ['counters', 'its keys look like data'],
    ['trace', 'nests deeper than 3 levels'],
    ['empty', 'it is empty'],
  ])('keeps %s whole as one dynamic column because %s', (key, why) => {
    expect(reading(m, `attributes['${key}']`)?.type).toBe('dynamic');
    expect(m.notes.some((n) => n.includes(`"${key}"`) && n.includes(why))).toBe(true);
  });

  it('keeps an object with more than 20 keys whole', () => {
    const wide = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i]));

    expect(reading(infer({ wide }), "attributes['wide']")?.type).toBe('dynamic');
  });

  it('keeps an object whole when another sample has a scalar under its key', () => {
    const mixed = infer([{ detail: { a: 1 } }, { detail: 'text' }]);

    expect(reading(mixed, "attributes['detail']")?.type).toBe('dynamic');
    expect(reading(mixed, "attributes['detail.a']")).toBeUndefined();
  });

  it('reads @timestamp in the OWASP "2019-01-01 00:00:00,000" form as the record time', () => {
    expect(column(m, 'TimeGenerated').note).toMatch(/"@timestamp"/);
  });

  it('reads a flattened event.name as the record event name', () => {
    expect(column(m, 'EventName')).toMatchObject({ from: 'eventName', required: true });
  });

  it('leaves out a nested Authorization header and says why', () => {
    expect(reading(m, "attributes['headers.Authorization']")).toBeUndefined();
    expect(m.notes.some((n) => n.includes('"headers.Authorization"') && n.includes('secret'))).toBe(true);
  });

  it('tells how to keep a flattened object as one map-valued attribute instead', () => {
    expect(m.notes.some((n) => n.includes('"http"') && n.includes('flattened'))).toBe(true);
  });
});

describe('inferMapping on arrays', () => {
  const m = inferMapping(fixture('arrays'));

  it.each([
    ['UserRoles', "attributes['user.roles']"],
    ['Changes', "attributes['changes']"],
    ['Matrix', "attributes['matrix']"],
    ['Tags', "attributes['tags']"],
  ])('makes %s a dynamic column from %s', (name, from) => {
    expect(column(m, name)).toMatchObject({ from, type: 'dynamic' });
  });
});

describe('inferMapping on several samples (JSON lines)', () => {
  const m = inferMapping(
    parseSampleText(
      [
        '{"ts":"2024-01-01T00:00:00Z","event":"authz_fail","attempts":1,"ratio":1,"flag":true,"code":200,"who":"a","meta":{"x":1},"maybe":null}',
        '{"ts":"2024-01-01T00:00:01Z","event":"authz_fail","attempts":3000000000,"ratio":0.5,"flag":"yes","code":"E42","who":null,"meta":"t"}',
        '{"ts":"2024-01-01T00:00:02Z","event":"authz_admin","attempts":7,"extra":5,"maybe":null}',
      ].join('\n'),
    ),
  );

  it.each([
    ['attempts', 'long', 'int widens to long'],
    ['ratio', 'real', 'long widens to real'],
    ['flag', 'string', 'boolean and string meet in string'],
    ['code', 'string', 'int and string meet in string'],
    ['who', 'string', 'a null beside a string is a string'],
    ['meta', 'dynamic', 'an object beside a string is dynamic'],
    ['maybe', 'string', 'only nulls guess string'],
    ['extra', 'int', 'a key missing from some samples is fine'],
  ])('types %s as %s: %s', (key, type) => {
    expect(reading(m, `attributes['${key}']`)?.type).toBe(type);
  });

  it('notes a type guessed from null values', () => {
    expect(reading(m, "attributes['maybe']")?.note).toMatch(/null; type guessed/);
  });

  it('notes when samples disagree on a type', () => {
    expect(reading(m, "attributes['code']")?.note).toMatch(/samples differ \(int, string\)/);
  });
});

describe('inferMapping on an OTLP/JSON request', () => {
  const m = inferMapping(fixture('otlp-request'));

  it.each([
    ['TimeGenerated', 'timestamp', 'datetime'],
    ['EventName', 'eventName', 'string'],
    ['SeverityText', 'severityText', 'string'],
    ['Message', 'body', 'string'],
    ['UserId', "attributes['user.id']", 'string'],
    ['ClientAddress', "attributes['client.address']", 'string'],
    ['AuthnAttempt', "attributes['authn.attempt']", 'long'],
    ['RiskWeight', "attributes['risk.weight']", 'real'],
    ['UserRoles', "attributes['user.roles']", 'dynamic'],
    ['Http', "attributes['http']", 'dynamic'],
    ['SessionIdHash', "attributes['session.id']", 'string'],
    ['Message2', "attributes['message']", 'string'],
    ['ServiceName', "resource['service.name']", 'string'],
    ['ServiceVersion', "resource['service.version']", 'string'],
  ])('maps %s from %s as %s', (name, from, type) => {
    expect(column(m, name)).toMatchObject({ from, type });
  });

  it('does not flatten a map-valued OTLP attribute, which is one attribute', () => {
    expect(reading(m, "attributes['http.method']")).toBeUndefined();
  });

  it('does not map the security flag', () => {
    expect(reading(m, "attributes['security.event']")).toBeUndefined();
  });

  it('leaves ordinary resource attributes out', () => {
    expect(reading(m, "resource['telemetry.sdk.language']")).toBeUndefined();
  });
});

describe('inferMapping types', () => {
  it.each([
    ['enabled', true, 'boolean'],
    ['attempts', 3, 'int'],
    ['http.response.status_code', 404, 'int'],
    ['userId', 3, 'long'],
    ['order_id', 3, 'long'],
    ['retryCount', 3, 'long'],
    ['response_bytes', 3, 'long'],
    ['payloadSize', 3, 'long'],
    ['elapsed_ms', 3, 'long'],
    ['request_duration_total', 3, 'long'],
    ['gc_ns', 3, 'long'],
    ['created_at', 1700000000, 'long'],
    ['big', 2147483648, 'long'],
    ['small', -2147483649, 'long'],
    ['huge', 1e20, 'real'],
    ['temperature', 21.5, 'real'],
    ['match_ratio', 1, 'real'],
    ['risk_score', 0, 'real'],
    ['p99_latency_ms', 12, 'real'],
    ['wait_seconds', 2, 'real'],
    ['when', '2024-01-01T10:00:00Z', 'datetime'],
    ['when', '2024-01-01 10:00:00', 'datetime'],
    ['when', '2024-01-01T10:00:00.123+02:00', 'datetime'],
    ['when', '2024-01-01T10:00:00,5-0700', 'datetime'],
    ['when', '2019-01-01 00:00:00,000', 'datetime'],
    ['when', '2024-01-01t10:00:00.1234567z', 'datetime'],
    ['when', '2024-13-01T00:00:00Z', 'string'],
    ['when', '01/02/2024 10:00', 'string'],
    ['principal', '6f1c2a9e-3b7d-4e58-9a41-0c2d7e8f9b13', 'guid'],
    ['principal', '6F1C2A9E-3B7D-4E58-9A41-0C2D7E8F9B13', 'guid'],
    ['principal', '{6f1c2a9e-3b7d-4e58-9a41-0c2d7e8f9b13}', 'guid'],
    ['principal', '{6f1c2a9e-3b7d-4e58-9a41-0c2d7e8f9b13', 'string'],
    ['principal', '6f1c2a9e3b7d4e589a410c2d7e8f9b13', 'string'],
    ['name', 'joebob1', 'string'],
    ['nothing', null, 'string'],
  ])('types %s = %j as %s', (key, value, type) => {
    expect(reading(infer({ [key]: value }), `attributes['${key}']`)?.type).toBe(type);
  });

  it('notes why a small integer is long', () => {
    expect(reading(infer({ retryCount: 3 }), "attributes['retryCount']")?.note).toMatch(
      /long: the name suggests/,
    );
  });

  it('reads an epoch-millisecond ts as the record time', () => {
    const m = infer({ ts: 1718000000123, event: 'authz_fail' });

    expect(column(m, 'TimeGenerated').note).toMatch(/epoch/);
    expect(reading(m, "attributes['ts']")).toBeUndefined();
  });

  it('keeps a time key whose value is no date as an attribute', () => {
    expect(reading(infer({ time: 'yesterday' }), "attributes['time']")?.type).toBe('string');
  });
});

describe('inferMapping column names', () => {
  it.each([
    ['source_code', 'SourceCode'],
    ['http.request.method', 'HttpRequestMethod'],
    ['userName', 'UserName'],
    ['HTTPMethod', 'HTTPMethod'],
    ['IPv4', 'IPv4'],
    ['ipv4Address', 'Ipv4Address'],
    ['SOURCE_ADDR', 'SourceAddr'],
    ['client-version', 'ClientVersion'],
    ['first name', 'FirstName'],
    ['9lives', 'Field9Lives'],
    ['x', 'FieldX'],
    ['id', 'RecordId'],
    ['ID', 'RecordId'],
    ['type', 'EventType'],
    ['Title', 'RecordTitle'],
    ['tenant_id', 'RecordTenantId'],
    ['uniqueId', 'RecordUniqueId'],
    ['billed_size', 'RecordBilledSize'],
    ['isBillable', 'RecordIsBillable'],
    ['InvalidTimeGenerated', 'RecordInvalidTimeGenerated'],
    ['_ItemId', 'ItemId'],
    ['café_crème', 'CafeCreme'],
    ['größe', 'Grosse'],
    ['用户name', 'Name'],
    ['日本', 'Field'],
    ['__proto__', 'Proto'],
  ])('names attribute %j column %s', (key, name) => {
    expect(reading(infer({ [key]: 'v' }), `attributes['${key}']`)?.name).toBe(name);
  });

  it('numbers names that collide, ignoring case', () => {
    const m = infer({ user_id: 'a', userId: 'b', 'user.id': 'c', USERID: 'd' });

    expect(m.columns.slice(2).map((c) => c.name)).toEqual(['UserId', 'UserId2', 'UserId3', 'Userid4']);
  });

  it('names type RecordType when another key already takes EventType', () => {
    const m = infer({ type: 'a', event_type: 'b' });

    expect(reading(m, "attributes['type']")?.name).toBe('RecordType');
    expect(reading(m, "attributes['event_type']")?.name).toBe('EventType');
  });

  it('gives TimeGenerated and EventName to the record fields, numbering look-alike attributes', () => {
    const m = infer({ TimeGenerated: 'not a date', eventName: 'authz_fail', event_name: 'second' });

    expect(reading(m, "attributes['TimeGenerated']")?.name).toBe('TimeGenerated2');
    expect(reading(m, "attributes['event_name']")?.name).toBe('EventName2');
  });

  it('shortens names past 45 characters deterministically and keeps them distinct', () => {
    const prefix = 'very.long.namespace.for.an.application.component';
    const keys = [`${prefix}.request.attribute.one`, `${prefix}.request.attribute.two`];
    const names = () =>
      keys.map(
        (k) => reading(infer(Object.fromEntries(keys.map((x) => [x, 1]))), `attributes['${k}']`)?.name,
      );

    const first = names();

    expect(first.every((n) => n !== undefined && n.length <= 45 && NAME.test(n))).toBe(true);
    expect(new Set(first).size).toBe(2);
    expect(names()).toEqual(first);
  });

  it('writes ${ in a key as $${, so the loader does not read it as a variable', () => {
    const m = infer({ '${HOME}': 'a' }, { securityAttribute: 'flag.${X}' });

    expect(reading(m, "attributes['$${HOME}']")?.name).toBe('Home');
    expect(m.document.securityAttribute).toBe('flag.$${X}');
  });

  it('escapes quotes and backslashes in attribute sources', () => {
    const m = infer({ "it's": 'a', 'back\\slash': 'b' });

    expect(m.columns.map((c) => c.from)).toContain("attributes['it\\'s']");
    expect(m.columns.map((c) => c.from)).toContain("attributes['back\\\\slash']");
  });
});

describe('inferMapping secrets and session ids', () => {
  it.each([
    'password',
    'db_password',
    'api_key',
    'x-api-key',
    'access_token',
    'clientSecret',
    'Cookie',
    'authorization',
  ])('does not map %s and says why', (key) => {
    const m = infer({ [key]: 's3cr3t', event: 'authn_login_fail' });

    expect(m.columns.some((c) => JSON.stringify(c.from).includes(key))).toBe(false);
    expect(m.notes.some((n) => n.includes(`"${key}"`) && /never log it/.test(n))).toBe(true);
  });

  it.each([
    ['token_count', 'long'],
    ['input_tokens', 'int'],
    ['password_changed', 'string'],
    ['has_password', 'boolean'],
  ])('still maps %s, which is no secret', (key, type) => {
    const value = type === 'string' ? 'yes' : type === 'boolean' ? true : 5;

    expect(reading(infer({ [key]: value }), `attributes['${key}']`)?.type).toBe(type);
  });

  it.each([
    ['session.id', "attributes['session.id']", 'SessionIdHash'],
    ['sessionid', "attributes['session.id']", 'SessionIdHash'],
    ['session_id', "attributes['session.id']", 'SessionIdHash'],
    ['sessionId', "attributes['session.id']", 'SessionIdHash'],
    ['JSESSIONID', "attributes['JSESSIONID']", 'JsessionidHash'],
    ['session.previous_id', "attributes['session.previous_id']", 'SessionPreviousIdHash'],
  ])('hashes session id %s with hmac-sha256', (key, from, name) => {
    const m = infer({ [key]: 'kx12ab' });

    expect(column(m, name)).toMatchObject({ from, type: 'string', transform: 'hmac-sha256' });
    expect(column(m, name).note).toMatch(/hashed/);
  });

  it('does not take session_valid for a session id', () => {
    expect(reading(infer({ session_valid: true }), "attributes['session_valid']")?.type).toBe('boolean');
  });

  it('notes a secret-looking key inside a dynamic column', () => {
    const m = infer({ request: { '/login': { password: 'x' } } });

    expect(reading(m, "attributes['request']")?.note).toMatch(/"password", which looks like a secret/);
  });
});

describe('inferMapping limits and options', () => {
  it('folds keys past 499 columns into AdditionalFields, excluding mapped keys and secrets', () => {
    const sample: Record<string, unknown> = { event: 'authz_fail', password: 'x', session_id: 'y' };
    for (let i = 0; i < 600; i++) sample[`field_${i}`] = i;

    const m = infer(sample);
    const extra = column(m, 'AdditionalFields');

    expect(m.columns).toHaveLength(500);
    expect(m.columns.at(-1)).toBe(extra);
    expect(extra).toMatchObject({ from: 'attributes', type: 'dynamic' });
    expect(extra.exclude).toContain('field_0');
    expect(extra.exclude).toContain('password');
    expect(extra.exclude).toContain('session.id');
    expect(extra.exclude).toContain('security.event');
    expect(extra.exclude).not.toContain('field_599');
    expect(m.notes.some((n) => n.includes('AdditionalFields'))).toBe(true);
  });

  it('uses the table and stream options', () => {
    const m = infer({ a: 1 }, { table: 'AppSecurityEvents_CL' });

    expect(streamOf(m)).toMatchObject({ stream: 'Custom-AppSecurityEvents', table: 'AppSecurityEvents_CL' });
    expect(streamOf(infer({ a: 1 }, { table: 'App_CL', stream: 'Custom-Other' })).stream).toBe(
      'Custom-Other',
    );
  });

  it('uses the securityAttribute option and leaves that key out', () => {
    const m = infer({ 'app.security': true, a: 1 }, { securityAttribute: 'app.security' });

    expect(m.document.securityAttribute).toBe('app.security');
    expect(reading(m, "attributes['app.security']")).toBeUndefined();
  });

  it.each([
    [{ table: 'Events' }, /must|_CL/],
    [{ table: 'Events_cl' }, /_CL/],
    [{ table: '9Events_CL' }, /starting with a letter/],
    [{ table: `${'A'.repeat(61)}_CL` }, /4–63/],
    [{ stream: 'Events' }, /Custom-/],
    [{ securityAttribute: '' }, /securityAttribute/],
  ])('rejects options %j', (options, message) => {
    const error = catchError(() => infer({ a: 1 }, options));

    expect(error.code).toBe('E_INFER_INPUT');
    expect(error.message).toMatch(message);
  });

  it.each([
    ['no samples', [], /no sample events/],
    ['a number', [1], /sample 1 is a number/],
    ['null', [{}, null], /sample 2 is null/],
    ['an array', [[{}]], /sample 1 is an array/],
  ])('rejects %s with an InferError', (_, samples, message) => {
    expect(catchError(() => inferMapping(samples)).message).toMatch(message);
  });

  it('always has TimeGenerated and EventName, even for an empty sample', () => {
    const m = infer({});

    expect(m.columns.map((c) => c.name)).toEqual(['TimeGenerated', 'EventName']);
    expect(column(m, 'EventName').required).toBeUndefined();
  });
});

describe('renderMappingYaml', () => {
  const m = inferMapping(fixture('owasp-format'));
  const text = renderMappingYaml(m, { schemaPath: '../schema/mapping.schema.json' });
  const lines = text.split('\n');

  it('starts with the yaml-language-server modeline when given a schema path', () => {
    expect(lines[0]).toBe('# yaml-language-server: $schema=../schema/mapping.schema.json');
    expect(renderMappingYaml(m).startsWith('# yaml-language-server')).toBe(false);
  });

  it('says it was generated from a sample and what to review', () => {
    expect(text).toMatch(/^# Starter mapping generated by `otel-sentinel init` from sample events\. Review/m);
  });

  it('writes the placeholders literally and the top level in order', () => {
    const keys = lines.filter((l) => /^[a-z]/i.test(l)).map((l) => l.split(':')[0]);

    expect(keys).toEqual([
      'version',
      'securityAttribute',
      'endpoint',
      'dcrImmutableId',
      'streams',
      'solution',
    ]);
    expect(lines).toContain('endpoint: ${SENTINEL_DCE_ENDPOINT}');
    expect(lines).toContain('dcrImmutableId: ${SENTINEL_DCR_IMMUTABLE_ID}');
  });

  it('writes a solution section for the connector, its flag beside each value', () => {
    const at = lines.indexOf('solution:');
    expect(lines.slice(at, at + 5)).toEqual([
      'solution:',
      '  name: Security Events # --name',
      '  publisher: Example Publisher # --publisher',
      '  publisherId: examplepublisher # --publisher-id',
      '  offerId: security-events # --offer-id',
    ]);
    expect(lines).toContain('    email: security@example.com # --support-email');
    expect(lines).toContain('    tier: Community # --support-tier');
    expect(lines[at - 1]).toBe(
      '# you publish or share the package. The flag beside each value overrides it.',
    );
  });

  it('writes one flow-style line per column with its note as a comment', () => {
    expect(lines).toContain(
      `      SourceIp: { from: "attributes['client.address']", type: string, asim: SrcIpAddr } # OTel attribute client.address (sample key "source_ip")`,
    );
    expect(lines).toContain(
      '      TimeGenerated: { from: timestamp } # the record timestamp (sample key "datetime")',
    );
  });

  it('puts a long note on the line above its column', () => {
    const at = lines.findIndex((l) => l.startsWith('      EventName:'));

    expect(lines[at - 1]).toMatch(/^ {6}# the record event name/);
  });

  it('parses back to the document', () => {
    expect(parse(text)).toEqual(m.document);
  });

  it('keeps keys with line breaks and control characters inside comments and strings', () => {
    const tricky = infer({ 'a\r\nb': 'x', 'c\u2028d': null, 'pass\u0085word': 's', 'e"f': { '9': 1 } });
    const out = renderMappingYaml(tricky);

    expect(parse(out)).toEqual(tricky.document);
    expect(
      out
        .split(/\r\n|\r|\n/)
        .every((l) => l === '' || l.startsWith('#') || /^\s/.test(l) || /^[a-zA-Z]/.test(l)),
    ).toBe(true);
  });
});

describe('inferMapping properties', () => {
  const key = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom(
      'id',
      'type',
      'TYPE',
      'timestamp',
      'event',
      'level',
      'message',
      'password',
      'session_id',
      '9lives',
      'a.b',
      'TimeGenerated',
      'x'.repeat(60),
    ),
  );
  const sample = fc.dictionary(key, fc.jsonValue({ maxDepth: 4 }), { maxKeys: 30 });
  const samples = fc.array(fc.oneof(sample, fc.object()), { minLength: 1, maxLength: 4 });

  function checkNames(m: InferredMapping): void {
    const names = m.columns.map((c) => c.name);
    for (const n of names) {
      expect(n).toMatch(NAME);
      expect(n.length).toBeGreaterThanOrEqual(2);
      expect(n.length).toBeLessThanOrEqual(45);
      expect(RESERVED).not.toContain(n.toLowerCase());
    }
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names.length).toBeLessThanOrEqual(500);
    expect(Object.keys(streamOf(m).columns)).toEqual(names);
  }

  it('never throws on JSON objects and always yields valid, unique column names', () => {
    fc.assert(
      fc.property(samples, (s) => {
        checkNames(inferMapping(s));
      }),
      { numRuns: 300 },
    );
  });

  it('renders YAML that parses back to the same document', () => {
    fc.assert(
      fc.property(samples, (s) => {
        const m = inferMapping(s);
        expect(parse(renderMappingYaml(m, { schemaPath: 'schema.json' }))).toEqual(m.document);
      }),
      { numRuns: 200 },
    );
  });

  it('reads back any object written as JSON text', () => {
    fc.assert(
      fc.property(sample, (s) => {
        const parsed = parseSampleText(JSON.stringify(s));
        expect(parsed).toHaveLength(1);
        checkNames(inferMapping(parsed));
      }),
      { numRuns: 200 },
    );
  });

  it('stays within 500 columns however many keys the sample has', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.integer(), { minKeys: 480, maxKeys: 700 }),
        (s) => {
          checkNames(inferMapping([s]));
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe('ASIM roles in the inferred mapping', () => {
  it('gives each column reading a well-known OpenTelemetry source the ASIM field it stands for', () => {
    const m = inferMapping(fixture('owasp-format'));
    const roles = Object.fromEntries(
      m.columns.filter((c) => c.asim !== undefined).map((c) => [c.name, c.asim]),
    );
    // Written by hand: the OWASP format sample's fields, through the OTel attributes init reads
    // them from, to the ASIM fields (semantic conventions model/*/registry.yaml; ASIM schemas).
    expect(roles).toEqual({
      EventName: 'EventOriginalType',
      UserId: 'ActorUserId',
      AppId: 'TargetAppName',
      Level: 'EventOriginalSeverity',
      Description: 'EventMessage',
      UserAgent: 'HttpUserAgent',
      SourceIp: 'SrcIpAddr',
      HostIp: 'DvcIpAddr',
      Hostname: 'DvcHostname',
      Port: 'DstPortNumber',
      RequestUri: 'Url',
      RequestMethod: 'HttpRequestMethod',
    });
  });

  it('writes the roles into the YAML, one per column line', () => {
    const m = infer({
      'client.address': '203.0.113.7',
      'client.port': 51234,
      'user.id': 'joebob1',
      'geo.country.iso_code': 'NL',
      'http.request.header.referer': 'https://evil.example',
      'security_rule.name': 'SQLI-UNION',
      'order.id': 'A-1',
    });
    const columns = renderMappingYaml(m)
      .split('\n')
      .filter((l) => /^ {6}\w+: \{/.test(l))
      .map((l) => l.replace(/ #.*$/, ''));
    expect(columns).toEqual([
      '      TimeGenerated: { from: timestamp }',
      '      EventName: { from: eventName, type: string, asim: EventOriginalType }',
      `      ClientAddress: { from: "attributes['client.address']", type: string, asim: SrcIpAddr }`,
      `      ClientPort: { from: "attributes['client.port']", type: int, asim: SrcPortNumber }`,
      `      UserId: { from: "attributes['user.id']", type: string, asim: ActorUserId }`,
      `      GeoCountryIsoCode: { from: "attributes['geo.country.iso_code']", type: string, asim: SrcGeoCountry }`,
      `      HttpRequestHeaderReferer: { from: "attributes['http.request.header.referer']", type: string, asim: HttpReferrer }`,
      `      SecurityRuleName: { from: "attributes['security_rule.name']", type: string, asim: RuleName }`,
      `      OrderId: { from: "attributes['order.id']", type: string }`,
    ]);
  });

  it('gives no role to a column whose type cannot carry the field', () => {
    // SrcPortNumber is an int field: a string port plays no role.
    const m = infer({ 'client.port': 'eighty' });
    expect(column(m, 'ClientPort').asim).toBeUndefined();
  });

  it('writes a mapping that validates with its roles', () => {
    const m = infer({ 'client.address': '203.0.113.7', 'user.id': 'joebob1' });
    const r = parseMapping(renderMappingYaml(m), { env: ENV });
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const roles = r.config?.streams[0]?.columns.map((c) => [c.name, c.asim]);
    expect(roles).toEqual([
      ['TimeGenerated', undefined],
      ['EventName', ['EventOriginalType']],
      ['ClientAddress', ['SrcIpAddr']],
      ['UserId', ['ActorUserId']],
    ]);
  });
});
