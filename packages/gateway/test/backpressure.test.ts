// Backpressure: when Sentinel or the upstream stalls, the queues fill to their limits and no
// further; a request that does not fit is answered 503 with Retry-After and none of it is
// taken, so the client's retry duplicates nothing. Readiness says why it is not ready.
import { describe, expect, it, vi } from 'vitest';
import { startFakeUpstream } from './support/fake-upstream.js';
import type { FakeUpstream } from './support/fake-upstream.js';
import {
  get,
  operationalRecord,
  post,
  protobufBody,
  securityRecord,
  statusOf,
} from './support/otlp-bodies.js';
import type { TestRecord } from './support/otlp-bodies.js';
import { sharedStack, count, credentialFor, GatedCredential, gatewayOptions } from './support/stack.js';

const { cleanup, emulator: stackEmulator } = sharedStack();

const PROTOBUF = 'application/x-protobuf';

function batch(from: number, security: number, operational = 0): TestRecord[] {
  const records: TestRecord[] = [];
  for (let i = 0; i < security; i++) records.push(securityRecord(from + i));
  for (let i = 0; i < operational; i++) records.push(operationalRecord(from + security + i));
  return records;
}

async function upstream(): Promise<FakeUpstream> {
  const u = await startFakeUpstream();
  cleanup.add(() => u.close());
  return u;
}

function seqs(records: readonly { attributes: Readonly<Record<string, unknown>> }[]): number[] {
  return records.map((r) => Number(r.attributes.seq)).sort((a, b) => a - b);
}

async function readyz(url: string): Promise<{ status: number; reasons: string[] }> {
  const answer = await get(`${url}/readyz`);
  return {
    status: answer.status,
    reasons: (JSON.parse(answer.body.toString('utf8')) as { reasons: string[] }).reasons,
  };
}

describe('a stalled Sentinel', () => {
  it('answers 503 with Retry-After once the security queue is full, and takes nothing of that request', async () => {
    const credential = new GatedCredential(credentialFor(stackEmulator()));
    credential.hold(); // no token, so nothing leaves the queue
    const up = await upstream();
    const before = count(stackEmulator(), 'GatewayAuth_CL');
    const g = await cleanup.gateway(
      gatewayOptions(
        stackEmulator(),
        {
          maxQueueSize: 100,
          upstream: up.url,
          retryAfterSeconds: 7,
          exporter: { scheduledDelayMillis: 600_000, maxBatchRecords: 5000 },
        },
        credential,
      ),
    );
    cleanup.add(() => {
      credential.release(); // first, should an assertion fail while it is held
    });
    const url = `${g.url}/v1/logs`;
    for (let r = 0; r < 3; r++)
      expect((await post(url, protobufBody(batch(r * 100, 30, 2)), PROTOBUF)).status).toBe(200);

    const refused = await post(url, protobufBody(batch(1000, 30, 5)), PROTOBUF);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(statusOf(refused)).toMatchObject({
      code: 14,
      message: expect.stringMatching(/security queue is full \(90 of 100/),
    });
    // A flood changes nothing: the queue stays at its limit, every request is refused whole.
    for (let r = 0; r < 50; r++)
      expect((await post(url, protobufBody(batch(2000 + r * 100, 20, 3)), PROTOBUF)).status).toBe(503);
    expect(g.stats().securityQueue).toEqual({ held: 90, capacity: 100 });
    expect(g.stats().records).toMatchObject({ security: 90, operational: 6, refused: 35 + 50 * 23 });
    expect(g.stats().exporter.recordsSeen).toBe(96);
    expect((await readyz(g.url)).reasons).toContain(
      'security queue: 90 of 100 records held (Sentinel is not keeping up)',
    );

    // What still fits is taken.
    expect((await post(url, protobufBody(batch(5000, 10)), PROTOBUF)).status).toBe(200);
    credential.release();
    await g.flush();
    const rows = stackEmulator()
      .query(`GatewayAuth_CL | project Seq`)
      .rows.map((r) => Number(r[0]));
    const expected = [0, 100, 200].flatMap((f) => Array.from({ length: 30 }, (_, i) => f + i));
    expected.push(...Array.from({ length: 10 }, (_, i) => 5000 + i));
    expect(count(stackEmulator(), 'GatewayAuth_CL') - before).toBe(100);
    expect(rows.filter((s) => s >= 1000 && s < 5000)).toEqual([]);
    expect(rows.filter((s) => expected.includes(s)).sort((a, b) => a - b)).toEqual(
      expected.sort((a, b) => a - b),
    );
    // The refused requests' operational records never went upstream either.
    await vi.waitFor(() => {
      expect(seqs(up.accepted())).toEqual([30, 31, 130, 131, 230, 231]);
    });
    await vi.waitFor(async () => {
      expect((await readyz(g.url)).status).toBe(200);
    });
  });

  it('answers 413 for a request with more security records than the queue can ever hold', async () => {
    const g = await cleanup.gateway(gatewayOptions(stackEmulator(), { maxQueueSize: 10 }));
    const answer = await post(`${g.url}/v1/logs`, protobufBody(batch(0, 11)), PROTOBUF);
    expect(answer.status).toBe(413);
    expect(statusOf(answer).message).toMatch(
      /11 security log records, more than the gateway holds at once \(maxQueueSize 10\)/,
    );
  });
});

describe('a stalled upstream', () => {
  it('answers 503 once the upstream queue is full, keeps its bytes bounded, and duplicates nothing after', async () => {
    const up = await upstream();
    let stalled = true;
    up.answer = () => (stalled ? 'hang' : { status: 200 });
    const before = count(stackEmulator(), 'GatewayAuth_CL');
    const g = await cleanup.gateway(
      gatewayOptions(stackEmulator(), {
        upstream: up.url,
        maxUpstreamQueueBytes: 4096,
        upstreamTimeoutMs: 200,
        upstreamRetry: { maxAttempts: 1000, maxElapsedMs: 600_000, initialDelayMs: 10, maxDelayMs: 50 },
      }),
    );
    const url = `${g.url}/v1/logs`;
    const taken: number[] = [];
    let refused = 0;
    for (let r = 0; r < 40; r++) {
      const records = batch(r * 10, 1, 5);
      const answer = await post(url, protobufBody(records), PROTOBUF);
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 200) taken.push(r * 10);
      else {
        refused++;
        expect(statusOf(answer).message).toMatch(/upstream queue is full/);
      }
      expect(g.stats().upstream.queuedBytes).toBeLessThanOrEqual(4096);
    }
    expect(refused).toBeGreaterThan(0);
    expect((await readyz(g.url)).reasons.some((r) => r.startsWith('upstream queue:'))).toBe(true);

    stalled = false;
    await g.flush();
    const expectedOperational = taken.flatMap((f) => [f + 1, f + 2, f + 3, f + 4, f + 5]);
    expect(seqs(up.accepted())).toEqual(expectedOperational.sort((a, b) => a - b));
    // Security records of refused requests were not taken either.
    expect(count(stackEmulator(), 'GatewayAuth_CL') - before).toBe(taken.length);
    expect(g.stats().upstream).toMatchObject({
      queuedBytes: 0,
      recordsSent: expectedOperational.length,
      recordsDropped: {},
    });
  });
});

