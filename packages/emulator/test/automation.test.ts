// Automation: each new incident that matches a target is POSTed to a real local receiver as a
// playbook's trigger body, retried as the policy says, and kept in the store's delivery log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { Automation } from '../src/automation/automation.js';
import type { AutomationTarget } from '../src/automation/automation-options.js';
import { resolveTargets } from '../src/automation/automation-options.js';
import { trustedCas } from '../src/automation/send-webhook.js';
import type { Store } from '../src/model.js';
import { openStore } from '../src/store/sqlite-store.js';
import { ensureCertificates } from '../src/tls/certificates.js';
import { ALERT, created, FakeIncidents, TestClock, WORKSPACE } from './support/automation-fixtures.js';
import type { Answer, Receiver } from './support/webhook-receiver.js';
import { startReceiver } from './support/webhook-receiver.js';

const WORKSPACE_ID = '11111111-2222-3333-4444-555555555555';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiver(script: readonly Answer[], tls?: { key: string; cert: string }): Promise<Receiver> {
  const r = await startReceiver(script, tls);
  cleanups.push(() => r.close());
  return r;
}

interface Rig {
  readonly automation: Automation;
  readonly incidents: FakeIncidents;
  readonly clock: TestClock;
  readonly store: Store;
  readonly lines: string[];
}

/** An automation over a store in memory, or in `file`; closed (both idempotently) after the test. */
function rig(
  targets: readonly AutomationTarget[],
  options: { file?: string; ca?: readonly string[] } = {},
): Rig {
  const store = openStore(options.file ?? ':memory:');
  const clock = new TestClock();
  const lines: string[] = [];
  const automation = new Automation({
    targets: resolveTargets(targets),
    store,
    workspaceId: WORKSPACE_ID,
    ca: options.ca ?? rootCertificates,
    clock,
    log: (l) => lines.push(l),
  });
  const incidents = new FakeIncidents();
  automation.listen(incidents);
  cleanups.push(async () => {
    await automation.close();
    store.close();
  });
  return { automation, incidents, clock, store, lines };
}

