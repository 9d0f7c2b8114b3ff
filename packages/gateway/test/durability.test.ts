// Acknowledged means durable: a gateway killed with SIGKILL after answering 200 loses nothing —
// the next start on the same spool directory sends the security rows to Sentinel and the
// operational records upstream — and a request the write-ahead queue cannot take is refused
// whole with 503, so the client's retry is the only copy.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { startFakeUpstream } from './support/fake-upstream.js';
import { operationalRecord, post, protobufBody, securityRecord } from './support/otlp-bodies.js';
import {
  count,
  credentialFor,
  GatedCredential,
  gatewayOptions,
  MAPPING,
  mappingEnv,
  sharedStack,
} from './support/stack.js';

const { cleanup, emulator } = sharedStack();
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const PROTOBUF = 'application/x-protobuf';

/** A gateway in a child process whose Sentinel never answers (its token requests hang). */
async function childGateway(
  spool: string,
  upstream: string,
  env: Record<string, string | undefined>,
): Promise<{ url: string; process: ChildProcessWithoutNullStreams }> {
  const script = `
    import { startGateway } from ${JSON.stringify(DIST)};
    const g = await startGateway({
      mapping: ${JSON.stringify(MAPPING)},
      env: ${JSON.stringify(env)},
      port: 0,
      upstream: ${JSON.stringify(upstream)},
      upstreamTimeoutMs: 600000,
      exporter: { spool: ${JSON.stringify(spool)}, credential: { getToken: () => new Promise(() => {}) } },
    });
    process.stdout.write(g.url + '\\n');
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
  cleanup.add(() => {
    child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = /^(http:\S+)\n/.exec(out);
      if (line?.[1] !== undefined) resolve(line[1]);
    });
    child.on('exit', (code) => {
      reject(new Error(`the gateway exited (${String(code)}) before it listened`));
    });
  });
  return { url, process: child };
}

describe("durability 'disk' (the default)", () => {
  it('sends everything a killed gateway answered 200 for, after a restart on the same spool directory', async () => {
    const spool = mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-kill-'));
    const upstream = await startFakeUpstream();
    cleanup.add(() => upstream.close());
    upstream.answer = () => 'hang'; // the collector is down too
    const before = count(emulator(), 'GatewayAuth_CL');
    const killed = await childGateway(spool, upstream.url, mappingEnv(emulator()));
    for (let r = 0; r < 10; r++) {
      const body = protobufBody([
        securityRecord(r * 3),
        securityRecord(r * 3 + 1),
        operationalRecord(r * 3 + 2),
      ]);
      expect((await post(`${killed.url}/v1/logs`, body, PROTOBUF)).status).toBe(200);
    }
    const exited = new Promise((resolve) => killed.process.on('exit', resolve));
    killed.process.kill('SIGKILL');
    await exited;

    upstream.answer = () => ({ status: 200 });
    const credential = new GatedCredential(credentialFor(emulator()));
    credential.hold();
    const next = await cleanup.gateway(
      gatewayOptions(emulator(), { upstream: upstream.url, exporter: { spool } }, credential),
    );
    expect(next.stats().recovery).toEqual({ resumed: 20, remaining: 20 });
    const ready = await fetch(`${next.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toMatch(
      /resuming: 20 of 20 security rows an earlier run left in the write-ahead queue/,
    );
    credential.release();
    await next.flush();
    expect(count(emulator(), 'GatewayAuth_CL') - before).toBe(20);
    expect(
      upstream
        .accepted()
        .map((r) => Number(r.attributes.seq))
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 10 }, (_, r) => r * 3 + 2));
    expect(next.stats().recovery.remaining).toBe(0);
    expect(next.stats().exporter.rowsResumed).toBe(20);
  });

  it('keeps retrying the operational records it acknowledged through an upstream outage longer than upstreamRetry', async () => {
    const upstream = await startFakeUpstream();
    cleanup.add(() => upstream.close());
    let outage = true;
    upstream.answer = () => (outage ? { status: 503 } : { status: 200 });
    const g = await cleanup.gateway(
      gatewayOptions(emulator(), {
        upstream: upstream.url,
        upstreamRetry: { maxAttempts: 2, maxElapsedMs: 200, initialDelayMs: 10, maxDelayMs: 50 },
      }),
    );
    expect((await post(`${g.url}/v1/logs`, protobufBody([operationalRecord(1)]), PROTOBUF)).status).toBe(200);
    await vi.waitFor(
      () => {
        expect(upstream.received.length).toBeGreaterThan(4); // past the budget of 2 attempts
      },
      { timeout: 60_000 },
    );
    outage = false;
    await g.flush();
    expect(upstream.accepted().map((r) => Number(r.attributes.seq))).toEqual([1]);
    expect(g.stats().upstream.recordsDropped).toEqual({});
  });

  it('refuses a request whole with 503 when the write-ahead queue cannot take it, and keeps every earlier one', async () => {
    const spool = mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-full-'));
    const before = count(emulator(), 'GatewayAuth_CL');
    const credential = new GatedCredential(credentialFor(emulator()));
    credential.hold(); // Sentinel stalled: every row stays in the queue until the store is full
    const g = await cleanup.gateway(
      gatewayOptions(
        emulator(),
        {
          maxQueueSize: 1_000_000,
          exporter: { spool: { directory: spool, maxTotalBytes: 256 * 1024 }, scheduledDelayMillis: 600_000 },
        },
        credential,
      ),
    );
    let accepted = 0;
    let refused: { status: number; body: Buffer } | undefined;
    for (let r = 0; r < 200 && refused === undefined; r++) {
      const body = protobufBody(Array.from({ length: 50 }, (_, i) => securityRecord(r * 50 + i)));
      const answer = await post(`${g.url}/v1/logs`, body, PROTOBUF);
      if (answer.status === 200) accepted += 50;
      else refused = answer;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.body.toString('latin1')).toContain('could not write the security records to disk');
    expect(g.stats().backpressure).toMatchObject({ store: 1 });
    expect(g.stats().securityQueue.held).toBe(accepted);
    credential.release();
    await g.flush();
    expect(count(emulator(), 'GatewayAuth_CL') - before).toBe(accepted);
  });
});
