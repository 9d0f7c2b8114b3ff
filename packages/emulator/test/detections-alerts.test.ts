// What a run raises: the trigger on the result count, one alert or one per row (150 at most),
// entities, custom details and alertDetailsOverride from the rows, incidents numbered in
// sequence and grouped as the rule says, SecurityAlert and SecurityIncident rows queryable with
// KQL, and on-demand runs over a chosen range. Expected values are written by hand.
import { afterEach, describe, expect, it } from 'vitest';
import { DetectionError } from '../src/index.js';
import { ruleYaml, startRig, type Rig } from './support/detection-rig.js';

const MINUTE = 60_000;
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.emulator.close();
  rig = undefined;
});

/** Starts with one rule, stores `users`' failures at 10:01 and runs the 10:05 schedule. */
async function runWith(fields: Record<string, unknown>, users: readonly string[]): Promise<Rig> {
  rig = await startRig({ 'r.yaml': ruleYaml('r1', fields) });
  for (const user of users) rig.fail(user, 1);
  rig.time.advance(5 * MINUTE);
  return rig;
}

const PER_RESULT = { eventGroupingSettings: { aggregationKind: 'AlertPerResult' } };

describe('the trigger', () => {
  it.each([
    ['gt', 1, ['alice'], false],
    ['gt', 1, ['alice', 'bob'], true],
    ['GreaterThan', 0, ['alice'], true],
    ['lt', 2, ['alice'], true],
    ['LessThan', 1, ['alice'], false],
    ['eq', 2, ['alice', 'bob'], true],
    ['Equal', 2, ['alice'], false],
    ['ne', 1, ['alice'], false],
    ['NotEqual', 1, ['alice', 'bob'], true],
  ] as const)('%s %d on %j result rows fires: %s', async (operator, threshold, users, fires) => {
    const r = await runWith({ triggerOperator: operator, triggerThreshold: threshold }, users);
    expect(r.emulator.detections.rules()[0]?.lastRun).toMatchObject({
      resultCount: users.length,
      triggered: fires,
    });
    expect(r.emulator.detections.rules()[0]?.lastRun?.alerts).toBe(fires ? 1 : 0);
  });

  it('raises one alert for no rows at each run where the trigger holds on none (lt 1)', async () => {
    const r = await runWith({ triggerOperator: 'lt', triggerThreshold: 1 }, []);
    expect(r.emulator.detections.alerts().map((a) => [a.timeGenerated, a.rows.length])).toEqual([
      ['2026-12-01T10:00:00.000Z', 0],
      ['2026-12-01T10:05:00.000Z', 0],
    ]);
  });
});

describe('event grouping', () => {
  it('SingleAlert raises one alert for every row of the run', async () => {
    const r = await runWith({}, ['alice', 'bob']);
    const alerts = r.emulator.detections.alerts();
    expect(alerts.map((a) => a.rows.map((row) => row['UserId']))).toEqual([['alice', 'bob']]);
  });

  it('AlertPerResult raises one alert per row', async () => {
    const r = await runWith(PER_RESULT, ['alice', 'bob']);
    expect(r.emulator.detections.alerts().map((a) => a.rows.map((row) => row['UserId']))).toEqual([
      ['alice'],
      ['bob'],
    ]);
  });

  it('AlertPerResult stops at 150 alerts a run, the 150th standing for all 151 rows', async () => {
    const users = Array.from({ length: 151 }, (_, i) => `user${String(i).padStart(3, '0')}`);
    const r = await runWith(PER_RESULT, users);
    const alerts = r.emulator.detections.alerts();
    expect(alerts).toHaveLength(150);
    expect(alerts[148]?.rows.map((row) => row['UserId'])).toEqual(['user148']);
    expect(alerts[149]?.summarises).toBe(151);
    expect(alerts[149]?.rows).toHaveLength(151);
  });
});

describe('alert details', () => {
  const ENRICHED = {
    ...PER_RESULT,
    query:
      "AppEvents_CL | where Status >= 400 | summarize Failures = count() by UserId | extend Ip = iff(UserId == 'alice', '203.0.113.7', ''), Level = 'High'",
    entityMappings: [
      { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'UserId' }] },
      { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'Ip' }] },
    ],
    customDetails: { FailureCount: 'Failures' },
    alertDetailsOverride: {
      alertDisplayNameFormat: '{{UserId}} failed {{Failures}} times',
      alertDescriptionFormat: 'Failures of {{UserId}} from {{Ip}}',
      alertSeverityColumnName: 'Level',
    },
  };

  it('maps entities from the row, leaving out identifiers with no value', async () => {
    const r = await runWith(ENRICHED, ['alice', 'bob']);
    expect(r.emulator.detections.alerts().map((a) => a.entities)).toEqual([
      [
        { kind: 'Account', properties: { Name: 'alice', friendlyName: 'alice' } },
        { kind: 'IP', properties: { Address: '203.0.113.7', friendlyName: '203.0.113.7' } },
      ],
      [{ kind: 'Account', properties: { Name: 'bob', friendlyName: 'bob' } }],
    ]);
  });

  it('fills the display name, description and severity from the row, and the custom details', async () => {
    const r = await runWith(ENRICHED, ['alice']);
    const [alert] = r.emulator.detections.alerts();
    expect(alert).toMatchObject({
      displayName: 'alice failed 1 times',
      description: 'Failures of alice from 203.0.113.7',
      severity: 'High',
      customDetails: { FailureCount: 1 },
      tactics: ['CredentialAccess'],
    });
  });
});

