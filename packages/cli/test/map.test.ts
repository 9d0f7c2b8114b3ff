import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  linesOf,
  oneStreamMapping,
  runCli,
  securityRequest,
  SENTINEL_ENV,
  tempDir,
} from './support/run-cli.js';

const MAPPING = 'test/fixtures/mappings/valid.yaml';
const INPUT = 'test/fixtures/otlp/collector.jsonl';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const HASH_KEY = 'a-test-key-of-at-least-32-bytes!!';

interface RowLine {
  stream: string;
  table: string;
  row: Record<string, unknown>;
}

function rowsOf(stdout: string): RowLine[] {
  return linesOf(stdout).map((l) => JSON.parse(l) as RowLine);
}

describe('map', () => {
  it('writes one JSON line per mapped record with stream, table and row', () => {
    const r = runCli(['map', MAPPING, '--input', INPUT], { env: SENTINEL_ENV });
    expect(r.status).toBe(0);
    const rows = rowsOf(r.stdout);
    expect(rows.map((l) => `${l.stream} ${l.table} ${String(l.row.UserId)}`)).toEqual([
      'Custom-AuthEvents AuthEvents_CL mallory',
      'Custom-AuthzEvents AuthzEvents_CL bob',
      'Custom-AuthEvents AuthEvents_CL alice',
    ]);
    expect(rows[0]?.row).toMatchObject({
      TimeGenerated: '2026-01-01T00:00:00.1234567Z',
      EventName: 'authn_login_fail',
      SourceIp: '203.0.113.7',
      Service: 'checkout',
      Message: 'login failed for mallory',
    });
    expect(rows[1]?.row).toMatchObject({ Status: 403, Extra: { 'http.response.status_code': 403 } });
  });

  it('redacts a JWT in a string column and inside a dynamic bag', () => {
    const rows = rowsOf(runCli(['map', MAPPING, '--input', INPUT], { env: SENTINEL_ENV }).stdout);
    expect(rows[0]?.row.Note).toBe('token was [REDACTED:jwt]');
    expect(rows[1]?.row.Extra).toMatchObject({ 'app.note': '[REDACTED:jwt]' });
  });

  it('escapes control characters so a row cannot forge terminal output', () => {
    const rows = rowsOf(runCli(['map', MAPPING, '--input', INPUT], { env: SENTINEL_ENV }).stdout);
    expect(rows[2]?.row.Message).toBe('login ok\\u001B[2J');
  });

  it('never prints the JWT anywhere: not on stdout, stderr, nor in the rejects file', () => {
    const rejects = join(tempDir(), 'rejects.jsonl');
    const r = runCli(['map', MAPPING, '--input', INPUT, '--rejects', rejects], { env: SENTINEL_ENV });
    expect(r.stdout).not.toContain(JWT.slice(0, 36));
    expect(r.stderr).not.toContain(JWT.slice(0, 36));
    expect(readFileSync(rejects, 'utf8')).not.toContain(JWT.slice(0, 36));
  });

  it('writes rejected and unrouted records to --rejects with the reason and no record values', () => {
    const rejects = join(tempDir(), 'rejects.jsonl');
    const r = runCli(['map', MAPPING, '--input', INPUT, '--rejects', rejects], { env: SENTINEL_ENV });
    expect(r.status).toBe(0);
    const text = readFileSync(rejects, 'utf8');
    expect(linesOf(text).map((l): unknown => JSON.parse(l))).toEqual([
      {
        reason: {
          code: 'E_REQUIRED_MISSING',
          message: 'required column UserId has no value',
          stream: 'Custom-AuthEvents',
          column: 'UserId',
        },
        record: {
          index: 2,
          eventName: 'authn_login_success',
          time: '2026-01-01T00:00:02.0000000Z',
          traceId: '0af7651916cd43dd8448eb211c80319c',
        },
      },
      {
        reason: { code: 'E_UNROUTED', message: expect.stringContaining('no stream matches') },
        record: { index: 4, eventName: 'sys_crash', time: '2026-01-01T00:00:04.0000000Z' },
      },
    ]);
    // Attribute values and bodies of those records stay out.
    for (const secret of ['198.51.100.23', 'hunter2', 'secret body', 'crash dump'])
      expect(text).not.toContain(secret);
    expect(r.stderr).not.toContain('E_REQUIRED_MISSING","message');
  });

  it('writes rejects to stderr when no --rejects file is given', () => {
    const r = runCli(['map', MAPPING, '--input', INPUT], { env: SENTINEL_ENV });
    const rejectLines = linesOf(r.stderr).filter((l) => l.startsWith('{'));
    expect(rejectLines.map((l) => (JSON.parse(l) as { reason: { code: string } }).reason.code)).toEqual([
      'E_REQUIRED_MISSING',
      'E_UNROUTED',
    ]);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('reads standard input by default and with --input -', () => {
    const input = readFileSync(INPUT, 'utf8');
    const byDefault = runCli(['map', MAPPING], { env: SENTINEL_ENV, input });
    const withDash = runCli(['map', MAPPING, '--input', '-'], { env: SENTINEL_ENV, input });
    expect(byDefault.status).toBe(0);
    expect(rowsOf(byDefault.stdout)).toHaveLength(3);
    expect(rowsOf(withDash.stdout).map((l) => l.row.EventName)).toEqual(
      rowsOf(byDefault.stdout).map((l) => l.row.EventName),
    );
  });

  it('reads one whole OTLP/JSON request and a JSON array of requests too', () => {
    const requests = linesOf(readFileSync(INPUT, 'utf8'));
    const whole = runCli(['map', MAPPING], {
      env: SENTINEL_ENV,
      input: JSON.stringify(JSON.parse(requests[0] ?? ''), null, 2),
    });
    const array = runCli(['map', MAPPING], { env: SENTINEL_ENV, input: `[${requests.join(',')}]` });
    expect(rowsOf(whole.stdout)).toHaveLength(1);
    expect(rowsOf(array.stdout)).toHaveLength(3);
  });

  it('ends with a summary of the counts on stderr', () => {
    const r = runCli(['map', MAPPING, '--input', INPUT, '--rejects', join(tempDir(), 'r.jsonl')], {
      env: SENTINEL_ENV,
    });
    const summary = r.stderr.slice(r.stderr.indexOf('map summary:'));
    expect(summary).toMatch(/^ {2}records read +6$/m);
    expect(summary).toMatch(/^ {2}rows written +3$/m);
    expect(summary).toMatch(/^ {4}Custom-AuthEvents → AuthEvents_CL +2$/m);
    expect(summary).toMatch(/^ {4}Custom-AuthzEvents → AuthzEvents_CL +1$/m);
    expect(summary).toMatch(/^ {2}skipped \(not security\) +1$/m);
    expect(summary).toMatch(/^ {2}rejected +1 \(E_REQUIRED_MISSING 1\)$/m);
    expect(summary).toMatch(/^ {2}unrouted +1$/m);
    expect(summary).toMatch(/^ {2}truncated fields +0$/m);
    expect(summary).toMatch(/^ {2}redacted values +2 \(jwt 2\)$/m);
    expect(summary).toMatch(/^ {2}sanitised values +1$/m);
    expect(summary).toMatch(/^ {2}null column values +\d+$/m);
    expect(summary).toMatch(/^ {4}Custom-AuthEvents\.UserId \(missing\) +1$/m);
  });

  it('warns once that a random hash key is used when the key variable is unset', () => {
    const r = runCli(['map', MAPPING, '--input', INPUT], { env: SENTINEL_ENV });
    const warnings = linesOf(r.stderr).filter((l) => l.includes('random key'));
    expect(warnings).toEqual([
      'otel-sentinel: warning: OTEL_SENTINEL_HASH_KEY is not set; this dry run hashes with a random key, so hashed values will not match production',
    ]);
  });

  it('hashes with the real key when it is set, so hashes match production', () => {
    const r = runCli(['map', MAPPING, '--input', INPUT], {
      env: { ...SENTINEL_ENV, OTEL_SENTINEL_HASH_KEY: HASH_KEY },
    });
    expect(r.stderr).not.toContain('random key');
    const expected = createHmac('sha256', HASH_KEY).update('sess-1234-abcd').digest('hex');
    expect(rowsOf(r.stdout)[0]?.row.SessionHash).toBe(expected);
  });

  it('indents rows with --pretty', () => {
    const r = runCli(['map', MAPPING, '--input', INPUT, '--pretty'], { env: SENTINEL_ENV });
    expect(
      r.stdout.startsWith('{\n  "stream": "Custom-AuthEvents",\n  "table": "AuthEvents_CL",\n  "row": {\n'),
    ).toBe(true);
  });

  it('exits 0 with rejects, and 2 with --fail-on-reject', () => {
    expect(runCli(['map', MAPPING, '--input', INPUT], { env: SENTINEL_ENV }).status).toBe(0);
    expect(runCli(['map', MAPPING, '--input', INPUT, '--fail-on-reject'], { env: SENTINEL_ENV }).status).toBe(
      2,
    );
  });

  it('exits 0 with --fail-on-reject when every security record became a row', () => {
    const first = linesOf(readFileSync(INPUT, 'utf8'))[0] ?? '';
    const request = JSON.parse(first) as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
    const scope = request.resourceLogs[0]?.scopeLogs[0];
    if (scope) scope.logRecords = scope.logRecords.slice(0, 2);
    const r = runCli(['map', MAPPING, '--fail-on-reject'], {
      env: SENTINEL_ENV,
      input: JSON.stringify(request),
    });
    expect(r.status).toBe(0);
  });

  it('names the line of a bad JSON line and exits 1 without a stack trace', () => {
    const r = runCli(['map', MAPPING, '--input', 'test/fixtures/otlp/bad-line.jsonl'], { env: SENTINEL_ENV });
    expect(r.status).toBe(1);
    const last = linesOf(r.stderr).at(-1);
    expect(last).toMatch(/^otel-sentinel: test\/fixtures\/otlp\/bad-line\.jsonl: line 2: not valid JSON/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('names the path of a record that is not OTLP/JSON', () => {
    const bad = JSON.stringify({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: 'soon' }] }] }],
    });
    const r = runCli(['map', MAPPING], { env: SENTINEL_ENV, input: bad });
    expect(r.status).toBe(1);
    expect(linesOf(r.stderr).at(-1)).toMatch(
      /^otel-sentinel: standard input: line 1: resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.timeUnixNano: /,
    );
  });

  it('names the path without a line for a pretty-printed document, which is read whole', () => {
    const bad = JSON.stringify(
      { resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: 'soon' }] }] }] },
      null,
      2,
    );
    const r = runCli(['map', MAPPING], { env: SENTINEL_ENV, input: bad });
    expect(r.status).toBe(1);
    expect(linesOf(r.stderr).at(-1)).toMatch(
      /^otel-sentinel: standard input: resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.timeUnixNano: /,
    );
  });

  it('streams JSON lines: a large input is mapped in the memory of one request', () => {
    const line = JSON.stringify({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: Array.from({ length: 50 }, (_, i) => ({
                timeUnixNano: '1700000000000000000',
                eventName: 'authn_login_fail',
                body: { stringValue: `failed sign-in ${i} ${'x'.repeat(400)}` },
                // Operational records: the run reads and classifies them all but prints no rows.
                attributes: [{ key: 'security.event', value: { boolValue: false } }],
              })),
            },
          ],
        },
      ],
    });
    // About 36 MB of input; with a 24 MB old-space limit the run only succeeds if lines stream
    // (read whole, the input alone would not fit).
    const file = join(tempDir(), 'big.jsonl');
    writeFileSync(file, `${line}\n`.repeat(1500));
    const r = runCli(['map', MAPPING, '--input', file], {
      env: SENTINEL_ENV,
      nodeArgs: ['--max-old-space-size=24'],
      timeoutMs: 120_000,
    });
    expect(r.stderr).not.toMatch(/heap out of memory/);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/records read\s+75,?000/);
    expect(r.stderr).toMatch(/skipped \(not security\)\s+75,?000/);
  });

  it('exits 1 with one line when the input file cannot be read', () => {
    const r = runCli(['map', MAPPING, '--input', 'no-such-input.jsonl'], { env: SENTINEL_ENV });
    expect(r.status).toBe(1);
    expect(linesOf(r.stderr).at(-1)).toBe(
      'otel-sentinel: cannot read input no-such-input.jsonl: no such file or directory',
    );
  });

  it('exits 1 with one line when the rejects file cannot be written', () => {
    const r = runCli(['map', MAPPING, '--input', INPUT, '--rejects', join(tempDir(), 'no-dir', 'r.jsonl')], {
      env: SENTINEL_ENV,
    });
    expect(r.status).toBe(1);
    expect(linesOf(r.stderr).at(-1)).toMatch(
      /^otel-sentinel: cannot write rejects file .*r\.jsonl: no such file or directory$/,
    );
  });

  it('prints the problems of an invalid mapping as validate does, and exits 1', () => {
    const r = runCli(['map', 'test/fixtures/mappings/invalid.yaml', '--input', INPUT]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    // Its unset DCR id variable is a warning, as in validate: a dry run sends nothing.
    expect(linesOf(r.stderr).at(-1)).toBe('5 errors, 1 warning, 1 note');
  });
});

