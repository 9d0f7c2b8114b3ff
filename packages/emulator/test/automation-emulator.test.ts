// Automation inside a running emulator: a scheduled rule's new incident reaches a local
// receiver, and the console API lists the deliveries and targets (never a secret) and
// redelivers, behind the console's guard.
import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, startEmulator } from '../src/index.js';
import { ruleYaml, startRig, type Rig } from './support/detection-rig.js';
import type { Receiver } from './support/webhook-receiver.js';
import { startReceiver } from './support/webhook-receiver.js';

const MINUTE = 60_000;
let rig: Rig | undefined;
let receiver: Receiver | undefined;

afterEach(async () => {
  await rig?.emulator.close();
  await receiver?.close();
  rig = undefined;
  receiver = undefined;
});

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** A request to the emulator's own HTTPS server, trusting its CA, with the Host the console wants. */
function call(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const emulator = rig!.emulator;
  return new Promise((resolve, reject) => {
    const req = request(
      `${emulator.origin}${path}`,
      { method, ca: emulator.caCertPem, headers: { host: `127.0.0.1:${emulator.port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** An emulator with one rule over failures, posting incidents to a receiver that answers `first` then 200. */
async function start(first: number): Promise<Rig> {
  receiver = await startReceiver([{ status: first }, { status: 200 }]);
  const url = receiver.url.replace('http://', 'http://u:PW-SECRET-9@') + '/hook?sig=SIG-SECRET-9';
  rig = await startRig(
    { 'r.yaml': ruleYaml('r1', { name: 'Failed sign-ins' }) },
    { console: true, automation: [{ url, rules: ['r1'], headers: { 'x-key': 'KEY-SECRET-9' } }] },
  );
  rig.fail('alice', 1);
  rig.time.advance(5 * MINUTE);
  await rig.emulator.automation.whenIdle();
  return rig;
}

describe('automation in the emulator', () => {
  it('posts a scheduled rule’s new incident to the receiver, with the console’s incident URL', async () => {
    const { emulator } = await start(200);
    expect(receiver?.received).toHaveLength(1);
    const body = receiver?.received[0]?.body as {
      workspaceId: string;
      object: { properties: Record<string, unknown> };
    };
    expect(body.workspaceId).toBe(emulator.catalog.workspaceId);
    expect(body.object.properties).toMatchObject({
      title: 'Failed sign-ins',
      severity: 'Medium',
      status: 'New',
      incidentNumber: 1,
      incidentUrl: `${emulator.origin}/console/#incidents/1`,
      relatedAnalyticRuleIds: [expect.stringContaining('r1')],
    });
    expect(emulator.automation.deliveries()).toMatchObject([
      { incidentNumber: 1, ruleId: 'r1', state: 'delivered', attempts: [{ number: 1, status: 200 }] },
    ]);
  });

  it('lists deliveries and targets over the console API without userinfo, query or header values', async () => {
    const { emulator } = await start(200);
    const deliveries = await call('GET', '/console/api/deliveries');
    const targets = await call('GET', '/console/api/automation');
    const one = await call('GET', `/console/api/deliveries/${emulator.automation.deliveries()[0]!.id}`);

    expect(deliveries.status).toBe(200);
    expect(deliveries.body).toEqual(emulator.automation.deliveries());
    expect(targets.body).toEqual({
      targets: [
        {
          index: 0,
          url: `${receiver!.url}/hook`,
          rules: ['r1'],
          minSeverity: 'Informational',
          headers: ['x-key'],
          maxAttempts: 5,
          timeoutMs: 10_000,
        },
      ],
    });
    expect(one.body).toMatchObject({ payload: receiver?.received[0]?.body });
    expect(JSON.stringify([deliveries.body, targets.body, one.body])).not.toMatch(/SECRET-9/);
  });

  it('redelivers a failed delivery through the console API, and answers an unknown id with 404', async () => {
    const { emulator } = await start(400);
    const [failed] = emulator.automation.deliveries();
    expect(failed?.state).toBe('failed');

    const again = await call(
      'POST',
      `/console/api/deliveries/${failed!.id}/redeliver`,
      { 'content-type': 'application/json' },
      '{}',
    );
    await emulator.automation.whenIdle();
    const unknown = await call(
      'POST',
      '/console/api/deliveries/nope/redeliver',
      { 'content-type': 'application/json' },
      '{}',
    );

    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ redeliveryOf: failed!.id, state: 'pending' });
    expect(emulator.automation.deliveries().map((d) => d.state)).toEqual(['failed', 'delivered']);
    expect(unknown).toEqual({
      status: 404,
      body: { error: { code: 'E_UNKNOWN_DELIVERY', message: 'no delivery has the id nope' } },
    });
  });

  it('refuses a redelivery that is not JSON (the console guard), sending nothing', async () => {
    const { emulator } = await start(400);
    const [failed] = emulator.automation.deliveries();
    const refused = await call('POST', `/console/api/deliveries/${failed!.id}/redeliver`, {
      'content-type': 'text/plain',
    });
    expect(refused.status).toBe(403);
    expect(emulator.automation.deliveries()).toHaveLength(1);
  });

  it('refuses a malformed automation option at start, naming it', async () => {
    await expect(
      startEmulator({ port: 0, inMemory: true, automation: [{ url: 'mailto:x@y.test' }] }),
    ).rejects.toThrow(expect.objectContaining({ constructor: ConfigError, option: 'automation[0].url' }));
  });
});
