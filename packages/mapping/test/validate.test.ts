import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { DEPLOYMENT_PLACEHOLDERS, loadMappingFile, parseMapping } from '../src/load-mapping.js';
import { formatProblem } from '../src/problems.js';
import type { MappingProblem } from '../src/problems.js';
import { validateMapping } from '../src/validate.js';
import { ENV, HEAD, oneStream } from './helpers.js';

function problems(text: string, env: Record<string, string> = ENV): MappingProblem[] {
  return [...parseMapping(text, { fileName: 'm.yaml', env }).problems];
}

function errors(text: string, env: Record<string, string> = ENV): string[] {
  return problems(text, env)
    .filter((p) => p.severity === 'error')
    .map(formatProblem);
}

describe('validating a mapping file', () => {
  it('accepts the sketch from the design document when its variables are set', () => {
    const text = `${HEAD}streams:
  - stream: Custom-AppSecurityEvents
    table: AppSecurityEvents_CL
    match: { eventName: ["authn_*", "authz_*"] }
    columns:
      TimeGenerated: { from: timestamp }
      EventName:     { from: eventName, type: string, required: true }
      SessionHash:   { from: "attributes['session.id']", type: string, transform: hmac-sha256 }
      Extra:         { from: attributes, type: dynamic, exclude: ["user.id", "session.id"] }
`;
    const result = parseMapping(text, { fileName: 'm.yaml', env: ENV });
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.config?.streams[0]?.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'TimeGenerated:datetime',
      'EventName:string',
      'SessionHash:string',
      'Extra:dynamic',
    ]);
  });

  it.each([
    [
      'an unknown top-level key',
      `${HEAD}strems: []\nstreams: []\n`,
      'm.yaml:4:1: error: unknown key "strems"; allowed here: $schema, version, extends, securityAttribute, eventNameFrom, endpoint, dcrImmutableId, defaults, solution, streams (at strems)',
    ],
    [
      'a typo in a column key',
      oneStream('      UserId: { from: "attributes[\'user.id\']", tpye: string }\n'),
      'm.yaml:8:@tpye@: error: unknown key "tpye"; allowed here: from, type, required, default, onMismatch, transform, include, exclude, redact, sanitize, maxBytes, description (at streams[0].columns.UserId.tpye)',
    ],
    [
      'a stream name without Custom-',
      oneStream('      A1: eventName\n').replace('Custom-Sec', 'AppSec'),
      'm.yaml:5:13: error: stream "AppSec" must be "Custom-" followed by letters, digits, _ . or - (at streams[0].stream)',
    ],
    [
      'a table without _CL',
      oneStream('      A1: eventName\n').replace('Sec_CL', 'Sec'),
      'm.yaml:6:12: error: table "Sec" must start with a letter, use only letters, digits and _, and end with _CL (at streams[0].table)',
    ],
    [
      'an unknown column type',
      oneStream('      A1: { from: eventName, type: text }\n'),
      'm.yaml:8:@text@: error: the string "text" is not allowed for "type"; allowed: "string", "int", "long", "real", "boolean", "datetime", "dynamic", "guid" (at streams[0].columns.A1.type)',
    ],
    [
      'a column name with a dash',
      oneStream('      User-Id: eventName\n'),
      'm.yaml:8:7: error: column name "User-Id" is not allowed; column names are 2–45 characters: a letter, then letters, digits or _ (at streams[0].columns.User-Id)',
    ],
    [
      'a one-letter column name',
      oneStream('      U: eventName\n'),
      'm.yaml:8:7: error: column name "U" has 1 characters; column names are 2–45 characters: a letter, then letters, digits or _ (at streams[0].columns.U)',
    ],
    [
      'a reserved column name',
      oneStream('      Type: eventName\n'),
      'm.yaml:8:7: error: column name "Type" is reserved by Azure Monitor (id, BilledSize, IsBillable, InvalidTimeGenerated, TenantId, Title, Type, UniqueId, _ItemId, _ResourceGroup, _ResourceId, _SubscriptionId, _TimeReceived); choose another, e.g. EventType (at streams[0].columns.Type)',
    ],
    [
      'a dotted attribute source',
      oneStream('      UserId: { from: attributes.user.id }\n'),
      'm.yaml:8:@attributes.user.id@: error: unknown source "attributes.user.id"; did you mean attributes[\'user.id\']? (attribute keys go in quotes and brackets) (at streams[0].columns.UserId.from)',
    ],
    [
      'a source alias',
      oneStream('      Msg: message\n'),
      'm.yaml:8:12: error: unknown source "message"; did you mean body? (at streams[0].columns.Msg)',
    ],
    [
      'a TimeGenerated that is not a datetime',
      oneStream('      TimeGenerated: { from: eventName, type: string }\n'),
      'm.yaml:8:@string@: error: TimeGenerated must be a datetime, not string (at streams[0].columns.TimeGenerated.type)',
    ],
    [
      'a rowId column that is not a string',
      oneStream('      RowId: { from: rowId, type: long }\n'),
      "m.yaml:8:@long@: error: column RowId reads rowId, which is a string (the record's log.record.uid, or 32 hex digits); use type: string or leave type out, not long (at streams[0].columns.RowId.type)",
    ],
    [
      'rowId inside a list of sources',
      oneStream('      RowId: { from: ["attributes[\'event.id\']", rowId] }\n'),
      'm.yaml:8:@[@: error: rowId cannot be part of a list of sources: it always has a value, and it already prefers the record\'s own log.record.uid; use "from: rowId" alone (at streams[0].columns.RowId.from)',
    ],
    [
      'rowId in the wrong case',
      oneStream('      RowId: rowid\n'),
      'm.yaml:8:14: error: unknown source "rowid"; sources are case-sensitive: did you mean rowId? (at streams[0].columns.RowId)',
    ],
    [
      'the uid attribute written as a bare source',
      oneStream('      RowId: log.record.uid\n'),
      'm.yaml:8:14: error: unknown source "log.record.uid"; did you mean rowId (it uses log.record.uid when the record has one) or attributes[\'log.record.uid\']? (at streams[0].columns.RowId)',
    ],
    [
      'a plain http endpoint',
      HEAD.replace('https://', 'http://') +
        'streams:\n  - { stream: Custom-A, table: A_CL, columns: { Ev: eventName } }\n',
      'm.yaml:2:11: error: endpoint must use https (the Azure clients refuse http); got "http://my-dce.westeurope-1.ingest.monitor.azure.com" (at endpoint)',
    ],
    [
      'a string transform on an int column',
      oneStream('      Port: { from: "attributes[\'server.port\']", type: int, transform: lowercase }\n'),
      'm.yaml:8:@lowercase@: error: transform lowercase works on string columns; this column is int (at streams[0].columns.Port.transform)',
    ],
    [
      'a default that does not fit',
      oneStream('      Port: { from: "attributes[\'server.port\']", type: int, default: abc }\n'),
      'm.yaml:8:@abc@: error: default "abc" does not fit type int: unparsable (at streams[0].columns.Port.default)',
    ],
    [
      'include on a single attribute',
      oneStream('      UserId: { from: "attributes[\'user.id\']", include: [a] }\n'),
      'm.yaml:8:57: error: "include" only applies to whole-bag sources (attributes, resource); column UserId reads attributes[\'user.id\'] (at streams[0].columns.UserId.include)',
    ],
    [
      'an unset variable',
      HEAD.replace('https://my-dce.westeurope-1.ingest.monitor.azure.com', '${NO_SUCH_VAR}') +
        'streams:\n  - { stream: Custom-A, table: A_CL, columns: { Ev: eventName } }\n',
      'm.yaml:2:11: error: environment variable NO_SUCH_VAR is not set; set it to the logs-ingestion endpoint of the DCE (or of a Direct DCR), e.g. https://my-dce.westeurope-1.ingest.monitor.azure.com (at endpoint)',
    ],
    [
      'a duplicate key',
      oneStream('      Ev: eventName\n      Ev: body\n'),
      'm.yaml:9:7: error: duplicate key: Map keys must be unique',
    ],
    [
      'version 2',
      HEAD.replace('version: 1', 'version: 2') +
        'streams:\n  - { stream: Custom-A, table: A_CL, columns: { Ev: eventName } }\n',
      'm.yaml:1:10: error: number 2 is not allowed for "version"; allowed: 1 (at version)',
    ],
    [
      'a missing streams key',
      HEAD,
      'm.yaml:1:1: error: missing required key "streams": list the streams, or start from a preset with "extends: owasp" (at streams)',
    ],
  ])('reports %s at its line and column', (_what, text, expected) => {
    // `file:8:@token@:` stands for the column where `token` starts on line 8.
    const resolved = expected.replace(
      /^m\.yaml:(\d+):@(.+?)@:/,
      (_m: string, line: string, token: string) => {
        const col = (text.split('\n')[Number(line) - 1] ?? '').indexOf(token) + 1;
        return `m.yaml:${line}:${col}:`;
      },
    );
    expect(errors(text)).toContain(resolved);
  });

  it('reports every problem at once, not only the first', () => {
    const text = oneStream(
      '      Type: eventName\n      UserId: { from: attributes.user.id }\n      Port: { from: body, type: integer }\n',
    ).replace('Sec_CL', 'Sec');
    expect(errors(text)).toHaveLength(4);
  });

  it('gives positions in JSON files too', () => {
    const json = JSON.stringify(
      {
        version: 1,
        endpoint: 'https://x.ingest.monitor.azure.com',
        dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
        streams: [
          { stream: 'Custom-A', table: 'A_CL', columns: { Ev: { from: 'eventName', typ: 'string' } } },
        ],
      },
      null,
      2,
    );
    const text = json;
    const [p] = problems(text).filter((x) => x.severity === 'error');
    expect(p?.code).toBe('E_UNKNOWN_KEY');
    const line = text.split('\n').findIndex((l) => l.includes('"typ"')) + 1;
    expect([p?.line, p?.column]).toEqual([line, (text.split('\n')[line - 1] ?? '').indexOf('"typ"') + 1]);
  });

  it('warns when no stream catches the rest and when a stream follows a catch-all', () => {
    const noCatchAll = oneStream('      Ev: eventName\n', '    match: { eventName: "authn_*" }\n');
    expect(problems(noCatchAll).map((p) => p.code)).toContain('W_NO_CATCH_ALL');
    const shadowed = `${HEAD}streams:
  - { stream: Custom-A, table: A_CL, columns: { Ev: eventName } }
  - { stream: Custom-B, table: B_CL, match: { eventName: x }, columns: { Ev: eventName } }
`;
    const w = problems(shadowed).find((p) => p.code === 'W_UNREACHABLE_STREAM');
    expect(w?.path).toBe('streams[1]');
    expect(w?.line).toBe(6);
  });

  it('warns about a string column fed from a whole bag and about an unset hash key', () => {
    const text = oneStream(
      '      All: { from: attributes, type: string }\n      S: { from: eventName, transform: hmac-sha256 }\n'.replace(
        ' S:',
        ' Sh:',
      ),
    );
    const codes = problems(text, { ...ENV, OTEL_SENTINEL_HASH_KEY: '' }).map((p) => p.code);
    expect(codes).toContain('W_BAG_AS_STRING');
    expect(codes).toContain('W_HASH_KEY_UNSET');
  });

  it('says when it adds TimeGenerated from the record time', () => {
    const result = parseMapping(oneStream('      Ev: eventName\n'), { fileName: 'm.yaml', env: ENV });
    expect(result.problems.map((p) => p.code)).toContain('I_TIMEGENERATED_ADDED');
    expect(result.config?.streams[0]?.columns[0]).toMatchObject({
      name: 'TimeGenerated',
      type: 'datetime',
      added: true,
    });
  });

  it('reports too many columns', () => {
    const cols = Array.from({ length: 501 }, (_, i) => `      C${i}: eventName\n`).join('');
    expect(problems(oneStream(cols)).map((p) => p.code)).toContain('E_TOO_MANY_COLUMNS');
  });

  it('interpolates variables and reads a bare reference again as a number', () => {
    const text = oneStream('      Ev: eventName\n').replace(
      'version: 1\n',
      'version: 1\ndefaults:\n  maxFieldBytes: ${MAX:-1024}\n',
    );
    const result = parseMapping(text, { env: ENV });
    expect(result.config?.defaults.maxFieldBytes).toBe(1024);
    expect(result.config?.streams[0]?.columns[1]?.maxBytes).toBe(1024);
  });

  it('validates in-memory objects with paths but no positions', () => {
    const result = validateMapping(
      {
        version: 1,
        endpoint: 'https://a.b',
        dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
        streams: [{ stream: 'Custom-A', table: 'A_CL', columns: { X: 'body' } }],
      },
      { env: ENV },
    );
    const p = result.problems.find((x) => x.code === 'E_COLUMN_NAME');
    expect(p).toMatchObject({ file: '<mapping>', line: 0, path: 'streams[0].columns.X' });
    expect(formatProblem(p!)).toMatch(/^<mapping>: error: column name "X"/);
  });

  it('resolves shorthand columns, constants and first-non-empty lists', () => {
    const text = oneStream(
      '      Ev: eventName\n      App: { from: { const: web-api } }\n      Port: { from: { const: 8443 } }\n      User: { from: ["attributes[\'user.name\']", "attributes[\'user.id\']"] }\n',
    );
    const cols = parseMapping(text, { env: ENV }).config?.streams[0]?.columns ?? [];
    expect(cols.map((c) => `${c.name}:${c.type}:${c.sourceText}`)).toEqual([
      'TimeGenerated:datetime:timestamp',
      'Ev:string:eventName',
      'App:string:const "web-api"',
      'Port:int:const 8443',
      "User:string:attributes['user.name'] ?? attributes['user.id']",
    ]);
  });
});