describe('incidents', () => {
  it('numbers one incident per alert in sequence, with the rule, entities and query window', async () => {
    const r = await runWith(
      {
        ...PER_RESULT,
        entityMappings: [
          { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'UserId' }] },
        ],
      },
      ['alice', 'bob'],
    );
    const incidents = r.emulator.detections.incidents();
    expect(incidents.map((i) => [i.incidentNumber, i.entities[0]?.properties['Name']])).toEqual([
      [2, 'bob'],
      [1, 'alice'],
    ]);
    expect(incidents[1]).toMatchObject({
      title: 'Rule r1',
      severity: 'Medium',
      status: 'New',
      ruleId: 'r1',
      ruleName: 'Rule r1',
      relatedAnalyticRuleIds: ['r1'],
      queryStart: '2026-12-01T10:00:00.000Z',
      queryEnd: '2026-12-01T10:05:00.000Z',
      createdTimeUtc: '2026-12-01T10:05:00.000Z',
      additionalData: { alertsCount: 1, tactics: ['CredentialAccess'], techniques: ['T1110'] },
    });
  });

  it('groups alerts with AnyAlert into one incident within the lookback', async () => {
    const r = await runWith(
      {
        ...PER_RESULT,
        incidentConfiguration: {
          createIncident: true,
          groupingConfiguration: { enabled: true, matchingMethod: 'AnyAlert', lookbackDuration: 'PT1H' },
        },
      },
      ['alice', 'bob'],
    );
    expect(r.emulator.detections.incidents().map((i) => i.additionalData.alertsCount)).toEqual([2]);
  });

  it('starts a new incident once one holds 150 alerts', async () => {
    const users = Array.from({ length: 150 }, (_, i) => `user${String(i).padStart(3, '0')}`);
    rig = await startRig({
      'r.yaml': ruleYaml('r1', {
        ...PER_RESULT,
        incidentConfiguration: {
          createIncident: true,
          groupingConfiguration: { enabled: true, matchingMethod: 'AnyAlert', lookbackDuration: 'PT1H' },
        },
      }),
    });
    for (const user of users) rig.fail(user, 1);
    rig.time.advance(5 * MINUTE); // 150 alerts, all in incident 1
    rig.fail('zed', 6);
    rig.time.advance(5 * MINUTE); // the 151st alert: incident 1 is full
    expect(
      rig.emulator.detections.incidents().map((i) => [i.incidentNumber, i.additionalData.alertsCount]),
    ).toEqual([
      [2, 1],
      [1, 150],
    ]);
  });

  it('groups with AllEntities only alerts of the same entities', async () => {
    rig = await startRig({
      'r.yaml': ruleYaml('r1', {
        ...PER_RESULT,
        entityMappings: [
          { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'UserId' }] },
        ],
        incidentConfiguration: {
          createIncident: true,
          groupingConfiguration: { enabled: true, matchingMethod: 'AllEntities', lookbackDuration: 'PT1H' },
        },
      }),
    });
    rig.fail('alice', 1);
    rig.fail('bob', 1);
    rig.time.advance(5 * MINUTE);
    rig.fail('alice', 6);
    rig.fail('alice', 7); // alice's row changes (Failures 2): a new alert, grouped with her first
    rig.time.advance(5 * MINUTE);
    const counts = rig.emulator.detections
      .incidents()
      .map((i) => [i.entities[0]?.properties['Name'], i.additionalData.alertsCount]);
    expect(counts).toEqual([
      ['bob', 1],
      ['alice', 2],
    ]);
  });

  it('groups with Selected by the entity kinds and alert details named', async () => {
    const r = await runWith(
      {
        ...PER_RESULT,
        query:
          "AppEvents_CL | where Status >= 400 | summarize Failures = count() by UserId | extend Team = iff(UserId == 'carol', 'blue', 'red')",
        entityMappings: [
          { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Team' }] },
        ],
        incidentConfiguration: {
          createIncident: true,
          groupingConfiguration: {
            enabled: true,
            matchingMethod: 'Selected',
            lookbackDuration: 'PT1H',
            groupByEntities: ['Host'],
            groupByAlertDetails: ['Severity'],
          },
        },
      },
      ['alice', 'bob', 'carol'],
    );
    const grouped = r.emulator.detections
      .incidents()
      .map((i) => [i.entities.map((e) => e.properties['HostName']).join(), i.additionalData.alertsCount]);
    expect(grouped).toEqual([
      ['blue', 1],
      ['red', 2],
    ]);
  });

  it('creates none when incidentConfiguration.createIncident is false', async () => {
    const r = await runWith({ incidentConfiguration: { createIncident: false } }, ['alice']);
    expect(r.emulator.detections.alerts()).toHaveLength(1);
    expect(r.emulator.detections.incidents()).toEqual([]);
  });

  it('tells listeners of each new incident with its alerts', async () => {
    rig = await startRig({ 'r.yaml': ruleYaml('r1') });
    const heard: string[] = [];
    const unsubscribe = rig.emulator.detections.onIncident((e) =>
      heard.push(`${e.change} ${String(e.incident.incidentNumber)} ${String(e.alerts.length)}`),
    );
    rig.fail('alice', 1);
    rig.time.advance(5 * MINUTE);
    unsubscribe();
    rig.fail('bob', 6);
    rig.time.advance(5 * MINUTE);
    expect(heard).toEqual(['created 1 1']);
  });

  it('gives an incident with its alerts and the events of its query window', async () => {
    const r = await runWith({}, ['alice']);
    const detail = r.emulator.detections.incident(1);
    expect(detail?.alerts.map((a) => a.incidentNumber)).toEqual([1]);
    expect(detail?.events.columns.map((c) => c.name)).toEqual(['UserId', 'Failures']);
    expect(detail?.events.rows).toEqual([['alice', 1]]);
    expect(r.emulator.detections.incident(2)).toBeUndefined();
  });
});

