// What each detection must report on the scenario's data: one scripted incident per rule, as the
// rows its query returns (each row given by the columns that identify it). Rules the scenario does
// not know fail the end-to-end test, so a new detection needs a scene here too.

import type { ScenarioResult } from './scenario.js';

/** The columns that identify one row of a rule's result. */
export type ExpectedRow = Readonly<Record<string, string | number>>;

export interface ScriptedIncident {
  /** The rule's file in @otel-sentinel/owasp's detections/. */
  readonly rule: string;
  /** The rows the rule's query returns on the scenario's data: these and no others. */
  readonly rows: readonly ExpectedRow[];
}

/** The incident of every rule, for a finished scenario (frank's token id is only known then). */
export function scriptedIncidents(result: ScenarioResult): readonly ScriptedIncident[] {
  return [
    {
      rule: 'brute-force-by-user.yaml',
      rows: [{ ActorUserId: 'carol', SrcIpAddr: '198.51.100.7', Failures: 12 }],
    },
    {
      rule: 'brute-force-by-source-ip.yaml',
      rows: [{ SrcIpAddr: '203.0.113.66', Failures: 20, AccountCount: 10 }],
    },
    {
      rule: 'login-success-after-failures.yaml',
      rows: [{ ActorUserId: 'dave', SrcIpAddr: '198.51.100.23', Failures: 6, ReportedRetries: 6 }],
    },
    {
      rule: 'web-attack.yaml',
      rows: [{ SrcIpAddr: '198.51.100.23', ActorUserId: 'dave', Reports: 3 }],
    },
    {
      rule: 'impossible-travel.yaml',
      rows: [{ ActorUserId: 'erin', Reason: 'reported by the application', TravelReports: 1 }],
    },
    {
      rule: 'token-reuse.yaml',
      rows: [
        { ActorUserId: 'frank', TokenId: result.token.tokenId, SrcIpAddr: '198.51.100.99', Attempts: 2 },
      ],
    },
    {
      rule: 'privilege-change.yaml',
      rows: [
        {
          EventOriginalType: 'authz_change',
          ActorUserId: 'grace',
          ChangedAccount: 'grace',
          OldValue: 'clerk',
          NewAccess: 'admin',
        },
        {
          EventOriginalType: 'authz_admin',
          ActorUserId: 'alice',
          ChangedAccount: 'alice',
          NewAccess: 'user_privilege_change',
        },
      ],
    },
    {
      rule: 'monitoring-disabled.yaml',
      rows: [{ ActorUserId: 'grace', SrcIpAddr: '192.0.2.12', Monitor: 'invoice-read-audit' }],
    },
    {
      rule: 'attack-tool.yaml',
      rows: [{ SrcIpAddr: '203.0.113.5', Requests: 3, ReportedByApplication: 3 }],
    },
    {
      rule: 'excessive-404.yaml',
      rows: [{ SrcIpAddr: '203.0.113.44', Reports: 1 }],
    },
    {
      rule: 'sequence-failure.yaml',
      rows: [{ ActorUserId: 'henry', SrcIpAddr: '192.0.2.50', Failures: 1 }],
    },
    {
      rule: 'session-use-after-expire.yaml',
      rows: [{ ActorUserId: 'ivan', SrcIpAddr: '198.51.100.71', Attempts: 2, Sessions: 1 }],
    },
    {
      rule: 'rate-limit-abuse.yaml',
      rows: [{ ActorUserId: 'judy', SrcIpAddr: '192.0.2.70', RateLimitEvents: 6 }],
    },
  ];
}