describe('sources and files, more slips', () => {
  it('suggests the right case for a record field written in another case', () => {
    expect(errors(oneStream('      Sev: severitytext\n'))).toContain(
      'm.yaml:8:12: error: unknown source "severitytext"; sources are case-sensitive: did you mean severityText? (at streams[0].columns.Sev)',
    );
  });

  it('says a directory is not a mapping file', () => {
    const r = loadMappingFile(tmpdir());
    expect(r.problems[0]?.message).toBe('cannot read mapping file: it is a directory, not a file');
  });
});

describe('the solution section', () => {
  const SOLUTION = `solution:
  name: Contoso Audit
  publisher: Contoso
  publisherId: contoso
  offerId: contoso-audit
  version: 1.0.0
  description: Security events of the Contoso apps
  support: { name: Contoso SecOps, email: secops@contoso.example, link: https://contoso.example/support, tier: Partner }
`;

  it('is carried into the configuration as written', () => {
    const result = parseMapping(
      oneStream('      Ev: eventName\n').replace('streams:\n', `${SOLUTION}streams:\n`),
      { env: ENV },
    );
    expect(result.config?.solution).toMatchObject({
      name: 'Contoso Audit',
      publisherId: 'contoso',
      support: { tier: 'Partner' },
    });
  });

  it('reports a malformed publisher id and an unknown key at their positions', () => {
    const text = oneStream('      Ev: eventName\n').replace(
      'streams:\n',
      `${SOLUTION.replace('publisherId: contoso', 'publisherId: Contoso Ltd').replace('  version: 1.0.0\n', '  version: 1.0.0\n  verison: 2\n')}streams:\n`,
    );
    const errs = errors(text);
    expect(
      errs.some(
        (e) => /^m\.yaml:7:16: error: .*does not match/.test(e) && e.includes('solution.publisherId'),
      ),
    ).toBe(true);
    expect(
      errs.some((e) =>
        /^m\.yaml:10:3: error: unknown key "verison"; allowed here: name, publisher, publisherId/.test(e),
      ),
    ).toBe(true);
  });
});

