// close(): stops accepting, lets requests under way finish, delivers what it holds, and leaves
// what Sentinel or the upstream will not take in time in the write-ahead queue for the next start
// (durability disk) — or, in memory durability, hands the security rows to the spool directory
// and drops (and counts) the operational records. Idempotent.
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSpool } from '@otel-sentinel/exporter';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../src/index.js';
import { startFakeUpstream } from './support/fake-upstream.js';
import { operationalRecord, post, protobufBody, securityRecord } from './support/otlp-bodies.js';
import { sharedStack, count, credentialFor, GatedCredential, gatewayOptions } from './support/stack.js';

const { cleanup, emulator: stackEmulator } = sharedStack();

const PROTOBUF = 'application/x-protobuf';

describe('close()', () => {
  it('delivers every security row it holds before it resolves', async () => {
    const before = count(stackEmulator(), 'GatewayAuth_CL');
    const g = await startGateway(
      gatewayOptions(stackEmulator(), { exporter: { scheduledDelayMillis: 600_000 } }),
    );
    for (let r = 0; r < 5; r++)
      expect(
        (
          await post(
            `${g.url}/v1/logs`,
            protobufBody([securityRecord(r * 2), securityRecord(r * 2 + 1)]),
            PROTOBUF,
          )
        ).status,
      ).toBe(200);
    await g.close();
    expect(count(stackEmulator(), 'GatewayAuth_CL') - before).toBe(10);
    expect(g.stats().exporter).toMatchObject({ rowsExported: 10, rowsUndelivered: {} });
  });

  it('leaves the security rows Sentinel does not take in time in the write-ahead queue; the next start sends them', async () => {
    const spool = mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-spool-'));
    const before = count(stackEmulator(), 'GatewayAuth_CL');
    const credential = new GatedCredential(credentialFor(stackEmulator()));
    credential.hold();
    const g = await startGateway(
      gatewayOptions(
        stackEmulator(),
        { exporter: { spool, exportTimeoutMillis: 200, scheduledDelayMillis: 600_000 } },
        credential,
      ),
    );
    expect(
      (await post(`${g.url}/v1/logs`, protobufBody([1, 2, 3].map((i) => securityRecord(i))), PROTOBUF))
        .status,
    ).toBe(200);
    await g.close();
    credential.release();
    expect((await readSpool({ directory: spool })).queued.map((e) => e.row.Seq)).toEqual([1, 2, 3]);
    expect(g.stats().exporter).toMatchObject({ rowsExported: 0, rowsUndelivered: { shutdown: 3 } });
    const next = await cleanup.gateway(gatewayOptions(stackEmulator(), { exporter: { spool } }));
    expect(next.stats().recovery).toEqual({ resumed: 3, remaining: 3 });
    await next.flush();
    expect(count(stackEmulator(), 'GatewayAuth_CL') - before).toBe(3);
    expect(next.stats().recovery).toEqual({ resumed: 3, remaining: 0 });
  });

  it('in memory durability hands the security rows it could not send to the spool directory at close()', async () => {
    const spool = mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-spool-'));
    const credential = new GatedCredential(credentialFor(stackEmulator()));
    credential.hold();
    const g = await startGateway(
      gatewayOptions(
        stackEmulator(),
        {
          durability: 'memory',
          exporter: { spool, exportTimeoutMillis: 200, scheduledDelayMillis: 600_000 },
        },
        credential,
      ),
    );
    expect(
      (await post(`${g.url}/v1/logs`, protobufBody([4, 5].map((i) => securityRecord(i))), PROTOBUF)).status,
    ).toBe(200);
    await g.close();
    credential.release();
    expect((await readSpool({ directory: spool })).queued.map((e) => e.row.Seq)).toEqual([4, 5]);
  });

  it('in memory durability drops and counts the operational records the upstream does not take within shutdownTimeoutMs', async () => {
    const upstream = await startFakeUpstream();
    cleanup.add(() => upstream.close());
    upstream.answer = () => 'hang';
    const lines: string[] = [];
    const g = await startGateway(
      gatewayOptions(stackEmulator(), {
        durability: 'memory',
        upstream: upstream.url,
        shutdownTimeoutMs: 100,
        upstreamTimeoutMs: 60_000,
        log: (l) => lines.push(l),
      }),
    );
    expect(
      (await post(`${g.url}/v1/logs`, protobufBody([operationalRecord(1), operationalRecord(2)]), PROTOBUF))
        .status,
    ).toBe(200);
    await g.close();
    expect(g.stats().upstream).toMatchObject({
      recordsSent: 0,
      recordsDropped: { shutdown: 2 },
      queuedBytes: 0,
    });
    expect(lines.at(-1)).toMatch(
      /^otel-sentinel gateway stopped: .* 0 operational records forwarded, 2 dropped$/,
    );
  });

  it('leaves the operational records the upstream does not take in time queued on disk; the next start forwards them', async () => {
    const spool = mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-spool-'));
    const upstream = await startFakeUpstream();
    cleanup.add(() => upstream.close());
    upstream.answer = () => 'hang';
    const g = await startGateway(
      gatewayOptions(stackEmulator(), {
        upstream: upstream.url,
        shutdownTimeoutMs: 100,
        upstreamTimeoutMs: 60_000,
        exporter: { spool },
      }),
    );
    expect(
      (await post(`${g.url}/v1/logs`, protobufBody([operationalRecord(1), operationalRecord(2)]), PROTOBUF))
        .status,
    ).toBe(200);
    await g.close();
    expect(g.stats().upstream).toMatchObject({ recordsSent: 0, recordsDropped: {}, recordsLeftQueued: 2 });
    upstream.answer = () => ({ status: 200 });
    const next = await cleanup.gateway(
      gatewayOptions(stackEmulator(), { upstream: upstream.url, exporter: { spool } }),
    );
    await next.flush();
    expect(
      upstream
        .accepted()
        .map((r) => Number(r.attributes.seq))
        .sort(),
    ).toEqual([1, 2]);
    expect(next.stats().upstream).toMatchObject({ recordsSent: 2, resumeRemaining: 0 });
  });

  it('lets a request under way finish, then refuses new connections; a second close() is the same', async () => {
    const before = count(stackEmulator(), 'GatewayAuth_CL');
    const g = await startGateway(gatewayOptions(stackEmulator()));
    const body = protobufBody([securityRecord(41), securityRecord(42)]);
    const url = new URL(`${g.url}/v1/logs`);
    let closing: Promise<void> | undefined;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          // The server sends 100 Continue once it handles the request: then close() meets it under way.
          headers: {
            'content-type': PROTOBUF,
            'content-length': String(body.length),
            expect: '100-continue',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on('error', reject);
      req.on('continue', () => {
        req.write(body.subarray(0, 10), () => {
          closing = g.close();
          setImmediate(() => req.end(body.subarray(10)));
        });
      });
      req.flushHeaders();
    });
    expect(status).toBe(200);
    expect(closing).toBeDefined();
    expect(g.close()).toBe(closing);
    await closing;
    expect(count(stackEmulator(), 'GatewayAuth_CL') - before).toBe(2);
    await expect(fetch(`${g.url}/healthz`)).rejects.toThrow();
    expect(g.isReady()).toBe(false);
  });

  it('resolves even when a token request never answers and ignores cancellation, saying what it left', async () => {
    const lines: string[] = [];
    const never = { getToken: () => new Promise<null>(() => undefined) };
    const g = await startGateway(
      gatewayOptions(
        stackEmulator(),
        { log: (l) => lines.push(l), exporter: { exportTimeoutMillis: 100, maxBatchRecords: 1 } },
        never,
      ),
    );
    expect(
      (await post(`${g.url}/v1/logs`, protobufBody([securityRecord(1), securityRecord(2)]), PROTOBUF)).status,
    ).toBe(200);
    await g.close();
    expect(lines.some((l) => /did not finish within 200 ms at shutdown/.test(l))).toBe(true);
  });
});
