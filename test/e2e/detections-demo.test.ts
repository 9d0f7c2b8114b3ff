// The demo's scenario, end to end: the built example app, instrumented with @otel-sentinel/owasp
// alone, sends its security events through the owasp preset to the emulator; then every analytic
// rule in packages/owasp/detections runs on that data through the emulator's query engine and must
// find exactly its scripted incident, and the rows must carry the preset's fields.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { scriptedIncidents } from '@otel-sentinel/example-audit-app/scenario';
import type { AppExit, ScenarioResult } from '@otel-sentinel/example-audit-app/scenario';
import { OWASP_EVENTS } from '@otel-sentinel/owasp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './cli.js';
import { playScenarioOn } from './support/play-scenario.js';

const MAPPING = join(ROOT, 'examples/audit-app/mapping/security-mapping.yaml');
const DETECTIONS = join(ROOT, 'packages/owasp/detections');
const TABLE = 'OwaspSecurityEvents_CL';
const HASH_KEY = randomBytes(32).toString('hex');
const RULE_FILES = readdirSync(DETECTIONS)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

type Row = Record<string, unknown>;

interface RuleTemplate {
  readonly name: string;
  readonly query: string;
}

let work: string | undefined;
let emulator: RunningEmulator | undefined;
let scenario: ScenarioResult;
let exit: AppExit;
let rows: Row[];

function query(kql: string): Row[] {
  if (emulator === undefined) throw new Error('the emulator did not start');
  const result = emulator.query(kql);
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]])));
}

function rule(file: string): RuleTemplate {
  return parse(readFileSync(join(DETECTIONS, file), 'utf8')) as RuleTemplate;
}

function hashOf(sessionId: string | undefined): string {
  if (sessionId === undefined) throw new Error('the scenario has no such session');
  return createHmac('sha256', HASH_KEY).update(sessionId).digest('hex');
}

function rowsOf(eventName: string): Row[] {
  return rows.filter((r) => r.EventOriginalType === eventName);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'detections-demo-'));
  emulator = await startEmulator({
    mappings: [MAPPING],
    port: 0,
    inMemory: true,
    dataDir: join(work, 'emulator'),

    strict: true,
  });
  ({ scenario, exit } = await playScenarioOn(emulator, work, HASH_KEY));
  rows = query(`${TABLE} | sort by TimeGenerated asc`);
  // The demo's scenario, about 7 s alone at load 2 to 3: a hang guard (test/README.md, "Time-outs").
}, 180_000);

afterAll(async () => {
  await emulator?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the demo scenario against the emulator', () => {
  it('leaves the app to flush every security event and exit cleanly', () => {
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(rows.length).toBeGreaterThan(100);
  });

  it('has a scripted incident for every rule in packages/owasp/detections, and no other', () => {
    expect(RULE_FILES.length).toBeGreaterThan(0);
    expect(
      scriptedIncidents(scenario)
        .map((i) => i.rule)
        .sort(),
    ).toEqual(RULE_FILES);
  });

  it.each(RULE_FILES)('%s fires on its scripted incident and on nothing else', (file) => {
    const incident = scriptedIncidents(scenario).find((i) => i.rule === file);
    if (incident === undefined) throw new Error(`the scenario scripts no incident for ${file}`);
    const fired = query(rule(file).query);
    expect(fired).toHaveLength(incident.rows.length);
    expect(fired).toEqual(
      expect.arrayContaining(incident.rows.map((r): unknown => expect.objectContaining(r))),
    );
  });
});