describe('a stream transformKql', () => {
  it('is carried into the stream configuration; absent means none', () => {
    const text = oneStream('      Ev: eventName\n', '    transformKql: source | where Ev != "noise"\n');
    const result = parseMapping(text, { fileName: 'm.yaml', env: ENV });
    expect(result.config?.streams[0]?.transformKql).toBe('source | where Ev != "noise"');
    const plain = parseMapping(oneStream('      Ev: eventName\n'), { env: ENV });
    expect(plain.config?.streams[0]).not.toHaveProperty('transformKql');
  });

  it('must read source first, comments and blank lines aside', () => {
    const bad = oneStream('      Ev: eventName\n', '    transformKql: Sec_CL | take 1\n');
    expect(errors(bad)).toEqual([
      expect.stringMatching(/^m\.yaml:7:19: error: a DCR transform reads the incoming rows as "source"/),
    ]);
    const commented = oneStream(
      '      Ev: eventName\n',
      '    transformKql: |\n      // keep the interesting ones\n\n      source | where Ev != "x"\n',
    );
    expect(errors(commented)).toEqual([]);
    expect(errors(oneStream('      Ev: eventName\n', '    transformKql: sources\n'))).toHaveLength(1);
  });

  it('hands the stream and table columns to the checker and reports each message at the transform', () => {
    const seen: unknown[] = [];
    const text = oneStream(
      '      Ev: eventName\n      Ref: { from: "attributes[\'id\']", type: guid }\n',
      '    transformKql: source | extend Nope = 1\n',
    );
    const result = parseMapping(text, {
      fileName: 'm.yaml',
      env: ENV,
      checkTransform: (kql, context) => {
        seen.push({ kql, context });
        return ['Nope is not a column of Sec_CL', 'second problem'];
      },
    });
    expect(seen).toEqual([
      {
        kql: 'source | extend Nope = 1',
        context: {
          stream: 'Custom-Sec',
          table: 'Sec_CL',
          streamColumns: [
            { name: 'TimeGenerated', type: 'datetime' },
            { name: 'Ev', type: 'string' },
            { name: 'Ref', type: 'string' },
          ],
          tableColumns: [
            { name: 'TimeGenerated', type: 'datetime' },
            { name: 'Ev', type: 'string' },
            { name: 'Ref', type: 'guid' },
          ],
        },
      },
    ]);
    expect(result.config).toBeUndefined();
    expect(result.problems.filter((p) => p.code === 'E_TRANSFORM').map(formatProblem)).toEqual([
      'm.yaml:7:19: error: Nope is not a column of Sec_CL (at streams[0].transformKql)',
      'm.yaml:7:19: error: second problem (at streams[0].transformKql)',
    ]);
  });

  it('reports a checker that throws as a problem instead of failing the load', () => {
    const text = oneStream('      Ev: eventName\n', '    transformKql: source\n');
    const result = parseMapping(text, {
      env: ENV,
      checkTransform: () => {
        throw new Error('parser exploded');
      },
    });
    expect(result.problems.map((p) => p.message)).toContain('the transform checker failed: parser exploded');
  });

  it('is not checked in depth for streams without one', () => {
    let calls = 0;
    const result = parseMapping(oneStream('      Ev: eventName\n'), {
      env: ENV,
      checkTransform: () => {
        calls++;
        return ['never'];
      },
    });
    expect(calls).toBe(0);
    expect(result.config).toBeDefined();
  });
});

