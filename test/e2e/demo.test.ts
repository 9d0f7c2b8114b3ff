// `pnpm demo` (after the build): the example app against the emulator — its security events land
// in OwaspSecurityEvents_CL, every detection fires on its scripted incident, the emulator's scheduler
// runs every rule and raises its incident, which the demo's webhook receives, operational logs do
// not land, and every process is stopped. detections-demo.test.ts checks the same data in detail.
import { spawnSync } from 'node:child_process';
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
  // The demo took 7 s alone at load 2 to 3: a hang guard (test/README.md, "Time-outs").
}, 180_000);

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
      expect(r.stdout).toMatch(new RegExp(`✔ ${rule.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ :]`));
    expect(r.stdout).toContain(
      `${RULES.length} of ${RULES.length} rules fired, each on its scripted incident`,
    );
    expect(r.stdout).toContain('OWASP - 12 failed logins for carol');
  });

  it("names an administrator's role change for what it is: a grant to one account, an activity of the other", () => {
    expect(r.stdout).toContain('OWASP - authz_change: grace was given role admin (was clerk)');
    expect(r.stdout).toContain('OWASP - authz_admin: administrator alice performed user_privilege_change');
    expect(r.stdout).not.toMatch(/alice now has/);
  });

  it('prints one line per rule, and as many alerts as the count under them says', () => {
    const start = r.stdout.indexOf('analytic rules of packages/owasp/detections');
    const lines = r.stdout
      .slice(start, r.stdout.indexOf('rules fired, each on its scripted incident'))
      .split('\n');
    const several = /: (\d+) alerts, one per result row$/;
    expect(lines.filter((l) => l.startsWith('  ✔ '))).toHaveLength(RULES.length);
    // A rule with one alert shows it on its own line; a rule with several says how many and lists
    // them under it, one line each.
    const single = lines.filter((l) => l.startsWith('  ✔ ') && !several.test(l)).length;
    const listed = lines.filter((l) => /^ {6}OWASP - /.test(l)).length;
    const announced = lines.reduce((sum, l) => sum + Number(several.exec(l)?.[1] ?? 0), 0);
    expect(listed).toBe(announced);
    expect(announced).toBe(2); // alice makes grace an admin: the role change and her admin activity
    expect(r.stdout).toContain(
      `\n  ${single + listed} alerts: a rule raises one per row its query returns; `,
    );
  });

  it('says first where its console is, and how to get past the certificate warning', () => {
    const line = /^ {2}Console: https:\/\/127\.0\.0\.1:\d+\/console\/$/m.exec(r.stdout);
    expect(line).not.toBeNull();
    expect(line?.index).toBeLessThan(r.stdout.indexOf('starting the example app'));
    expect(r.stdout).toContain("accept the browser's warning, or see docs/console.md");
  });

  it("says that every rule fired on the emulator's own schedule, each raising an incident", () => {
    const section = r.stdout.slice(r.stdout.indexOf("the emulator's scheduler: each rule runs every"));
    for (const rule of RULES) {
      const name = rule.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(section).toMatch(new RegExp(`\n  ✔ ${name} +→ incidents? #\\d+`));
    }
    expect(section).toContain(`${RULES.length} of ${RULES.length} rules fired on their scheduled run`);
  });

  it('prints each incident its webhook received, and it received every one', () => {
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('  webhook ← incident #'));
    const said = /the webhook received (\d+) of (\d+) incidents\n/.exec(r.stdout);
    expect(said).not.toBeNull();
    expect(said?.[1]).toBe(said?.[2]);
    expect(lines).toHaveLength(Number(said?.[1]));
    // The rules do not group alerts, so each alert is an incident: the role change raises two (see
    // above), every other rule one.
    expect(lines.length).toBeGreaterThanOrEqual(RULES.length + 1);
    expect(
      lines.some((l) =>
        /^ {2}webhook ← incident #\d+ \(Medium\): OWASP - 12 failed logins for carol$/.test(l),
      ),
    ).toBe(true);
  });

  it("says that the app reported its operational records to the console's cost view, as many as it logged", () => {
    const logged = /\b(\d+) operational records went to the console/.exec(r.stdout)?.[1];
    const reported = /The app reported them to the console's cost view: (\d+) records, about \d+ bytes/.exec(
      r.stdout,
    )?.[1];
    expect(reported).toBeDefined();
    expect(reported).toBe(logged);
  });

  it('shows that no operational log and no secret reached Sentinel', () => {
    expect(r.stdout).toMatch(/\b[1-9]\d* operational records went to the console/);
    expect(r.stdout).toMatch(/\b0 of them landed in Sentinel/);
    expect(r.stdout).toMatch(/\b0 session ids or API tokens appear in the table/);
    expect(r.stdout).not.toContain('-demo-password');
  });
});

describe('pnpm, which ./dev demo runs first', () => {
  it('is told not to print its update prompt (a curl | sh install line) in this repository', () => {
    const underPnpm = process.env.npm_config_user_agent?.startsWith('pnpm/') === true;
    const pnpm = underPnpm ? (process.env.npm_execpath ?? 'pnpm') : 'pnpm';
    const config = spawnSync(pnpm, ['config', 'get', 'updateNotifier'], { cwd: ROOT, encoding: 'utf8' });
    expect(config.stdout.trim()).toBe('false');
  });
});
