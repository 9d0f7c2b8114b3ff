// Every example mapping is valid and maps the example records, through the built CLI.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, jsonLines, ROOT } from './cli.js';

const ENV = {
  SENTINEL_DCE_ENDPOINT: 'https://my-dce.westeurope-1.ingest.monitor.azure.com',
  SENTINEL_DCR_IMMUTABLE_ID: 'dcr-0123456789abcdef0123456789abcdef',
  OTEL_SENTINEL_HASH_KEY: 'e2e-hash-key-0123456789abcdef0123456789',
};

const mappings = readdirSync(`${ROOT}examples/mappings`).filter((f) => /\.(ya?ml|json)$/.test(f));

interface Line {
  stream: string;
  table: string;
  row: Record<string, unknown>;
}

describe('the example mappings', () => {
  it.each(mappings)('%s passes validate', (file) => {
    const r = cli(['validate', `examples/mappings/${file}`], ENV);
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.status).toBe(0);
  });

  it('the design sketch passes validate without its variables, warning of each by name', () => {
    const unset = { SENTINEL_DCE_ENDPOINT: undefined, SENTINEL_DCR_IMMUTABLE_ID: undefined };
    const r = cli(['validate', 'examples/mappings/design-sketch.yaml'], unset);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/design-sketch\.yaml:5:11: warning: SENTINEL_DCE_ENDPOINT is not set yet/);
    expect(r.stdout).toMatch(/design-sketch\.yaml:6:17: warning: SENTINEL_DCR_IMMUTABLE_ID is not set yet/);
  });

  it('the design sketch fails validate --require-env without its variables, naming them', () => {
    const unset = { SENTINEL_DCE_ENDPOINT: undefined, SENTINEL_DCR_IMMUTABLE_ID: undefined };
    const r = cli(['validate', 'examples/mappings/design-sketch.yaml', '--require-env'], unset);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/design-sketch\.yaml:5:11: error: SENTINEL_DCE_ENDPOINT is not set/);
    expect(r.stderr).toMatch(/design-sketch\.yaml:6:17: error: SENTINEL_DCR_IMMUTABLE_ID is not set/);
  });

  it('app-security routes authentication events and the rest to their tables, and leaves operational logs out', () => {
    const r = cli(
      ['map', 'examples/mappings/app-security.yaml', '--input', 'examples/records/demo-logs.jsonl'],
      ENV,
    );
    expect(r.status).toBe(0);
    const lines = jsonLines(r.stdout) as Line[];
    expect(lines.map((l) => `${l.table}:${String(l.row.EventName)}`)).toEqual([
      'AppAuthEvents_CL:authn_login_success',
      'AppAuthEvents_CL:authn_login_fail',
      'AppAuthEvents_CL:authz_fail',
      'AppSecurityEvents_CL:input_validation_fail',
      'AppAuthEvents_CL:authn_token_created',
      'AppSecurityEvents_CL:malicious_attack_tool',
    ]);
    const out = r.stdout + r.stderr;
    expect(out).not.toContain('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9');
    expect(out).not.toContain('f1c9a0e2-77aa-4b1e-9d3c-0d2f6e8a9b10');
    const first = lines[0]?.row;
    expect(first).toMatchObject({
      TimeGenerated: expect.stringMatching(/^2026-11-23T10:55:30\.\d{7}Z$/),
      HttpStatusCode: 200,
      SessionHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const forged = lines[3]?.row;
    expect(forged?.Message).toBe('Invalid zip code\\nINFO 2026-11-23 admin signed in');
  });

  it('owasp-log-format fills the OWASP format fields from semantic-convention attributes', () => {
    const r = cli(
      ['map', 'examples/mappings/owasp-log-format.yaml', '--input', 'examples/records/demo-logs.jsonl'],
      ENV,
    );
    expect(r.status).toBe(0);
    const lines = jsonLines(r.stdout) as Line[];
    expect(lines).toHaveLength(6);
    expect(lines[1]?.row).toMatchObject({
      AppId: 'contoso-web',
      Event: 'authn_login_fail',
      Level: 'WARN',
      SourceIp: '198.51.100.23',
      RequestUri: '/api/v2/auth/login',
      RequestMethod: 'POST',
      Hostname: 'web-7f9c-2',
      EventParameters: { 'user.id': 'joebob1', 'http.response.status_code': 401, 'auth.method': 'password' },
    });
  });
});
