// Where rules come from and what happens to a rule the emulator cannot run: the solution's
// Analytic Rules folder, the rules option, a file that is not YAML or lacks a field (skipped,
// named with file:line:col, the other rules run), another kind or a limit Sentinel enforces
// (listed, not run), and one of Microsoft's ASIM rules from third_party run by the scheduler.
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ruleYaml, startRig, T0, type Rig } from './support/detection-rig.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const ACME = join(FIXTURES, 'definitions/solution/Solutions/Acme');
const THIRD_PARTY = join(import.meta.dirname, '../../../third_party/azure-sentinel');
const BRUTE_FORCE = join(THIRD_PARTY, 'Detections/ASimAuthentication/imAuthBruteForce.yaml');

let rig: Rig | undefined;
let logged: string[] = [];

afterEach(async () => {
  await rig?.emulator.close();
  rig = undefined;
  logged = [];
});

const log = (line: string): void => {
  logged.push(line);
};

describe('rule sources', () => {
  it('reads the Analytic Rules folder of a solution in definitions', async () => {
    const solution = join(mkdtempSync(join(tmpdir(), 'solution-')), 'Acme');
    cpSync(ACME, solution, { recursive: true });
    mkdirSync(join(solution, 'Analytic Rules'));
    cpSync(
      join(FIXTURES, 'detections/failed-requests.yaml'),
      join(solution, 'Analytic Rules/failed-requests.yaml'),
    );
    rig = await startRig({}, { definitions: [solution] });
    expect(rig.emulator.detections.rules().map((r) => [r.name, r.queryFrequency, r.severity])).toEqual([
      ['Failed requests by user', 'PT1H', 'Low'],
    ]);
  });

  it('skips a file that is not YAML with its line and column, and runs the others', async () => {
    rig = await startRig(
      { 'good.yaml': ruleYaml('good') },
      { rules: [join(FIXTURES, 'detections/not-yaml.yaml')], log },
    );
    expect(rig.emulator.detections.problems).toEqual([
      expect.stringMatching(/not-yaml\.yaml:3:1: is not valid YAML \(\w+\); fix the file or leave it out$/),
    ]);
    expect(rig.emulator.detections.rules().map((r) => r.id)).toEqual(['good']);
    expect(logged).toContain('detections: 1 analytic rules loaded, 1 scheduled, 1 skipped');
  });

  it('skips a rule without queryFrequency, naming the file and the field', async () => {
    const broken = ruleYaml('broken').replace(/^queryFrequency: 5m\n/m, '');
    rig = await startRig({ 'broken.yaml': broken, 'good.yaml': ruleYaml('good') }, { log });
    expect(rig.emulator.detections.problems).toEqual([
      expect.stringMatching(/broken\.yaml:1:1: has no queryFrequency: add it/),
    ]);
    expect(logged.some((l) => l.startsWith('detections: skipped ') && l.includes('broken.yaml:1:1'))).toBe(
      true,
    );
  });

  it('names the line and column of a value it cannot use', async () => {
    rig = await startRig({ 'bad.yaml': ruleYaml('bad', { triggerOperator: 'above' }) });
    expect(rig.emulator.detections.problems).toEqual([
      expect.stringMatching(/bad\.yaml:7:18: triggerOperator above is not gt, lt, eq or ne/),
    ]);
  });

  it('lists a rule of another kind without running it, saying why', async () => {
    rig = await startRig({ 'nrt.yaml': ruleYaml('nrt', { kind: 'NRT' }) });
    const [rule] = rig.emulator.detections.rules();
    expect(rule).toMatchObject({
      kind: 'NRT',
      notRunning: 'kind NRT: the emulator runs only Scheduled rules',
    });
    expect(rule?.lastRun).toBeUndefined();
  });

  it('lists a rule past a limit Sentinel enforces without running it', async () => {
    rig = await startRig({ 'fast.yaml': ruleYaml('fast', { queryFrequency: '1m', queryPeriod: '1m' }) });
    const [rule] = rig.emulator.detections.rules();
    expect(rule?.notRunning).toBe(
      'Sentinel would refuse it: queryFrequency must be from 5 minutes to 14 days; queryPeriod must be from 5 minutes to 14 days',
    );
    expect(rule?.lastRun).toBeUndefined();
  });

  it('records a run whose query fails as an error, with the engine’s message, and keeps scheduling it', async () => {
    rig = await startRig({ 'bad-query.yaml': ruleYaml('q', { query: 'NoSuchTable_CL | count' }) });
    const [rule] = rig.emulator.detections.rules();
    expect(rule?.lastRun).toMatchObject({ status: 'error', resultCount: 0, alerts: 0 });
    expect(rule?.lastRun?.error).toContain("Failed to resolve table or function 'NoSuchTable_CL'");
    expect(rule?.nextRunAt).toBe('2026-12-01T10:05:00.000Z');
  });

  it('does not run a rule with enabled: false', async () => {
    rig = await startRig({ 'off.yaml': ruleYaml('off', { enabled: false }) });
    expect(rig.emulator.detections.rules()[0]).toMatchObject({
      enabled: false,
      notRunning: 'disabled (enabled: false)',
    });
  });
});

describe("Microsoft's ASIM rule imAuthBruteForce (third_party/azure-sentinel)", () => {
  it('fires through the scheduler on ten failures and a success of one user, over the ASIM parser', async () => {
    rig = await startRig({}, { rules: [BRUTE_FORCE], parsers: [join(FIXTURES, 'workspace/solution')] });
    for (let i = 0; i < 10; i++) rig.fail('alice', 1 + i);
    rig.fail('alice', 12, 200);
    rig.fail('bob', 12);
    rig.time.advance(20 * 60_000); // its queryFrequency: the 10:20 run over [10:00, 10:20]
    const rule = rig.emulator.detections.rules()[0];
    expect(rule).toMatchObject({ id: 'a6c435a2-b1a0-466d-b730-9f8af69262e8', queryFrequency: 'PT20M' });
    expect(rule?.lastRun).toMatchObject({
      at: '2026-12-01T10:20:00.000Z',
      start: T0,
      resultCount: 1,
      alerts: 1,
    });
    const [alert] = rig.emulator.detections.alerts();
    expect(alert?.displayName).toBe(
      'Brute force attack against user credentials (Uses Authentication Normalization)',
    );
    expect(alert?.entities).toEqual([
      { kind: 'Account', properties: { Name: 'alice', friendlyName: 'alice' } },
    ]);
    expect(alert?.rows[0]).toMatchObject({ TargetUsername: 'alice', FailureCount: 10, SuccessCount: 1 });
    expect(rig.emulator.query('SecurityIncident | project IncidentNumber, Title').rows).toEqual([
      [1, 'Brute force attack against user credentials (Uses Authentication Normalization)'],
    ]);
  });
});