describe('map with 64-bit integers and values that do not fit', () => {
  const mapping = oneStreamMapping(`      Big: { from: "attributes['big']", type: long }
      UserId: { from: "attributes['user.id']", type: int }
      AdditionalFields: { from: attributes, type: dynamic, exclude: [big, user.id] }
`);
  const request = securityRequest;
  const input = [
    request('{"key":"big","value":{"intValue":"4611686018427387905"}}'),
    request(
      '{"key":"big","value":{"intValue":"9223372036854775807"}},{"key":"n","value":{"intValue":"-9223372036854775808"}}',
    ),
    request(
      '{"key":"big","value":{"intValue":"-9007199254740993"}},{"key":"user.id","value":{"stringValue":"alice@example.com"}}',
    ),
  ].join('\n');

  it('writes every digit of the int64 values, and keeps a value that does not fit in AdditionalFields', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.yaml'), mapping);
    const r = runCli(['map', join(dir, 'm.yaml')], { env: SENTINEL_ENV, input });
    expect(r.status).toBe(0);
    const time = '"TimeGenerated":"2026-01-01T00:00:00.1234567Z"';
    expect(linesOf(r.stdout)).toEqual([
      `{"stream":"Custom-Sec","table":"Sec_CL","row":{${time},"Big":4611686018427387905,"AdditionalFields":{}}}`,
      `{"stream":"Custom-Sec","table":"Sec_CL","row":{${time},"Big":9223372036854775807,"AdditionalFields":{"n":-9223372036854775808}}}`,
      `{"stream":"Custom-Sec","table":"Sec_CL","row":{${time},"Big":-9007199254740993,"AdditionalFields":{"otel_sentinel.mismatch":{"UserId":{"value":"alice@example.com","type":"int","reason":"unparsable"}}}}}`,
    ]);
    const summary = r.stderr.slice(r.stderr.indexOf('map summary:'));
    expect(summary).toMatch(/^ {2}values that did not fit +1$/m);
    expect(summary).toMatch(/^ {4}Custom-Sec\.UserId \(int: unparsable\) +1 \(kept 1\)$/m);
  });
});

