// `pnpm demo` (after the build): the example app against the emulator — security events land in
// the Sentinel tables as mapped, operational logs do not, and every process is stopped.
import { describe, expect, it } from 'vitest';
import { node, ROOT } from './cli.js';

describe('the demo', () => {
  it('shows the scripted security events in the tables and no operational log', () => {
    const r = node(`${ROOT}scripts/demo.mjs`);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ContosoAuthEvents_CL in the emulator's workspace/);
    for (const event of [
      'authn_login_fail',
      'authn_login_success',
      'authz_fail',
      'authn_login_lock',
      'sensitive_read',
      'sensitive_update',
    ])
      expect(r.stdout).toContain(event);
    expect(r.stdout).toMatch(/\b0 of them landed in Sentinel/);
    expect(r.stdout).not.toContain('bob-demo-password');
  });
});