describe('the SecurityAlert and SecurityIncident tables', () => {
  it('hold a row per alert and per incident change, queryable with KQL', async () => {
    const r = await runWith(PER_RESULT, ['alice', 'bob']);
    const alerts = r.emulator.query(
      'SecurityAlert | project AlertName, AlertSeverity, ProductName, Tactics | order by AlertName asc',
    );
    expect(alerts.rows).toEqual([
      ['Rule r1', 'Medium', 'Azure Sentinel', 'CredentialAccess'],
      ['Rule r1', 'Medium', 'Azure Sentinel', 'CredentialAccess'],
    ]);
    const incidents = r.emulator.query(
      'SecurityIncident | project IncidentNumber, Title, Status, ModifiedBy, Type | order by IncidentNumber asc',
    );
    expect(incidents.rows).toEqual([
      [1, 'Rule r1', 'New', 'Incident created from alert', 'SecurityIncident'],
      [2, 'Rule r1', 'New', 'Incident created from alert', 'SecurityIncident'],
    ]);
  });

  it('join incidents to their alerts through AlertIds and SystemAlertId', async () => {
    const r = await runWith({}, ['alice']);
    const joined = r.emulator.query(
      'SecurityIncident | mv-expand AlertId = AlertIds to typeof(string) | join kind=inner (SecurityAlert) on $left.AlertId == $right.SystemAlertId | project IncidentNumber, AlertName',
    );
    expect(joined.rows).toEqual([[1, 'Rule r1']]);
  });
});

describe('on-demand runs', () => {
  it('run a rule over the range given, saying so in the alert and its SecurityAlert row', async () => {
    rig = await startRig({ 'r.yaml': ruleYaml('r1') });
    rig.fail('alice', -50); // 09:10
    const outcome = rig.emulator.detections.runRule('r1', {
      start: '2026-12-01T09:00:00Z',
      end: '2026-12-01T09:30:00Z',
    });
    expect(outcome.resultCount).toBe(1);
    expect(outcome.alerts.map((a) => [a.trigger, a.startTime, a.endTime])).toEqual([
      ['on demand', '2026-12-01T09:00:00.000Z', '2026-12-01T09:30:00.000Z'],
    ]);
    expect(outcome.incidents.map((i) => i.incidentNumber)).toEqual([1]);
    const generation = rig.emulator.query(
      "SecurityAlert | project G = tostring(parse_json(ExtendedProperties)['Alert generation'])",
    );
    expect(generation.rows).toEqual([['On demand (otel-sentinel emulator)']]);
  });

  it('find a rule by its name too, and refuse an unknown one naming it', async () => {
    rig = await startRig({ 'r.yaml': ruleYaml('r1') });
    expect(rig.emulator.detections.runRule('Rule r1').run.trigger).toBe('on demand');
    expect(() => rig?.emulator.detections.runRule('nope')).toThrow(DetectionError);
    expect(() => rig?.emulator.detections.runRule('nope')).toThrow(
      /no analytic rule has the id or name nope/,
    );
  });

  it('refuse a start after the end', async () => {
    rig = await startRig({ 'r.yaml': ruleYaml('r1') });
    expect(() =>
      rig?.emulator.detections.runRule('r1', { start: '2026-12-01T10:00:00Z', end: '2026-12-01T09:00:00Z' }),
    ).toThrow(/start 2026-12-01T10:00:00.000Z is after end/);
  });
});
