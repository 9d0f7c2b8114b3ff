// Hand-written incidents and a controllable clock for the automation tests: the oracle is
// these values, not the detections code.
import type { AutomationClock } from '../../src/automation/automation-clock.js';
import type { Alert, Detections, Incident, IncidentEvent } from '../../src/detections/detection-types.js';

export const WORKSPACE =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/otel-sentinel/providers/Microsoft.OperationalInsights/workspaces/emulator';

/** A test incident source: `emit` hands an event to every listener. */
export class FakeIncidents implements Pick<Detections, 'onIncident'> {
  private readonly listeners = new Set<(event: IncidentEvent) => void>();

  onIncident(listener: (event: IncidentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: IncidentEvent): void {
    for (const l of this.listeners) l(event);
  }
}

export function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: `${WORKSPACE}/providers/Microsoft.SecurityInsights/Incidents/6d1c0b52-6a2f-4d4b-9a55-0c3f3c1f2a10`,
    name: '6d1c0b52-6a2f-4d4b-9a55-0c3f3c1f2a10',
    incidentNumber: 7,
    title: 'Password spray against the audit app',
    description: 'Many accounts, one wrong password each, from one address.',
    severity: 'Medium',
    status: 'New',
    owner: { objectId: null, email: null, assignedTo: null, userPrincipalName: null },
    labels: [],
    firstActivityTimeUtc: '2026-12-08T00:10:00.000Z',
    lastActivityTimeUtc: '2026-12-08T00:14:00.000Z',
    lastModifiedTimeUtc: '2026-12-08T00:20:00.000Z',
    createdTimeUtc: '2026-12-08T00:20:00.000Z',
    incidentUrl: 'https://127.0.0.1:4443/console/#incidents/7',
    additionalData: {
      alertsCount: 1,
      bookmarksCount: 0,
      commentsCount: 0,
      alertProductNames: ['Azure Sentinel'],
      tactics: ['CredentialAccess'],
      techniques: ['T1110'],
    },
    relatedAnalyticRuleIds: ['rule-spray'],
    providerName: 'Azure Sentinel',
    providerIncidentId: '7',
    ruleId: 'rule-spray',
    ruleName: 'Password spray',
    alertIds: ['a5e1f0c2-1111-4222-8333-944455556666'],
    entities: [
      { kind: 'Ip', properties: { Address: '203.0.113.67' } },
      { kind: 'Account', properties: { Name: 'alice', friendlyName: 'alice@contoso.test' } },
    ],
    query: 'ContosoAudit_CL | where EventResult == "Failure"',
    queryStart: '2026-12-08T00:00:00.000Z',
    queryEnd: '2026-12-08T00:15:00.000Z',
    ...overrides,
  };
}

export const ALERT: Alert = {
  id: 'a5e1f0c2-1111-4222-8333-944455556666',
  ruleId: 'rule-spray',
  ruleName: 'Password spray',
  displayName: 'Password spray',
  description: 'Many accounts, one wrong password each, from one address.',
  severity: 'Medium',
  tactics: ['CredentialAccess'],
  techniques: ['T1110'],
  entities: [{ kind: 'Ip', properties: { Address: '203.0.113.67' } }],
  customDetails: { Accounts: 16 },
  rows: [{ IpAddress: '203.0.113.67', Accounts: 16 }],
  trigger: 'scheduled',
  startTime: '2026-12-08T00:00:00.000Z',
  endTime: '2026-12-08T00:15:00.000Z',
  timeGenerated: '2026-12-08T00:20:00.000Z',
};

export function created(over: Partial<Incident> = {}): IncidentEvent {
  return { change: 'created', incident: incident(over), alerts: [ALERT] };
}

/** A clock whose sleeps end at once (recording how long they were asked for), or wait for `release`. */
export class TestClock implements AutomationClock {
  readonly sleeps: number[] = [];
  /** When true, a sleep waits until the signal aborts (the emulator closing). */
  holdSleeps = false;
  private t = Date.parse('2026-12-08T00:20:00.000Z');

  now(): number {
    return (this.t += 5);
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    if (!this.holdSleeps || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
    });
  }

  random(): number {
    return 0.5;
  }
}
