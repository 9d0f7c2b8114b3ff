import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SENTINEL_ENV } from './support/sentinel-env.js';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));

function validate(env: Record<string, string>, flags: readonly string[] = []) {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: build the CLI first (pnpm --filter otel-sentinel build)`);
  return spawnSync(process.execPath, [CLI, 'validate', 'mapping/security-mapping.yaml', ...flags], {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    encoding: 'utf8',
  });
}

describe('otel-sentinel validate on the app’s mapping', () => {
  it('exits 0 with no warnings once the variables are set, showing the owasp preset’s table', () => {
    const result = validate(SENTINEL_ENV);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('mapping/security-mapping.yaml is valid: 1 stream, 32 columns');
    expect(result.stdout).toContain('Custom-OwaspSecurityEvents → OwaspSecurityEvents_CL');
    expect(result.stdout).toContain('every security record (catch-all)');
    expect(result.stdout).not.toMatch(/warning/);
  });

  it('warns at the endpoint line when SENTINEL_DCE_ENDPOINT is unset, and --require-env makes it an error', () => {
    const env = Object.fromEntries(
      Object.entries(SENTINEL_ENV).filter(([k]) => k !== 'SENTINEL_DCE_ENDPOINT'),
    );
    // The file is fine; the shell is not ready to run the exporter yet.
    const lenient = validate(env);
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toMatch(
      /^mapping\/security-mapping\.yaml:\d+:\d+: warning: SENTINEL_DCE_ENDPOINT is not set yet/m,
    );
    expect(lenient.stderr).toContain('SENTINEL_DCE_ENDPOINT');
    const strict = validate(env, ['--require-env']);
    expect(strict.status).toBe(1);
    expect(`${strict.stdout}${strict.stderr}`).toMatch(/error: SENTINEL_DCE_ENDPOINT/);
  });
});
