import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SENTINEL_ENV } from './support/sentinel-env.js';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));

function validate(env: Record<string, string>) {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: build the CLI first (pnpm --filter otel-sentinel build)`);
  return spawnSync(process.execPath, [CLI, 'validate', 'mapping/security-mapping.yaml'], {
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
    expect(result.stdout).toContain('mapping/security-mapping.yaml is valid: 1 stream, 30 columns');
    expect(result.stdout).toContain('Custom-OwaspSecurityEvents → OwaspSecurityEvents_CL');
    expect(result.stdout).toContain('every security record (catch-all)');
    expect(result.stdout).not.toMatch(/warning/);
  });

  it('exits 1 naming SENTINEL_DCE_ENDPOINT when it is unset, as the endpoint has no default', () => {
    const env = Object.fromEntries(
      Object.entries(SENTINEL_ENV).filter(([k]) => k !== 'SENTINEL_DCE_ENDPOINT'),
    );
    const result = validate(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SENTINEL_DCE_ENDPOINT');
  });
});
