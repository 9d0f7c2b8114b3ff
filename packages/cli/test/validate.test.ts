import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DCR,
  linesOf,
  oneStreamMapping,
  runCli,
  securityRequest,
  SENTINEL_ENV,
  tempDir,
} from './support/run-cli.js';

const VALID = 'test/fixtures/mappings/valid.yaml';
const INVALID = 'test/fixtures/mappings/invalid.yaml';
const INVALID_JSON = 'test/fixtures/mappings/invalid.json';

describe('validate, on a valid mapping', () => {
  it('exits 0 and says the file is valid with its stream and column counts', () => {
    const r = runCli(['validate', VALID], { env: SENTINEL_ENV });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`${VALID} is valid: 2 streams, 14 columns`);
    expect(r.stdout).toContain('security attribute: security.event');
    // The file is fine; the environment lacks the hash key the exporter needs, and stderr says so.
    expect(r.stderr).toBe(
      'otel-sentinel: warning: the mapping is valid, but OTEL_SENTINEL_HASH_KEY is not set, and the exporter and the gateway refuse to start without it: set it (in the environment or an --env-file) where those run; --require-env makes this an error\n',
    );
    const ready = runCli(['validate', VALID], {
      env: { ...SENTINEL_ENV, OTEL_SENTINEL_HASH_KEY: 'k'.repeat(32) },
    });
    expect(ready.stderr).toBe('');
  });

  it('shows each stream with its table, endpoint host, DCR id and match in words', () => {
    const r = runCli(['validate', VALID], { env: SENTINEL_ENV });
    expect(r.stdout).toContain('Custom-AuthEvents → AuthEvents_CL');
    expect(r.stdout).toContain('  endpoint  my-dce.westeurope-1.ingest.monitor.azure.com\n');
    expect(r.stdout).toContain(`  DCR       ${DCR}\n`);
    expect(r.stdout).toContain('  match     event name is authn_*\n');
    expect(r.stdout).toContain(
      '  match     event name is authz_* and severity at least WARN (13) and attribute http.response.status_code in [401, 403]\n',
    );
  });

  it('lists columns with types, inferred types starred, sources and flags', () => {
    const out = runCli(['validate', VALID], { env: SENTINEL_ENV }).stdout;
    expect(out).toMatch(/^ {2}column +type +source +flags$/m);
    expect(out).toMatch(/^ {2}TimeGenerated +datetime\* +timestamp +added$/m);
    expect(out).toMatch(/^ {2}UserId +string +attributes\['user\.id'\] +required$/m);
    expect(out).toMatch(
      /^ {2}SessionHash +string +attributes\['session\.id'\] +hmac-sha256 \(key OTEL_SENTINEL_HASH_KEY\)$/m,
    );
    expect(out).toMatch(/^ {2}SourceIp +string\* +attributes\['client\.address'\]$/m);
    expect(out).toMatch(/^ {2}UserId +string +attributes\['user\.id'\] +default "unknown", lowercase$/m);
    expect(out).toMatch(/^ {2}Extra +dynamic +attributes +exclude \[user\.id\]$/m);
    expect(out).toContain('* type inferred from the source');
  });

  it('ends with the warnings and notes at file:line:col and their count', () => {
    const lines = linesOf(runCli(['validate', VALID], { env: SENTINEL_ENV }).stdout);
    expect(lines.slice(-5)).toEqual([
      expect.stringMatching(/^test\/fixtures\/mappings\/valid\.yaml:6:3: warning: every stream has a match/),
      expect.stringMatching(
        /^test\/fixtures\/mappings\/valid\.yaml:12:81: warning: hmac-sha256 needs a key in the environment variable OTEL_SENTINEL_HASH_KEY/,
      ),
      expect.stringMatching(
        /^test\/fixtures\/mappings\/valid\.yaml:10:7: info: AuthEvents_CL has no TimeGenerated column/,
      ),
      expect.stringMatching(
        /^test\/fixtures\/mappings\/valid\.yaml:24:7: info: a value that does not fit its column \(such as Status, int\) is emptied and reported, not kept/,
      ),
      '2 warnings, 2 notes',
    ]);
  });

  it('drops the hash-key warning once the key is set', () => {
    const r = runCli(['validate', VALID], {
      env: { ...SENTINEL_ENV, OTEL_SENTINEL_HASH_KEY: 'k'.repeat(32) },
    });
    expect(r.stdout).not.toContain('OTEL_SENTINEL_HASH_KEY, which is not set');
    expect(linesOf(r.stdout).at(-1)).toBe('1 warning, 2 notes');
  });
});