describe('the payload', () => {
  it('posts the incident as a Sentinel incident trigger body: object, workspaceId, workspaceInfo', async () => {
    const r = await receiver([{ status: 200 }]);
    const { automation, incidents } = rig([{ url: `${r.url}/hooks/sentinel` }]);
    incidents.emit(created());
    await automation.whenIdle();

    const [delivery] = automation.deliveries();
    expect(r.received).toHaveLength(1);
    expect(r.received[0]?.url).toBe('/hooks/sentinel');
    expect(r.received[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    const entityId = expect.stringMatching(
      new RegExp(`^${WORKSPACE}/providers/Microsoft\\.SecurityInsights/Entities/[0-9a-f-]{36}$`),
    );
    const ipEntity = {
      id: entityId,
      name: expect.stringMatching(GUID),
      type: 'Microsoft.SecurityInsights/Entities',
      kind: 'Ip',
      properties: { Address: '203.0.113.67', friendlyName: '203.0.113.67' },
    };
    expect(r.received[0]?.body).toEqual({
      eventUniqueId: delivery?.id,
      objectSchemaType: 'Incident',
      objectEventType: 'Create',
      workspaceInfo: {
        SubscriptionId: '00000000-0000-0000-0000-000000000000',
        ResourceGroupName: 'otel-sentinel',
        WorkspaceName: 'emulator',
      },
      workspaceId: WORKSPACE_ID,
      object: {
        id: `${WORKSPACE}/providers/Microsoft.SecurityInsights/Incidents/6d1c0b52-6a2f-4d4b-9a55-0c3f3c1f2a10`,
        name: '6d1c0b52-6a2f-4d4b-9a55-0c3f3c1f2a10',
        type: 'Microsoft.SecurityInsights/Incidents',
        properties: {
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
          incidentNumber: 7,
          additionalData: {
            alertsCount: 1,
            bookmarksCount: 0,
            commentsCount: 0,
            alertProductNames: ['Azure Sentinel'],
            tactics: ['CredentialAccess'],
            techniques: ['T1110'],
          },
          relatedAnalyticRuleIds: ['rule-spray'],
          incidentUrl: 'https://127.0.0.1:4443/console/#incidents/7',
          providerName: 'Azure Sentinel',
          providerIncidentId: '7',
          relatedEntities: [
            ipEntity,
            {
              id: entityId,
              name: expect.stringMatching(GUID),
              type: 'Microsoft.SecurityInsights/Entities',
              kind: 'Account',
              properties: { Name: 'alice', friendlyName: 'alice@contoso.test' },
            },
          ],
          Alerts: [
            {
              id: `${WORKSPACE}/providers/Microsoft.SecurityInsights/Entities/a5e1f0c2-1111-4222-8333-944455556666`,
              name: 'a5e1f0c2-1111-4222-8333-944455556666',
              type: 'Microsoft.SecurityInsights/Entities',
              kind: 'SecurityAlert',
              properties: {
                systemAlertId: 'a5e1f0c2-1111-4222-8333-944455556666',
                alertDisplayName: 'Password spray',
                friendlyName: 'Password spray',
                description: 'Many accounts, one wrong password each, from one address.',
                severity: 'Medium',
                status: 'New',
                confidenceLevel: 'Unknown',
                tactics: ['CredentialAccess'],
                techniques: ['T1110'],
                vendorName: 'Microsoft',
                productName: 'Azure Sentinel',
                productComponentName: 'Scheduled Alerts',
                alertType: `${WORKSPACE_ID}_rule-spray`,
                startTimeUtc: '2026-12-08T00:00:00.000Z',
                endTimeUtc: '2026-12-08T00:15:00.000Z',
                timeGenerated: '2026-12-08T00:20:00.000Z',
                processingEndTime: '2026-12-08T00:20:00.000Z',
                resourceIdentifiers: [{ type: 'LogAnalytics', workspaceId: WORKSPACE_ID }],
                additionalData: {
                  'Analytic Rule Ids': '["rule-spray"]',
                  'Analytic Rule Name': 'Password spray',
                  'Query Start Time UTC': '2026-12-08T00:00:00.000Z',
                  'Query End Time UTC': '2026-12-08T00:15:00.000Z',
                  'Custom Details': '{"Accounts":16}',
                },
                relatedEntities: [ipEntity],
              },
            },
          ],
          bookmarks: [],
          comments: [],
        },
      },
    });
  });

  it('gives an entity the same id in the incident and in its alert', async () => {
    const r = await receiver([{ status: 200 }]);
    const { automation, incidents } = rig([{ url: r.url }]);
    incidents.emit(created());
    await automation.whenIdle();
    interface Entity {
      id: string;
    }
    interface Properties {
      relatedEntities: Entity[];
      Alerts: { properties: { relatedEntities: Entity[] } }[];
    }
    const properties = (r.received[0]?.body as { object: { properties: Properties } }).object.properties;
    expect(properties.relatedEntities[0]?.id).toBe(properties.Alerts[0]?.properties.relatedEntities[0]?.id);
    expect(properties.relatedEntities[0]?.id).not.toBe(properties.relatedEntities[1]?.id);
  });

  it('posts nothing for an incident update (an alert added to an incident)', async () => {
    const r = await receiver([{ status: 200 }]);
    const { automation, incidents } = rig([{ url: r.url }]);
    incidents.emit({ change: 'updated', incident: created().incident, alerts: [ALERT, ALERT] });
    await automation.whenIdle();
    expect(r.received).toHaveLength(0);
    expect(automation.deliveries()).toEqual([]);
  });
});

describe('which targets get an incident', () => {
  it('filters by rule id, rule name and minimum severity', async () => {
    const byId = await receiver([{ status: 200 }]);
    const byName = await receiver([{ status: 200 }]);
    const highOnly = await receiver([{ status: 200 }]);
    const otherRule = await receiver([{ status: 200 }]);
    const everything = await receiver([{ status: 200 }]);
    const { automation, incidents } = rig([
      { url: byId.url, rules: ['RULE-SPRAY'] },
      { url: byName.url, rules: ['Password spray'] },
      { url: highOnly.url, minSeverity: 'High' },
      { url: otherRule.url, rules: ['rule-disabled-account'] },
      { url: everything.url },
    ]);
    incidents.emit(created({ severity: 'Medium' }));
    incidents.emit(created({ incidentNumber: 8, severity: 'High', ruleId: 'rule-other', ruleName: 'Other' }));
    await automation.whenIdle();

    const numbers = (r: Receiver): unknown[] =>
      r.received.map(
        (x) =>
          (x.body as { object: { properties: { incidentNumber: number } } }).object.properties.incidentNumber,
      );
    expect(numbers(byId)).toEqual([7]);
    expect(numbers(byName)).toEqual([7]);
    expect(numbers(highOnly)).toEqual([8]);
    expect(numbers(otherRule)).toEqual([]);
    expect(numbers(everything)).toEqual([7, 8]);
    expect(automation.deliveries().map((d) => [d.target, d.incidentNumber])).toEqual([
      [0, 7],
      [1, 7],
      [4, 7],
      [2, 8],
      [4, 8],
    ]);
  });
});

describe('retries', () => {
  it('sends a 503 again after the seconds its Retry-After says', async () => {
    const r = await receiver([{ status: 503, headers: { 'retry-after': '7' } }, { status: 200 }]);
    const { automation, incidents, clock } = rig([{ url: r.url }]);
    incidents.emit(created());
    await automation.whenIdle();

    const [d] = automation.deliveries();
    expect(clock.sleeps).toEqual([7000]);
    expect(d).toMatchObject({ state: 'delivered', lastStatus: 200 });
    expect(d?.attempts.map((a) => [a.number, a.status, a.waitMs, a.waitFromRetryAfter])).toEqual([
      [1, 503, 7000, true],
      [2, 200, undefined, undefined],
    ]);
    expect(r.received).toHaveLength(2);
  });

  it('sends a 429 again after Retry-After, cut to two minutes when it asks for longer', async () => {
    const r = await receiver([{ status: 429, headers: { 'retry-after': '3600' } }, { status: 204 }]);
    const { automation, incidents, clock } = rig([{ url: r.url }]);
    incidents.emit(created());
    await automation.whenIdle();
    expect(clock.sleeps).toEqual([120_000]);
    expect(automation.deliveries()[0]?.state).toBe('delivered');
  });

  it('sends again after a dropped connection, backing off with jitter', async () => {
    const r = await receiver(['drop', { status: 200 }]);
    const { automation, incidents, clock } = rig([{ url: r.url }]);
    incidents.emit(created());
    await automation.whenIdle();

    const [d] = automation.deliveries();
    // Full jitter below 1 s for the first retry; the test clock's draw is 0.5.
    expect(clock.sleeps).toEqual([500]);
    expect(d?.state).toBe('delivered');
    expect(d?.attempts[0]?.status).toBeUndefined();
    expect(d?.attempts[0]?.error).toMatch(/ECONNRESET|socket hang up|dropped/);
    expect(d?.attempts[0]?.waitFromRetryAfter).toBe(false);
  });

  it('does not send a 400 again: the delivery fails with the status as its cause', async () => {
    const r = await receiver([{ status: 400 }, { status: 200 }]);
    const { automation, incidents, clock } = rig([{ url: r.url }]);
    incidents.emit(created());
    await automation.whenIdle();

    const [d] = automation.deliveries();
    expect(r.received).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(d).toMatchObject({ state: 'failed', lastStatus: 400 });
    expect(d?.cause).toMatch(/^HTTP 400: the receiver refused the payload/);
  });

  it('gives up after maxAttempts, naming the last problem, with doubling backoff ceilings', async () => {
    const r = await receiver([{ status: 500 }]);
    const { automation, incidents, clock } = rig([{ url: r.url, maxAttempts: 3 }]);
    incidents.emit(created());
    await automation.whenIdle();

    const [d] = automation.deliveries();
    expect(r.received).toHaveLength(3);
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(d).toMatchObject({ state: 'failed', maxAttempts: 3, lastStatus: 500 });
    expect(d?.cause).toBe('gave up after 3 attempts; the last: HTTP 500');
    expect(d?.attempts.map((a) => a.status)).toEqual([500, 500, 500]);
  });

  it('fails an attempt that takes longer than timeoutMs and names the timeout', async () => {
    const r = await receiver(['hang']);
    const { automation, incidents } = rig([{ url: r.url, maxAttempts: 1, timeoutMs: 100 }]);
    incidents.emit(created());
    await automation.whenIdle();
    expect(automation.deliveries()[0]?.cause).toBe(
      'gave up after 1 attempts; the last: timed out (ETIMEDOUT)',
    );
  });

  it('names a refused connection as the cause', async () => {
    const r = await startReceiver([{ status: 200 }]);
    await r.close();
    const { automation, incidents } = rig([{ url: r.url, maxAttempts: 2 }]);
    incidents.emit(created());
    await automation.whenIdle();
    expect(automation.deliveries()[0]?.cause).toBe(
      'gave up after 2 attempts; the last: connection refused: nothing listens at that host and port (ECONNREFUSED)',
    );
  });
});

describe('redelivery', () => {
  it('sends a failed delivery again as a new delivery with the same incident', async () => {
    const r = await receiver([{ status: 400 }, { status: 200 }]);
    const { automation, incidents } = rig([{ url: r.url }]);
    incidents.emit(created());
    await automation.whenIdle();
    const [failed] = automation.deliveries();

    const again = automation.redeliver(failed!.id);
    await automation.whenIdle();

    expect(again).toMatchObject({ redeliveryOf: failed!.id, incidentNumber: 7, target: 0 });
    expect(again.id).not.toBe(failed!.id);
    expect(automation.deliveries().map((d) => d.state)).toEqual(['failed', 'delivered']);
    const [first, second] = r.received.map((x) => x.body as Record<string, unknown>);
    expect(second).toEqual({ ...first, eventUniqueId: again.id });
  });

  it('refuses an unknown id and a delivery still pending, with codes', async () => {
    const r = await receiver([{ status: 503 }]);
    const { automation, incidents, clock } = rig([{ url: r.url }]);
    clock.holdSleeps = true;
    expect(() => automation.redeliver('nope')).toThrow(
      expect.objectContaining({ code: 'E_UNKNOWN_DELIVERY' }),
    );
    incidents.emit(created());
    await expect.poll(() => clock.sleeps.length).toBe(1);
    const [pending] = automation.deliveries();
    expect(pending?.state).toBe('pending');
    expect(() => automation.redeliver(pending!.id)).toThrow(
      expect.objectContaining({ code: 'E_DELIVERY_PENDING' }),
    );
  });
});

describe('the delivery log', () => {
  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'automation-'));
    cleanups.push(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    return dir;
  }

  it('survives a restart of a file-backed store', async () => {
    const file = join(tempDir(), 'emulator.sqlite');
    const r = await receiver([{ status: 503, headers: { 'retry-after': '1' } }, { status: 200 }]);
    const first = rig([{ url: r.url }], { file });
    first.incidents.emit(created());
    await first.automation.whenIdle();
    const before = first.automation.deliveries();
    await first.automation.close();
    first.store.close();

    const second = rig([{ url: r.url }], { file });
    expect(before).toHaveLength(1);
    expect(second.automation.deliveries()).toEqual(before);
    expect(second.automation.delivery(before[0]!.id)?.payload).toEqual(r.received[0]?.body);
  });

  /** An automation over a file whose one delivery got a 503 and waits to retry. */
  async function pendingInFile(): Promise<{ file: string; r: Receiver; first: Rig }> {
    const file = join(tempDir(), 'emulator.sqlite');
    const r = await receiver([{ status: 503 }]);
    const first = rig([{ url: r.url }], { file });
    first.clock.holdSleeps = true;
    first.incidents.emit(created());
    await expect.poll(() => first.clock.sleeps.length).toBe(1);
    return { file, r, first };
  }

  it('marks a delivery pending at close as failed, saying the emulator stopped, and keeps it', async () => {
    const { file, r, first } = await pendingInFile();
    await first.automation.close();
    first.store.close();

    const second = rig([{ url: r.url }], { file });
    const [d] = second.automation.deliveries();
    expect(d).toMatchObject({ state: 'failed', lastStatus: 503 });
    expect(d?.cause).toBe(
      'stopped: the emulator closed after 1 of 5 attempts; redeliver it once the emulator runs again',
    );
    expect(first.lines.some((l) => l.includes('stopped while pending'))).toBe(true);
  });

  it('marks a delivery left pending by a process that never closed as interrupted', async () => {
    const { file, r } = await pendingInFile();
    // A second automation over the same file, as after a kill: the first never closed.
    const second = rig([{ url: r.url }], { file });
    expect(second.automation.deliveries()[0]?.cause).toMatch(
      /^interrupted: the emulator stopped without closing after 1 of 5/,
    );
  });
});

