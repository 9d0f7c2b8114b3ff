// The console's detection routes on a running emulator (console on, behind the console guard):
// the rules with their last and next run, a run on demand over a range, the incidents and one
// incident with its alerts and the events behind it. Expected values are written by hand.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleGet } from './support/console-get.js';
import { ruleYaml, startRig, type Rig } from './support/detection-rig.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ 'r.yaml': ruleYaml('r1'), 'broken.yaml': 'id: [\n' }, { console: true });
  rig.fail('alice', -50); // 09:10
});

afterAll(async () => {
  await rig.emulator.close();
});

function post(
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { port, caCertPem } = rig.emulator;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca: caCertPem,
        headers: { host: `127.0.0.1:${String(port)}`, 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the detection routes', () => {
  it('GET /console/api/rules lists each rule with its schedule and runs', async () => {
    const res = await consoleGet(rig.emulator, '/console/api/rules');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual([
      expect.objectContaining({
        id: 'r1',
        name: 'Rule r1',
        severity: 'Medium',
        enabled: true,
        queryFrequency: 'PT5M',
        queryPeriod: 'PT5M',
        triggerOperator: 'gt',
        triggerThreshold: 0,
        nextRunAt: '2026-12-01T10:05:00.000Z',
        lastRun: expect.objectContaining({ at: '2026-12-01T10:00:00.000Z', status: 'ok', resultCount: 0 }),
      }),
    ]);
  });

  it('GET /console/api/rules/problems lists the rule files skipped, with their place', async () => {
    const res = await consoleGet(rig.emulator, '/console/api/rules/problems');
    expect(JSON.parse(res.body)).toEqual([expect.stringMatching(/broken\.yaml:2:1: is not valid YAML/)]);
  });

  it('POST /console/api/rules/:id/run runs it over the range and the incident routes show what it raised', async () => {
    const run = await post(
      '/console/api/rules/r1/run',
      JSON.stringify({ start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:30:00Z' }),
    );
    expect(run.status).toBe(200);
    const outcome = JSON.parse(run.body) as {
      resultCount: number;
      alerts: { trigger: string }[];
      incidents: { incidentNumber: number }[];
    };
    expect([
      outcome.resultCount,
      outcome.alerts.map((a) => a.trigger),
      outcome.incidents.map((i) => i.incidentNumber),
    ]).toEqual([1, ['on demand'], [1]]);
    const list = JSON.parse((await consoleGet(rig.emulator, '/console/api/incidents')).body) as {
      incidentNumber: number;
      title: string;
    }[];
    expect(list.map((i) => [i.incidentNumber, i.title])).toEqual([[1, 'Rule r1']]);
    const detail = JSON.parse((await consoleGet(rig.emulator, '/console/api/incidents/1')).body) as {
      incident: { incidentNumber: number };
      alerts: unknown[];
      events: { columns: { name: string }[]; rows: unknown[][] };
    };
    expect(detail.incident.incidentNumber).toBe(1);
    expect(detail.alerts).toHaveLength(1);
    expect(detail.events.rows).toEqual([['alice', 1]]);
  });

  it('answers 404 with a JSON error for an unknown rule or incident', async () => {
    const run = await post('/console/api/rules/nope/run', '{}');
    expect(run.status).toBe(404);
    expect(JSON.parse(run.body)).toEqual({
      error: {
        code: 'UnknownRule',
        message: 'no analytic rule has the id or name nope; GET /console/api/rules lists them',
      },
    });
    const incident = await consoleGet(rig.emulator, '/console/api/incidents/99');
    expect(incident.status).toBe(404);
    expect(JSON.parse(incident.body)).toMatchObject({ error: { code: 'UnknownIncident' } });
  });

  it('answers 400 for a range that is not dates', async () => {
    const run = await post('/console/api/rules/r1/run', JSON.stringify({ start: 'yesterday' }));
    expect(run.status).toBe(400);
    expect(JSON.parse(run.body)).toMatchObject({
      error: { code: 'BadRange', message: expect.stringContaining('start yesterday is not a date') },
    });
  });

  it('refuses a run posted from another origin (the console guard)', async () => {
    const run = await post('/console/api/rules/r1/run', '{}', { origin: 'https://evil.example' });
    expect(run.status).toBe(403);
  });
});