describe('validate, on an invalid mapping', () => {
  it('exits 1 with every error at its exact file:line:col, errors before notes, and a count', () => {
    const r = runCli(['validate', INVALID]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = linesOf(r.stderr);
    const where = lines.map((l) => /^(\S+:\d+:\d+): (error|warning|info):/.exec(l)?.slice(1, 3).join(' '));
    // The unset DCR id variable is a warning: the file may be fine before the environment is.
    expect(where).toEqual([
      `${INVALID}:2:11 error`,
      `${INVALID}:8:51 error`,
      `${INVALID}:9:7 error`,
      `${INVALID}:10:7 error`,
      `${INVALID}:11:25 error`,
      `${INVALID}:3:17 warning`,
      `${INVALID}:8:7 info`,
      undefined,
    ]);
    expect(lines.at(-1)).toBe('5 errors, 1 warning, 1 note');
  });

  it('says what is wrong with each problem', () => {
    const err = runCli(['validate', INVALID]).stderr;
    expect(err).toContain(':2:11: error: endpoint must use https');
    expect(err).toContain(
      ':3:17: warning: OTEL_SENTINEL_TEST_UNSET_DCR is not set yet: the exporter and the gateway need it at start-up (at dcrImmutableId)',
    );
    expect(err).toContain(':8:51: error: unknown key "requried"');
    expect(err).toContain(':9:7: error: column name "9Lives" is not allowed');
    expect(err).toContain(':10:7: error: column name "TenantId" is reserved by Azure Monitor');
    expect(err).toContain(
      `:11:25: error: unknown source "attributes.user.name"; did you mean attributes['user.name']?`,
    );
  });

  it('gives exact positions in a JSON mapping too', () => {
    const r = runCli(['validate', INVALID_JSON]);
    expect(r.status).toBe(1);
    expect(linesOf(r.stderr)[0]).toMatch(
      /^test\/fixtures\/mappings\/invalid\.json:10:53: error: the string "strng" is not allowed for "type"/,
    );
    expect(linesOf(r.stderr).at(-1)).toBe('1 error, 1 note');
  });

  it('reports a missing mapping file as one problem and exits 1', () => {
    const r = runCli(['validate', 'no-such-mapping.yaml']);
    expect(r.status).toBe(1);
    expect(linesOf(r.stderr)).toEqual([
      'no-such-mapping.yaml: error: cannot read mapping file: no such file',
      '1 error',
    ]);
  });
});

describe('validate --json', () => {
  it('prints validity, problems, and per stream the table and stream-declaration columns', () => {
    const r = runCli(['validate', VALID, '--json'], { env: SENTINEL_ENV });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(true);
    expect(report.problems.map((p: { code: string }) => p.code)).toEqual([
      'W_NO_CATCH_ALL',
      'I_TIMEGENERATED_ADDED',
      'W_HASH_KEY_UNSET',
      'I_NO_OVERFLOW_COLUMN',
    ]);
    expect(report.streams.map((s: { stream: string; table: string }) => `${s.stream} ${s.table}`)).toEqual([
      'Custom-AuthEvents AuthEvents_CL',
      'Custom-AuthzEvents AuthzEvents_CL',
    ]);
    const authz = report.streams[1];
    expect(authz.endpoint).toBe(SENTINEL_ENV.SENTINEL_DCE_ENDPOINT);
    expect(authz.dcrImmutableId).toBe(DCR);
    expect(authz.columns[0]).toEqual({ name: 'TimeGenerated', type: 'datetime' });
    expect(authz.columns).toContainEqual({ name: 'RequestId', type: 'guid' });
    expect(authz.declaration).toContainEqual({ name: 'RequestId', type: 'string' });
  });

  it('reports an invalid mapping as valid: false with its problems, and exits 1', () => {
    const r = runCli(['validate', INVALID, '--json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(false);
    expect(report.streams).toEqual([]);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'E_RESERVED_COLUMN', line: 10, column: 7, file: INVALID }),
    );
  });
});