describe('secrets', () => {
  it('sends userinfo, query and header values but never shows them in the log, deliveries or targets', async () => {
    const r = await receiver([{ status: 500 }, { status: 200 }]);
    const url = r.url.replace('http://', 'http://hook-user:PASSWORD-42@') + '/in?sig=QUERY-SECRET-42';
    const { automation, incidents, lines } = rig([{ url, headers: { 'x-api-key': 'HEADER-SECRET-42' } }]);
    incidents.emit(created());
    await automation.whenIdle();

    expect(r.received[0]?.url).toBe('/in?sig=QUERY-SECRET-42');
    expect(r.received[0]?.headers['x-api-key']).toBe('HEADER-SECRET-42');
    expect(r.received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('hook-user:PASSWORD-42').toString('base64')}`,
    );
    const shown = JSON.stringify([lines, automation.deliveries(), automation.targets()]);
    expect(shown).not.toMatch(/SECRET-42|PASSWORD-42|hook-user/);
    expect(automation.targets()).toEqual([
      {
        index: 0,
        url: `${r.url}/in`,
        minSeverity: 'Informational',
        headers: ['x-api-key'],
        maxAttempts: 5,
        timeoutMs: 10_000,
      },
    ]);
  });

  it('refuses a malformed URL naming the option, not the text that may hold a secret', () => {
    expect(() => resolveTargets([{ url: 'https://ok.test/a' }, { url: 'not a url SECRET-7' }])).toThrow(
      expect.objectContaining({ code: 'E_AUTOMATION_CONFIG', option: 'automation[1].url' }),
    );
    try {
      resolveTargets([{ url: 'not a url SECRET-7' }]);
    } catch (e) {
      expect((e as Error).message).not.toContain('SECRET-7');
    }
    expect(() => resolveTargets([{ url: 'ftp://files.test/x' }])).toThrow(
      /automation\[0\]\.url: must be http: or https:/,
    );
    expect(() => resolveTargets([{ url: 'http://a.test', maxAttempts: 0 }])).toThrow(
      /automation\[0\]\.maxAttempts/,
    );
    expect(() => resolveTargets([{ url: 'http://a.test', rules: [] }])).toThrow(/automation\[0\]\.rules/);
  });
});

describe('HTTPS targets', () => {
  it('trusts a receiver whose certificate the emulator CA issued, and never one it cannot verify', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'automation-tls-'));
    cleanups.push(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const certs = await ensureCertificates(dir);
    const r = await receiver([{ status: 200 }], { key: certs.keyPem, cert: certs.certPem });

    const trusting = rig([{ url: r.url }], { ca: trustedCas(certs.caCertPem) });
    trusting.incidents.emit(created());
    await trusting.automation.whenIdle();
    expect(trusting.automation.deliveries()[0]?.state).toBe('delivered');

    const strict = rig([{ url: r.url, maxAttempts: 1 }], { ca: rootCertificates });
    strict.incidents.emit(created());
    await strict.automation.whenIdle();
    expect(strict.automation.deliveries()[0]?.cause).toMatch(/certificate is not trusted/);
    expect(r.received).toHaveLength(1);
  });
});