describe('the rows of OwaspSecurityEvents_CL', () => {
  it('are OWASP vocabulary events, each with the columns every request-borne event has', () => {
    const names = new Set(OWASP_EVENTS.map((e) => e.name));
    for (const row of rows) {
      const event = String(row.EventOriginalType);
      expect(names.has(event), event).toBe(true);
      for (const column of [
        'TimeGenerated',
        'OwaspCategory',
        'EventOriginalSeverity',
        'EventMessage',
        'SrcIpAddr',
        'HttpUserAgent',
        'HttpRequestMethod',
        'Url',
        'CorrelationId',
        'DvcHostname',
        'TargetAppName',
      ])
        expect(row[column], `${event}.${column}`).toEqual(expect.stringMatching(/\S/));
      expect(['Informational', 'Medium', 'High'], `${event}.EventSeverity`).toContain(row.EventSeverity);
      expect(['Success', 'Failure', 'NA'], `${event}.EventResult`).toContain(row.EventResult);
      expect(row.TargetAppName).toBe('contoso-audit-app');
      // The app runs no tracing: no event is emitted inside a span, and KQL strings have no null.
      expect(row.TraceId, `${event}.TraceId`).toBe('');
    }
  });

  it('name the user on every event about one, and only the anonymous attacks have none', () => {
    const anonymous = rows.filter((r) => r.ActorUserId === '').map((r) => r.EventOriginalType);
    expect(new Set(anonymous)).toEqual(new Set(['malicious_attack_tool', 'malicious_excess_404']));
    expect(rowsOf('authn_login_fail').map((r) => r.ActorUserId)).toContain('carol');
    expect(rowsOf('authn_token_reuse').map((r) => r.ActorUserId)).toEqual(['frank', 'frank']);
  });

  it('carry the client address the proxy passed on, not the proxy’s', () => {
    expect(rows.some((r) => r.SrcIpAddr === '127.0.0.1')).toBe(false);
    expect(rowsOf('malicious_attack_tool').map((r) => r.SrcIpAddr)).toEqual([
      '203.0.113.5',
      '203.0.113.5',
      '203.0.113.5',
    ]);
  });

  it('hash the session of every event in a signed-in session with the app’s key', () => {
    const bob = hashOf(scenario.sessionIds.get('bob'));
    const bobsSessionRows = rows.filter(
      (r) => r.ActorUserId === 'bob' && r.EventOriginalType !== 'authn_login_fail',
    );
    expect(bobsSessionRows.map((r) => r.EventOriginalType)).toEqual(
      expect.arrayContaining([
        'authn_login_successafterfail',
        'sensitive_read',
        'sensitive_create',
        'authz_fail',
        'session_logout',
      ]),
    );
    for (const row of bobsSessionRows) expect(row.SessionHash, String(row.EventOriginalType)).toBe(bob);
    // The replayed session is the one ivan logged out of.
    expect(rowsOf('session_use_after_expire').map((r) => r.SessionHash)).toEqual([
      hashOf(scenario.sessionIds.get('ivan')),
      hashOf(scenario.sessionIds.get('ivan')),
    ]);
  });

  it('have no session hash where no session was presented', () => {
    for (const event of [
      'authn_login_fail',
      'authn_login_lock',
      'authn_token_reuse',
      'malicious_attack_tool',
      'malicious_excess_404',
    ])
      for (const row of rowsOf(event)) expect(row.SessionHash, event).toBe('');
  });

  it('never hold a session id or an API token, only their hash and id', () => {
    const text = JSON.stringify(rows);
    expect(scenario.sessionIds.size).toBeGreaterThan(5);
    for (const secret of [...scenario.sessionIds.values(), scenario.token.secret])
      expect(text).not.toContain(secret);
    expect(text).toContain(scenario.token.tokenId);
    expect(text).not.toMatch(/demo-password/);
  });

  it('put each event’s own arguments in their columns', () => {
    expect(rowsOf('authn_login_fail').map((r) => r.EventResultDetails)).toEqual(
      expect.arrayContaining(['wrong_password', 'unknown_user', 'account_locked']),
    );
    expect(rowsOf('authn_login_successafterfail')).toEqual([
      expect.objectContaining({ ActorUserId: 'bob', Retries: 1 }),
      expect.objectContaining({ ActorUserId: 'dave', Retries: 6, SrcIpAddr: '198.51.100.23' }),
    ]);
    expect(rowsOf('authn_impossible_travel')).toEqual([
      expect.objectContaining({ ActorUserId: 'erin', OldValue: 'NL-NH', NewValue: 'CN-SH' }),
    ]);
    expect(rowsOf('authz_change')).toEqual([
      expect.objectContaining({ OldValue: 'clerk', NewValue: 'admin' }),
    ]);
    expect(rowsOf('malicious_attack_tool').map((r) => r.ThreatName)).toEqual(['nikto', 'nikto', 'nikto']);
    expect(rowsOf('malicious_sqli').map((r) => r.RuleName)).toEqual(['SQLI-TAUTOLOGY', 'SQLI-UNION']);
    expect(rowsOf('excess_rate_limit_exceeded').map((r) => r.Limit)).toEqual([20, 20, 20, 20, 20, 20]);
    expect(rowsOf('sensitive_create')).toEqual([
      expect.objectContaining({
        ActorUserId: 'bob',
        Object: '/api/invoices/inv-1004',
        HttpRequestMethod: 'POST',
      }),
    ]);
    // A dynamic column comes back as JSON text, as from Log Analytics.
    const [created, ...more] = rowsOf('authn_token_created');
    expect(more).toEqual([]);
    expect(created?.ActorUserId).toBe('frank');
    expect(JSON.parse(String(created?.AdditionalFields))).toMatchObject({
      'owasp.entitlements': ['invoices:read'],
    });
  });

  it('leave out the invoice read grace made while read auditing was off', () => {
    const reads = rowsOf('sensitive_read');
    expect(reads.filter((r) => r.ActorUserId === 'grace')).toEqual([]);
    expect(reads.filter((r) => r.ActorUserId === 'erin')).toHaveLength(1);
  });

  it('hold none of the operational logs the app printed', () => {
    expect(exit.stdout).toContain('request done');
    expect(
      rows.filter((r) => /request done|cache warmed|password checked/.test(String(r.EventMessage))),
    ).toEqual([]);
  });
});
