// `pnpm demo` (after the build): the example app against the emulator — its security events land
// in OwaspSecurityEvents_CL, every detection fires on its scripted incident, operational logs do
// not land, and every process is stopped. detections-demo.test.ts checks the same data in detail.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { node, ROOT } from './cli.js';
import type { Run } from './cli.js';

const DETECTIONS = join(ROOT, 'packages/owasp/detections');
const RULES = readdirSync(DETECTIONS)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(join(DETECTIONS, f), 'utf8')) as { name: string });

let r: Run;
beforeAll(() => {
  r = node(`${ROOT}scripts/demo.mjs`);
}, 120_000);

describe('the demo', () => {
  it('exits 0 without errors', () => {
    expect(r.stderr).not.toMatch(/error|✘/i);
    expect(r.status).toBe(0);
  });

  it('shows rows of OwaspSecurityEvents_CL', () => {
    expect(r.stdout).toMatch(/OwaspSecurityEvents_CL in the emulator's workspace: \d+ rows/);
    for (const event of ['authn_login_fail', 'authn_login_successafterfail', 'authz_fail', 'sensitive_read'])
      expect(r.stdout).toContain(event);
  });

  it('says, for every detection, that it fired on its scripted incident', () => {
    for (const rule of RULES)
      expect(r.stdout).toMatch(new RegExp(`✔ ${rule.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    expect(r.stdout).toContain(
      `${RULES.length} of ${RULES.length} rules fired, each on its scripted incident`,
    );
    expect(r.stdout).toContain('OWASP - 12 failed logins for carol');
  });

  it('shows that no operational log and no secret reached Sentinel', () => {
    expect(r.stdout).toMatch(/\b[1-9]\d* operational records went to the console/);
    expect(r.stdout).toMatch(/\b0 of them landed in Sentinel/);
    expect(r.stdout).toMatch(/\b0 session ids or API tokens appear in the table/);
    expect(r.stdout).not.toContain('-demo-password');
  });
});
