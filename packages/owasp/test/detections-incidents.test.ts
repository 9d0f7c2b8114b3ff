// Each analytic rule in detections/ runs on the emulator's KQL engine (@otel-sentinel/kql) over an
// hour of scripted OwaspSecurityEvents_CL rows: benign traffic with near misses (just under each
// threshold), plus one scripted incident per rule. A rule must find exactly its incident and nothing else.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runQuery, type QuerySource, type Row } from '@otel-sentinel/kql';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OWASP_EVENTS, resultOf, type OwaspLevel } from '../src/vocabulary.js';
import { COLUMNS, STRING_COLUMNS, TABLE } from './support/owasp-table.js';

const DIR = fileURLToPath(new URL('../detections/', import.meta.url));

/** When Sentinel runs the rules: every scripted row is within the hour before. */
const NOW = new Date('2026-11-23T12:00:00.000Z');
const HOUR_START = NOW.getTime() - 3_600_000;

type StringColumn = (typeof STRING_COLUMNS)[number];
type Fields = Partial<Record<StringColumn, string>> & {
  readonly Limit?: number;
  readonly Retries?: number;
  readonly AdditionalFields?: Record<string, unknown>;
};

const ASIM_SEVERITY: Readonly<Record<OwaspLevel, string>> = {
  INFO: 'Informational',
  WARN: 'Medium',
  CRITICAL: 'High',
};
const EVENTS = new Map(OWASP_EVENTS.map((e) => [e.name, e]));

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** `minute` (and `second`) after the start of the hour, as the table stores it. */
function at(minute: number, second = 0): string {
  return new Date(HOUR_START + minute * 60_000 + second * 1000).toISOString();
}

/** One row as the owasp preset writes it for `name`, with the record fields filled in. */
function event(name: string, time: string, fields: Fields = {}): Row {
  const def = EVENTS.get(name);
  if (def === undefined) throw new Error(`${name} is not an OWASP vocabulary event`);
  const row: Row = { TimeGenerated: time, Limit: null, Retries: null, AdditionalFields: {} };
  for (const column of STRING_COLUMNS) row[column] = '';
  return {
    ...row,
    EventOriginalType: name,
    OwaspCategory: def.category,
    EventSeverity: ASIM_SEVERITY[def.level],
    EventOriginalSeverity: def.level,
    EventResult: resultOf(def),
    EventMessage: def.description,
    HttpUserAgent: CHROME,
    HttpRequestMethod: 'POST',
    Url: '/login',
    DvcHostname: 'shop.example.com',
    TargetAppName: 'shop',
    ...fields,
  };
}

/** `count` events, one every `everySeconds`, from `minute`. */
function burst(
  count: number,
  minute: number,
  everySeconds: number,
  make: (time: string, i: number) => Row,
): Row[] {
  return Array.from({ length: count }, (_, i) => make(at(minute, i * everySeconds), i));
}

const fail = (user: string, ip: string) => (time: string) =>
  event('authn_login_fail', time, { ActorUserId: user, SrcIpAddr: ip, EventResultDetails: 'bad password' });

// ---------------------------------------------------------------------------------------------
// Benign traffic, with the near misses each rule must not report.