describe('readiness', () => {
  it('answers 503 naming the credential when no token can be had', async () => {
    const env = stackEmulator().env();
    const { ClientSecretCredential } = await import('@azure/identity');
    const wrong = new ClientSecretCredential(
      env.AZURE_TENANT_ID ?? '',
      env.AZURE_CLIENT_ID ?? '',
      'wrong-secret-value',
      {
        authorityHost: stackEmulator().origin,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: stackEmulator().caCertPem },
      },
    );
    const lines: string[] = [];
    const g = await cleanup.gateway(gatewayOptions(stackEmulator(), { log: (l) => lines.push(l) }, wrong));
    await vi.waitFor(() => {
      expect(g.stats().credentialOk).toBe(false);
    });
    const report = await readyz(g.url);
    expect(report.status).toBe(503);
    // The reason names the error and its OAuth code, never the message or the secret.
    expect(report.reasons).toHaveLength(1);
    expect(report.reasons[0]).toMatch(
      /^credential: cannot get a token for https:\/\/monitor\.azure\.com\/\.default \(Authentication\w*Error (invalid_client|AADSTS7000215)\)$/,
    );
    expect(g.isReady()).toBe(false);
    expect(lines.join('\n')).not.toContain('wrong-secret-value');
  });

  it('becomes ready when the credential recovers', async () => {
    const credential = new GatedCredential(credentialFor(stackEmulator()));
    credential.hold();
    const g = await cleanup.gateway(gatewayOptions(stackEmulator(), { readinessIntervalMs: 20 }, credential));
    cleanup.add(() => {
      credential.release();
    });
    const first = await readyz(g.url);
    expect(first.status).toBe(503);
    expect(first.reasons).toEqual(['credential: the first token request has not been answered yet']);
    credential.release();
    await vi.waitFor(async () => {
      expect((await readyz(g.url)).status).toBe(200);
    });
    expect(g.isReady()).toBe(true);
  });
});
