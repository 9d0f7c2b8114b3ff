// The scheduler of analytic rules with a manual clock: the first run at start, the next after
// queryFrequency (or the local override), the window [now − delay − queryPeriod, now − delay],
// suppression, and overlapping windows not raising the same alert twice. Expected values are
// written by hand from the rules and rows each test stores.
import { afterEach, describe, expect, it } from 'vitest';
import { ruleYaml, startRig, T0, type Rig } from './support/detection-rig.js';

const MINUTE = 60_000;
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.emulator.close();
  rig = undefined;
});

function lastRun(r: Rig, id: string): Record<string, unknown> | undefined {
  return r.emulator.detections.rules().find((x) => x.id === id)?.lastRun as
    Record<string, unknown> | undefined;
}

describe('the schedule', () => {
  it('runs each rule when the emulator starts, over the queryPeriod ending now', async () => {
    rig = await startRig({ 'r.yaml': ruleYaml('r1', { queryPeriod: '10m', queryFrequency: '5m' }) });
    const [rule] = rig.emulator.detections.rules();
    expect(rule?.lastRun).toMatchObject({
      at: T0,
      trigger: 'scheduled',
      start: '2026-12-01T09:50:00.000Z',
      end: T0,
      status: 'ok',
      resultCount: 0,
      alerts: 0,
    });
    expect(rule?.nextRunAt).toBe('2026-12-01T10:05:00.000Z');
    expect(rule).toMatchObject({ queryFrequency: 'PT5M', queryPeriod: 'PT10M', triggerOperator: 'gt' });
  });

  it('runs again after queryFrequency, not before, on the rows stored since', async () => {
    rig = await startRig({ 'r.yaml': ruleYaml('r1') });
    rig.fail('alice', 2);
    rig.time.advance(4 * MINUTE);
    expect(lastRun(rig, 'r1')?.['at']).toBe(T0);
    rig.time.advance(1 * MINUTE);
    expect(lastRun(rig, 'r1')).toMatchObject({ at: '2026-12-01T10:05:00.000Z', resultCount: 1, alerts: 1 });
    expect(rig.emulator.detections.alerts().map((a) => a.displayName)).toEqual(['Rule r1']);
  });

  it('runs at the local frequency override, keeping the rule’s own queryPeriod as its window', async () => {
    rig = await startRig({ 'r.yaml': ruleYaml('r1') }, { detections: { frequency: 'PT20S' } });
    rig.time.advance(20_000);
    expect(lastRun(rig, 'r1')).toMatchObject({
      at: '2026-12-01T10:00:20.000Z',
      start: '2026-12-01T09:55:20.000Z',
      end: '2026-12-01T10:00:20.000Z',
    });
    expect(rig.emulator.detections.rules()[0]?.queryFrequency).toBe('PT20S');
  });

  it('ends the window `delay` before the run, as Sentinel’s 5-minute delay does', async () => {
    rig = await startRig({ 'r.yaml': ruleYaml('r1') }, { detections: { delay: 'PT5M' } });
    rig.fail('alice', 2); // inside [10:00, 10:05]: seen by the 10:10 run, not the 10:05 one
    rig.time.advance(5 * MINUTE);
    expect(lastRun(rig, 'r1')).toMatchObject({ start: '2026-12-01T09:55:00.000Z', end: T0, resultCount: 0 });
    rig.time.advance(5 * MINUTE);
    expect(lastRun(rig, 'r1')).toMatchObject({
      start: T0,
      end: '2026-12-01T10:05:00.000Z',
      resultCount: 1,
      alerts: 1,
    });
  });
});

describe('overlapping windows', () => {
  it('do not raise an alert again for result rows the rule already alerted on, and count them', async () => {
    rig = await startRig({
      'r.yaml': ruleYaml('r1', {
        queryPeriod: '10m',
        eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      }),
    });
    rig.fail('alice', 1);
    rig.time.advance(5 * MINUTE); // 10:05 over [09:55, 10:05]: alice's row is new
    rig.fail('bob', 7);
    rig.time.advance(5 * MINUTE); // 10:10 over [10:00, 10:10]: alice again, bob new
    expect(lastRun(rig, 'r1')).toMatchObject({ resultCount: 2, alerts: 1, duplicateRows: 1 });
    expect(rig.emulator.detections.alerts().map((a) => a.rows[0]?.['UserId'])).toEqual(['alice', 'bob']);
  });

  it('raise them again with dedupe off, as Sentinel would', async () => {
    rig = await startRig(
      { 'r.yaml': ruleYaml('r1', { queryPeriod: '10m' }) },
      { detections: { dedupe: false } },
    );
    rig.fail('alice', 1);
    rig.time.advance(10 * MINUTE);
    expect(rig.emulator.detections.alerts()).toHaveLength(2);
    expect(lastRun(rig, 'r1')).toMatchObject({ alerts: 1, duplicateRows: 0 });
  });
});

describe('suppression', () => {
  it('skips the runs within suppressionDuration of an alert, then runs again', async () => {
    rig = await startRig({
      'r.yaml': ruleYaml('r1', {
        suppressionEnabled: true,
        suppressionDuration: 'PT10M',
        queryPeriod: '15m',
      }),
    });
    rig.fail('alice', 1);
    rig.time.advance(5 * MINUTE); // 10:05 alerts; suppressed until 10:15
    rig.fail('bob', 6);
    rig.time.advance(5 * MINUTE); // 10:10 skipped
    const rule = rig.emulator.detections.rules()[0];
    expect(rule?.lastRun?.at).toBe('2026-12-01T10:05:00.000Z');
    expect(rule?.suppressedUntil).toBe('2026-12-01T10:15:00.000Z');
    rig.time.advance(5 * MINUTE); // 10:15 runs: bob is new, alice was alerted on
    expect(lastRun(rig, 'r1')).toMatchObject({ at: '2026-12-01T10:15:00.000Z', alerts: 1, duplicateRows: 1 });
  });
});