function benignNoise(): Row[] {
  const rows: Row[] = [];
  // 30 users log in from their own address, work, and log out; the first ten mistype first.
  for (let n = 1; n <= 30; n++) {
    const user = `user${String(n).padStart(2, '0')}`;
    const ip = `192.0.2.${n}`;
    const ua = n % 2 === 0 ? CHROME : FIREFOX;
    const start = n + 10;
    if (n <= 10) for (let k = 0; k < (n % 3) + 1; k++) rows.push(fail(user, ip)(at(start - 1, k * 5)));
    const fields = { ActorUserId: user, SrcIpAddr: ip, HttpUserAgent: ua, SessionHash: `h-${user}` };
    rows.push(event('authn_login_success', at(start), fields));
    rows.push(event('session_created', at(start, 1), fields));
    rows.push(
      event('sensitive_read', at(start + 2), { ...fields, Object: `/invoices/${n}`, Url: `/invoices/${n}` }),
    );
    rows.push(event('session_expired', at(start + 9), { ...fields, EventResultDetails: 'logout' }));
    rows.push(event('session_logout', at(start + 9, 1), fields));
  }
  // user05 mistypes four times, one short of the success-after-failures threshold.
  rows.push(fail('user05', '192.0.2.5')(at(13)));
  // bob fails 9 times in five minutes: one short of the brute-force threshold.
  rows.push(...burst(9, 20, 30, fail('bob', '203.0.113.10')));
  // carol fails 12 times, but spread over the hour: never 10 within one window.
  rows.push(...burst(12, 2, 290, fail('carol', '203.0.113.11')));
  // An office behind one address: six people mistype once each, then log in.
  for (const [i, user] of ['dana', 'eve', 'fay', 'gus', 'hal', 'ida'].entries()) {
    rows.push(fail(user, '198.51.100.200')(at(30, i * 20)));
    rows.push(
      event('authn_login_success', at(31, i * 20), { ActorUserId: user, SrcIpAddr: '198.51.100.200' }),
    );
  }
  // One address fails 24 times, but against three accounts only, 8 times each.
  for (const [i, user] of ['kurt', 'lena', 'milo'].entries())
    rows.push(...burst(8, 30 + i, 7, fail(user, '203.0.113.50')));
  // frank logs in, and only later fails six times: no success after the failures.
  rows.push(event('authn_login_success', at(5), { ActorUserId: 'frank', SrcIpAddr: '192.0.2.60' }));
  rows.push(...burst(6, 40, 40, fail('frank', '192.0.2.60')));
  // grace succeeds after two retries, under the threshold of five.
  rows.push(
    event('authn_login_successafterfail', at(12), {
      ActorUserId: 'grace',
      SrcIpAddr: '192.0.2.61',
      Retries: 2,
    }),
  );
  // heidi logs in from two addresses, but 45 minutes apart (different windows).
  rows.push(event('authn_login_success', at(5), { ActorUserId: 'heidi', SrcIpAddr: '192.0.2.80' }));
  rows.push(event('authn_login_success', at(50), { ActorUserId: 'heidi', SrcIpAddr: '192.0.2.81' }));
  // ivan logs in twice from the same address within minutes.
  rows.push(event('authn_login_success', at(3), { ActorUserId: 'ivan', SrcIpAddr: '192.0.2.82' }));
  rows.push(event('authn_login_success', at(9), { ActorUserId: 'ivan', SrcIpAddr: '192.0.2.82' }));
  // Tokens are created and revoked, never reused.
  rows.push(
    event('authn_token_created', at(20), {
      ActorUserId: 'svc-billing',
      AdditionalFields: { 'owasp.entitlements': ['read'] },
    }),
  );
  rows.push(event('authn_token_revoked', at(25), { ActorUserId: 'svc-billing', TokenId: 'tok-0001' }));
  rows.push(event('authn_token_revoked', at(26), { ActorUserId: 'victor', TokenId: 'tok-7f3a' }));
  // Access changes that grant nothing privileged.
  rows.push(event('authz_change', at(14), { ActorUserId: 'judy', OldValue: 'admin', NewValue: 'user' }));
  rows.push(
    event('user_created', at(15), {
      ActorUserId: 'hr-admin',
      TargetUserId: 'newhire',
      AdditionalFields: { 'owasp.user_attributes': ['viewer'] },
    }),
  );
  rows.push(
    event('user_updated', at(16), {
      ActorUserId: 'hr-admin',
      TargetUserId: 'user07',
      AdditionalFields: { 'owasp.user_attributes': ['editor', 'billing'] },
    }),
  );
  rows.push(
    event('authz_admin', at(17), {
      ActorUserId: 'hr-admin',
      AdditionalFields: { 'owasp.admin_event': 'user_export' },
    }),
  );
  rows.push(event('authz_fail', at(18), { ActorUserId: 'user03', SrcIpAddr: '192.0.2.3', Object: '/admin' }));
  // Ordinary clients and crawlers: no attack tool among them ("nmapviewer" is not "nmap").
  for (const [i, ua] of [
    'curl/8.5.0',
    'python-requests/2.31.0',
    'okhttp/4.12.0',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (X11; Linux x86_64) nmapviewer/1.0',
  ].entries())
    rows.push(
      event('input_validation_fail', at(22 + i), {
        SrcIpAddr: `192.0.2.${100 + i}`,
        HttpUserAgent: ua,
        Url: '/search',
      }),
    );
  // kim hits the rate limit four times in a window: one short of the threshold.
  rows.push(
    ...burst(4, 46, 60, (time) =>
      event('excess_rate_limit_exceeded', time, { ActorUserId: 'kim', SrcIpAddr: '192.0.2.90', Limit: 100 }),
    ),
  );
  // A CSRF refusal is not an injection attempt; the monitor is switched on, not off.
  rows.push(event('malicious_csrf', at(33), { ActorUserId: 'user09', SrcIpAddr: '192.0.2.9' }));
  rows.push(
    event('sys_monitor_enabled', at(1), {
      ActorUserId: 'ops',
      DvcHostname: 'web-1',
      AdditionalFields: { 'owasp.monitor': 'crowdstrike' },
    }),
  );
  rows.push(event('sys_startup', at(0), { ActorUserId: 'ops', DvcHostname: 'web-1' }));
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The scripted incidents, one per rule file, and what the rule must report for each.

interface Incident {
  readonly file: string;
  readonly story: string;
  readonly rows: readonly Row[];
  /** The rows the rule must return, by the columns named; compared in any order. */
  readonly expected: readonly Record<string, unknown>[];
}

const json = (value: unknown): string => JSON.stringify(value);

const INCIDENTS: readonly Incident[] = [
  {
    file: 'brute-force-by-user.yaml',
    story: '12 failed logins for alice from 198.51.100.7 within 5 minutes',
    rows: burst(12, 20, 30, fail('alice', '198.51.100.7')),
    expected: [{ ActorUserId: 'alice', SrcIpAddr: '198.51.100.7', Failures: 12, SourceCount: 1 }],
  },
  {
    file: 'brute-force-by-source-ip.yaml',
    story: '203.0.113.66 fails once each against 25 accounts within 5 minutes',
    rows: Array.from({ length: 25 }, (_, i) =>
      fail(`acct${String(i + 1).padStart(2, '0')}`, '203.0.113.66')(at(41, i * 12)),
    ),
    expected: [{ SrcIpAddr: '203.0.113.66', Failures: 25, AccountCount: 25 }],
  },
  {
    file: 'login-success-after-failures.yaml',
    story: 'mallory fails 6 times, then logs in; oscar logs in after 7 retries the application counted',
    rows: [
      ...burst(6, 10, 50, fail('mallory', '198.51.100.23')),
      event('authn_login_success', at(16), { ActorUserId: 'mallory', SrcIpAddr: '198.51.100.23' }),
      event('authn_login_successafterfail', at(44), {
        ActorUserId: 'oscar',
        SrcIpAddr: '198.51.100.24',
        Retries: 7,
      }),
    ],
    expected: [
      { ActorUserId: 'mallory', SrcIpAddr: '198.51.100.23', Failures: 6, ReportedRetries: null },
      { ActorUserId: 'oscar', SrcIpAddr: '198.51.100.24', Failures: 0, ReportedRetries: 7 },
    ],
  },
  {
    file: 'impossible-travel.yaml',
    story:
      'the application reports peggy travelling US-OR to CN-SH; trent logs in from two addresses 7 minutes apart',
    rows: [
      event('authn_impossible_travel', at(33), {
        ActorUserId: 'peggy',
        SrcIpAddr: '203.0.113.77',
        OldValue: 'US-OR',
        NewValue: 'CN-SH',
      }),
      event('authn_login_success', at(2), { ActorUserId: 'trent', SrcIpAddr: '192.0.2.200' }),
      event('authn_login_success', at(9), { ActorUserId: 'trent', SrcIpAddr: '203.0.113.88' }),
    ],
    expected: [
      {
        ActorUserId: 'peggy',
        Reason: 'reported by the application',
        Regions: json(['US-OR to CN-SH']),
        FirstIpAddr: '203.0.113.77',
        SecondIpAddr: '',
      },
      {
        ActorUserId: 'trent',
        Reason: 'successful logins from several addresses',
        Regions: json([]),
        FirstIpAddr: '192.0.2.200',
        SecondIpAddr: '203.0.113.88',
      },
    ],
  },
  {
    file: 'token-reuse.yaml',
    story: "victor's revoked token tok-7f3a is presented twice from 198.51.100.99",
    rows: burst(2, 47, 30, (time) =>
      event('authn_token_reuse', time, {
        ActorUserId: 'victor',
        TokenId: 'tok-7f3a',
        SrcIpAddr: '198.51.100.99',
        Url: '/api/orders',
      }),
    ),
    expected: [{ ActorUserId: 'victor', TokenId: 'tok-7f3a', SrcIpAddr: '198.51.100.99', Attempts: 2 }],
  },
  {
    file: 'privilege-change.yaml',
    story:
      'walter becomes admin; root-ops creates backdoor with admin attributes; an administrator changes privileges; permissions on a path go to 0777',
    rows: [
      event('authz_change', at(21), {
        ActorUserId: 'walter',
        SrcIpAddr: '198.51.100.31',
        OldValue: 'user',
        NewValue: 'admin',
      }),
      event('user_created', at(22), {
        ActorUserId: 'root-ops',
        TargetUserId: 'backdoor',
        AdditionalFields: { 'owasp.user_attributes': ['admin', 'create', 'update', 'delete'] },
      }),
      event('authz_admin', at(23), {
        ActorUserId: 'alice-admin',
        AdditionalFields: { 'owasp.admin_event': 'user_privilege_change' },
      }),
      event('privilege_permissions_changed', at(24), {
        ActorUserId: 'xavier',
        Object: '/users/admin/some/important/path',
        OldValue: '0511',
        NewValue: '0777',
      }),
    ],
    expected: [
      {
        EventOriginalType: 'authz_change',
        ActorUserId: 'walter',
        ChangedAccount: 'walter',
        NewAccess: 'admin',
        Change: 'walter was given role admin (was user)',
      },
      {
        EventOriginalType: 'user_created',
        ActorUserId: 'root-ops',
        ChangedAccount: 'backdoor',
        NewAccess: json(['admin', 'create', 'update', 'delete']),
        Change: `root-ops created backdoor with ${json(['admin', 'create', 'update', 'delete'])}`,
      },
      {
        EventOriginalType: 'authz_admin',
        ActorUserId: 'alice-admin',
        ChangedAccount: 'alice-admin',
        NewAccess: 'user_privilege_change',
        // An administrator's activity, not a grant: the event names no account that gained access.
        Change: 'administrator alice-admin performed user_privilege_change',
      },
      {
        EventOriginalType: 'privilege_permissions_changed',
        ActorUserId: 'xavier',
        ChangedAccount: 'xavier',
        NewAccess: '0777',
        Change: 'xavier changed permissions on /users/admin/some/important/path from 0511 to 0777',
      },
    ],
  },
  {
    file: 'attack-tool.yaml',
    story: 'sqlmap probes from 203.0.113.5; the application reports nikto from 198.51.100.150',
    rows: [
      ...burst(3, 27, 2, (time) =>
        event('input_validation_fail', time, {
          SrcIpAddr: '203.0.113.5',
          HttpUserAgent: 'sqlmap/1.7.2#stable (https://sqlmap.org)',
          Url: '/search',
        }),
      ),
      event('malicious_attack_tool', at(28), {
        SrcIpAddr: '198.51.100.150',
        ThreatName: 'nikto',
        HttpUserAgent: 'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)',
      }),
    ],
    expected: [
      { SrcIpAddr: '203.0.113.5', Requests: 3, ReportedByApplication: 0, Tools: json([]) },
      { SrcIpAddr: '198.51.100.150', Requests: 1, ReportedByApplication: 1, Tools: json(['nikto']) },
    ],
  },
  {
    file: 'excessive-404.yaml',
    story: 'the application reports 203.0.113.44 for excessive 404s',
    rows: [
      event('malicious_excess_404', at(36), {
        SrcIpAddr: '203.0.113.44',
        HttpUserAgent: 'M@l1c10us-Hax0rB0t0-v1',
        Url: '/wp-admin',
      }),
    ],
    expected: [{ SrcIpAddr: '203.0.113.44', Reports: 1, ActorUserId: '' }],
  },
  {
    file: 'sequence-failure.yaml',
    story: 'yvonne reaches the order confirmation without paying',
    rows: [
      event('sequence_fail', at(51), {
        ActorUserId: 'yvonne',
        SrcIpAddr: '198.51.100.61',
        Url: '/checkout/confirm',
      }),
    ],
    expected: [
      { ActorUserId: 'yvonne', SrcIpAddr: '198.51.100.61', Failures: 1, Urls: json(['/checkout/confirm']) },
    ],
  },
  {
    file: 'session-use-after-expire.yaml',
    story: "zoe's expired session is presented twice from 198.51.100.71",
    rows: burst(2, 52, 20, (time) =>
      event('session_use_after_expire', time, {
        ActorUserId: 'zoe',
        SrcIpAddr: '198.51.100.71',
        SessionHash: 'h-zoe-old',
      }),
    ),
    expected: [{ ActorUserId: 'zoe', SrcIpAddr: '198.51.100.71', Attempts: 2, Sessions: 1 }],
  },
  {
    file: 'rate-limit-abuse.yaml',
    story: 'svc-scraper exceeds the rate limit 7 times in 7 minutes; nina exceeds her session limit',
    rows: [
      ...burst(7, 31, 60, (time) =>
        event('excess_rate_limit_exceeded', time, {
          ActorUserId: 'svc-scraper',
          SrcIpAddr: '198.51.100.81',
          Limit: 100,
          Url: '/api/products',
        }),
      ),
      event('excess_sessions_exceeded', at(38), {
        ActorUserId: 'nina',
        SrcIpAddr: '198.51.100.82',
        Limit: 5,
      }),
    ],
    expected: [
      {
        ActorUserId: 'svc-scraper',
        SrcIpAddr: '198.51.100.81',
        RateLimitEvents: 7,
        SessionLimitEvents: 0,
        Limits: json([100]),
      },
      {
        ActorUserId: 'nina',
        SrcIpAddr: '198.51.100.82',
        RateLimitEvents: 0,
        SessionLimitEvents: 1,
        Limits: json([5]),
      },
    ],
  },
  {
    file: 'monitoring-disabled.yaml',
    story: 'ops-bob disables crowdstrike on web-2',
    rows: [
      event('sys_monitor_disabled', at(55), {
        ActorUserId: 'ops-bob',
        SrcIpAddr: '10.0.0.5',
        DvcHostname: 'web-2',
        AdditionalFields: { 'owasp.monitor': 'crowdstrike' },
      }),
    ],
    expected: [{ ActorUserId: 'ops-bob', DvcHostname: 'web-2', Monitor: 'crowdstrike' }],
  },
  {
    file: 'web-attack.yaml',
    story: '203.0.113.9 tries SQL injection twice and an object it may not read once',
    rows: [
      ...burst(2, 42, 3, (time) =>
        event('malicious_sqli', time, { SrcIpAddr: '203.0.113.9', RuleName: 'SQLI-UNION', Url: '/search' }),
      ),
      event('malicious_direct_reference', at(43), {
        SrcIpAddr: '203.0.113.9',
        ActorUserId: 'user11',
        Url: '/invoices/7',
      }),
    ],
    expected: [
      {
        SrcIpAddr: '203.0.113.9',
        Reports: 3,
        Events: json(['malicious_sqli', 'malicious_direct_reference']),
        Rules: json(['SQLI-UNION']),
        ActorUserId: 'user11',
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------

interface Rule {
  readonly query: string;
  /** queryPeriod in milliseconds: Sentinel gives the query only rows this recent. */
  readonly periodMs: number;
}

function loadRule(file: string): Rule {
  const rule: unknown = parse(readFileSync(`${DIR}${file}`, 'utf8'));
  if (typeof rule !== 'object' || rule === null) throw new Error(`${file} is not a YAML mapping`);
  const query: unknown = Reflect.get(rule, 'query');
  const period: unknown = Reflect.get(rule, 'queryPeriod');
  const match = typeof period === 'string' ? /^(\d+)([mhd])$/.exec(period) : null;
  if (typeof query !== 'string' || match === null) throw new Error(`${file} lacks query or queryPeriod`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[
    match[2] === 'm' || match[2] === 'h' ? match[2] : 'd'
  ];
  return { query, periodMs: Number(match[1]) * unit };
}

/** Runs the rule as Sentinel would at NOW: over the rows of its query period. */
function run(file: string, rows: readonly Row[]): Record<string, unknown>[] {
  const { query, periodMs } = loadRule(file);
  const inPeriod = rows.filter((r) => {
    const t = Date.parse(String(r.TimeGenerated));
    return t >= NOW.getTime() - periodMs && t <= NOW.getTime();
  });
  const source: QuerySource = {
    tables: () => [TABLE],
    columns: (table) => (table === TABLE ? COLUMNS : undefined),
    scan: (table) => (table === TABLE ? inPeriod : []),
  };
  const result = runQuery(query, source, NOW);
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

/** The result rows cut down to the expected columns, in a stable order. */
function found(
  rows: readonly Record<string, unknown>[],
  expected: readonly Record<string, unknown>[],
): string[] {
  const keys = [...new Set(expected.flatMap((e) => Object.keys(e)))];
  return rows.map((row) => json(Object.fromEntries(keys.map((k) => [k, row[k] ?? null])))).sort();
}

function wanted(expected: readonly Record<string, unknown>[]): string[] {
  const keys = [...new Set(expected.flatMap((e) => Object.keys(e)))];
  return expected.map((e) => json(Object.fromEntries(keys.map((k) => [k, e[k] ?? null])))).sort();
}

const NOISE = benignNoise();
const EVERY_INCIDENT = INCIDENTS.flatMap((i) => i.rows);

describe('detections on scripted data', () => {
  it('script an incident for every rule file', () => {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(INCIDENTS.map((i) => i.file).sort()).toEqual(files);
  });

  it('script every row inside the hour before the run', () => {
    for (const row of [...NOISE, ...EVERY_INCIDENT]) {
      const t = Date.parse(String(row.TimeGenerated));
      expect(t).toBeGreaterThanOrEqual(HOUR_START);
      expect(t).toBeLessThan(NOW.getTime());
    }
  });

  describe.each(INCIDENTS.map((i) => [i.file, i] as const))('%s', (file, incident) => {
    it('finds nothing in an hour of benign traffic with near misses', () => {
      expect(run(file, NOISE)).toEqual([]);
    });

    it(`finds exactly the scripted incident: ${incident.story}`, () => {
      expect(found(run(file, [...NOISE, ...incident.rows]), incident.expected)).toEqual(
        wanted(incident.expected),
      );
    });

    it('finds only its own incident when every other incident happens too', () => {
      expect(found(run(file, [...NOISE, ...EVERY_INCIDENT]), incident.expected)).toEqual(
        wanted(incident.expected),
      );
    });
  });
});