describe('map with raw U+2028 and U+2029 inside JSON strings', () => {
  const mapping = oneStreamMapping(`      UserId: "attributes['user.id']"
      Extra: { from: attributes, type: dynamic, exclude: [user.id] }
`);
  const request = (user: string, extra: string): string =>
    securityRequest(`{"key":"user.id","value":{"stringValue":"${user}"}},${extra}`);
  // JSON allows both raw inside a string; JSON.stringify leaves them raw too.
  const input = [
    request('alice\u2028FAKE admin', '{"key":"note","value":{"stringValue":"one"}}'),
    request('bob', '{"key":"note\u2029","value":{"stringValue":"two\u2029three"}}'),
    request('carol', '{"key":"note","value":{"stringValue":"plain"}}'),
  ].join('\n');
  const expected = [
    { UserId: 'alice\\u2028FAKE admin', Extra: { note: 'one' } },
    { UserId: 'bob', Extra: { 'note\\u2029': 'two\\u2029three' } },
    { UserId: 'carol', Extra: { note: 'plain' } },
  ];

  function rowsWithout(stdout: string): unknown[] {
    return rowsOf(stdout).map(({ row }) => {
      const rest = { ...row };
      delete rest.TimeGenerated;
      return rest;
    });
  }

  it('maps every record of a file, escaping the separators in keys and values', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.yaml'), mapping);
    writeFileSync(join(dir, 'in.jsonl'), `${input}\r\n`);
    expect(readFileSync(join(dir, 'in.jsonl'), 'utf8')).toContain('\u2028');
    const r = runCli(['map', 'm.yaml', '--input', 'in.jsonl'], { env: SENTINEL_ENV, cwd: dir });
    expect(r.stderr).not.toContain('not valid JSON');
    expect(r.status).toBe(0);
    expect(rowsWithout(r.stdout)).toEqual(expected);
  });

  it('maps every record read from standard input', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.yaml'), mapping);
    const r = runCli(['map', 'm.yaml'], { env: SENTINEL_ENV, cwd: dir, input });
    expect(r.status).toBe(0);
    expect(rowsWithout(r.stdout)).toEqual(expected);
  });
});