describe('deployment placeholders', () => {
  const text = `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT}
dcrImmutableId: \${SENTINEL_DCR_IMMUTABLE_ID}
streams:
  - stream: Custom-Sec
    table: Sec_CL
    endpoint: \${OTHER_DCE}
    columns:
      Ev: eventName
      Who: \${WHO_ATTR}
`;

  it('stand in for unset endpoint and DCR id variables only, when asked', () => {
    const strict = parseMapping(text, { env: {} });
    expect(strict.problems.filter((p) => p.code === 'E_UNSET_VARIABLE').map((p) => p.path)).toEqual([
      'endpoint',
      'dcrImmutableId',
      'streams[0].endpoint',
      'streams[0].columns.Who',
    ]);
    const lenient = parseMapping(text, { env: { WHO_ATTR: 'eventName' }, deploymentPlaceholders: true });
    expect(lenient.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(lenient.config?.streams[0]).toMatchObject({
      endpoint: DEPLOYMENT_PLACEHOLDERS.endpoint,
      dcrImmutableId: DEPLOYMENT_PLACEHOLDERS.dcrImmutableId,
    });
    const stillStrict = parseMapping(text, { env: {}, deploymentPlaceholders: true });
    expect(new Set(stillStrict.problems.filter((p) => p.severity === 'error').map((p) => p.path))).toEqual(
      new Set(['streams[0].columns.Who']),
    );
  });

  it('leave set variables alone', () => {
    const r = parseMapping(text, {
      env: { ...ENV, OTHER_DCE: 'https://other.example.com', WHO_ATTR: 'eventName' },
      deploymentPlaceholders: true,
    });
    expect(r.config?.streams[0]?.endpoint).toBe('https://other.example.com');
    expect(r.config?.streams[0]?.dcrImmutableId).toBe(ENV.SENTINEL_DCR_IMMUTABLE_ID);
  });
});