describe('validate --require-env', () => {
  it('makes an unset hash key an error too, since the exporter refuses to start without it', () => {
    const r = runCli(['validate', VALID, '--require-env', '--json'], { env: SENTINEL_ENV });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { valid: boolean; problems: { code: string; severity: string }[] };
    expect(report.valid).toBe(false);
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => p.code)).toEqual([
      'E_HASH_KEY_UNSET',
    ]);
  });

  it('changes nothing once every variable is set', () => {
    const env = { ...SENTINEL_ENV, OTEL_SENTINEL_HASH_KEY: 'k'.repeat(32) };
    const strict = runCli(['validate', VALID, '--require-env'], { env });
    expect(strict.status).toBe(0);
    expect(strict.stdout).toBe(runCli(['validate', VALID], { env }).stdout);
  });
});

describe('validate --env-file', () => {
  it('reads ${VAR} values from the file', () => {
    const r = runCli(['validate', VALID, '--env-file', 'test/fixtures/mappings/sentinel.env']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  endpoint  dce-from-file.westeurope-1.ingest.monitor.azure.com\n');
    expect(r.stdout).toContain('  DCR       dcr-ffeeddccbbaa99887766554433221100\n');
    expect(r.stdout).not.toContain('OTEL_SENTINEL_HASH_KEY, which is not set');
  });

  it('lets a variable already in the environment win over the file', () => {
    const r = runCli(['validate', VALID, '--env-file', 'test/fixtures/mappings/sentinel.env'], {
      env: SENTINEL_ENV,
    });
    expect(r.stdout).toContain('  endpoint  my-dce.westeurope-1.ingest.monitor.azure.com\n');
  });

  it('fails with one clear line when the env file is missing', () => {
    // `node --` because Node itself scans the whole command line for --env-file and exits on a
    // missing file before any script runs (nodejs/node#54232); the README explains this.
    const r = runCli(['validate', VALID, '--env-file', 'missing.env'], { nodeArgs: ['--'] });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('otel-sentinel: cannot read env file missing.env: no such file or directory\n');
  });
});

describe('validate, on a mapping with DCR transforms', () => {
  const BAD = 'test/fixtures/mappings/transform-bad.yaml';
  const OK = 'test/fixtures/mappings/transform-ok.yaml';

  it('compiles each transform and reports its problems at the file:line:col of the transform', () => {
    const r = runCli(['validate', BAD], { env: SENTINEL_ENV });
    expect(r.status).toBe(1);
    const lines = linesOf(r.stderr);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${BAD.replace(/\./g, '\\.')}:8:19: error: Operator 'summarize' is not supported in DCR transforms`,
        ),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${BAD.replace(/\./g, '\\.')}:13:19: error: Extra is not a column of table AuditEvents_CL`,
        ),
      ),
    );
  });

  it('accepts a transform that compiles and fits its table', () => {
    const r = runCli(['validate', OK], { env: SENTINEL_ENV });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`${OK} is valid: 1 stream, 2 columns`);
  });

  it('reports transform problems beside the other errors of an invalid mapping', () => {
    const r = runCli(['validate', BAD]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      ':3:11: warning: SENTINEL_DCE_ENDPOINT is not set yet: the exporter and the gateway need it at start-up',
    );
    expect(r.stderr).toContain(":8:19: error: Operator 'summarize' is not supported");
  });
});

describe('validate --sample', () => {
  it('warns at file:line:col where the sample records do not fit a column type, never showing a value', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'm.yaml'),
      oneStreamMapping('      Who: { from: "attributes[\'app.user\']", type: long }\n'),
    );
    const request = (value: string) => securityRequest(`{"key":"app.user","value":${value}}`);
    writeFileSync(
      join(dir, 'sample.jsonl'),
      [request('{"stringValue":"alice@example.com"}'), request('{"intValue":"7"}')].join('\n'),
    );
    const r = runCli(['validate', 'm.yaml', '--sample', 'sample.jsonl'], { env: SENTINEL_ENV, cwd: dir });
    expect(r.status).toBe(0);
    expect(linesOf(r.stdout)).toContain(
      "m.yaml:8:52: warning: in the sample, 1 of 2 values of attributes['app.user'] do not fit long (unparsable); onMismatch says what becomes of such values: use type: string or dynamic unless the app will send values that fit (at streams[0].columns.Who.type)",
    );
    expect(r.stdout + r.stderr).not.toContain('alice');
    const without = runCli(['validate', 'm.yaml'], { env: SENTINEL_ENV, cwd: dir });
    expect(without.stdout).not.toContain('in the sample');
  });
});
