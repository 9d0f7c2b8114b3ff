// The gateway names why Sentinel refuses its rows, against the emulator in strict mode: at start
// (the exporter's start-up check, one ERROR line per stream) and at the first failed upload, while
// the gateway keeps serving; each failure is counted by cause in its stats and on /metrics.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../src/index.js';
import { get, post, protobufBody, securityRecord } from './support/otlp-bodies.js';
import { Cleanup, gatewayOptions, MAPPING, mappingEnv } from './support/stack.js';

const UNKNOWN_DCR = 'dcr-ffffffffffffffffffffffffffffffff';

let emulator: RunningEmulator;
const cleanup = new Cleanup();

beforeAll(async () => {
  emulator = await startEmulator({
    mappings: [MAPPING],
    port: 0,
    inMemory: true,
    strict: true,
    dataDir: mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-causes-')),
  });
});
afterEach(async () => {
  await cleanup.run();
  diag.disable();
});
afterAll(async () => {
  await emulator.close();
});

/** Collects what is reported through diag at ERROR and WARN. */
function captureDiag(): string[] {
  const lines: string[] = [];
  const add = (...args: unknown[]): void => {
    lines.push(args.map(String).join(' '));
  };
  const ignore = (): void => undefined;
  diag.setLogger(
    { error: add, warn: add, info: ignore, debug: ignore, verbose: ignore },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return lines;
}

async function until(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function gatewayWith(env: Record<string, string | undefined>): Promise<RunningGateway> {
  return cleanup.gateway(gatewayOptions(emulator, { env, durability: 'memory' }));
}

describe('failures named by their cause, through the gateway', () => {
  it('says at start, and at the first upload, that the DCR id is unknown, and counts not-found', async () => {
    const lines = captureDiag();
    const host = `127.0.0.1:${emulator.port}`;
    const gateway = await gatewayWith({ ...mappingEnv(emulator), SENTINEL_DCR_IMMUTABLE_ID: UNKNOWN_DCR });

    await until(() => gateway.stats().exporter.startupCheck === 'failed');
    const startLines = lines.filter((l) => l.includes('start-up check:'));
    expect(startLines).toEqual([
      expect.stringContaining(
        `start-up check: Custom-GatewayAuth on ${UNKNOWN_DCR} at ${host}: HTTP 404 NotFound: ${host} knows no DCR ${UNKNOWN_DCR}: check the DCR immutable id`,
      ),
      expect.stringContaining(
        `start-up check: Custom-GatewayOther on ${UNKNOWN_DCR} at ${host}: HTTP 404 NotFound`,
      ),
    ]);

    void post(`${gateway.url}/v1/logs`, protobufBody([securityRecord(1)]), 'application/x-protobuf');
    await until(() => (gateway.stats().exporter.failuresByCause['not-found'] ?? 0) >= 1);
    expect(lines).toContainEqual(
      expect.stringContaining(`Custom-GatewayAuth: HTTP 404 NotFound: ${host} knows no DCR ${UNKNOWN_DCR}`),
    );
    const metrics = (await get(`${gateway.url}/metrics`)).body.toString('utf8');
    expect(metrics).toMatch(/^otel_sentinel_exporter_failures_total\{cause="not-found"\} [1-9]/m);
  });

  it('names the Monitoring Metrics Publisher role when the app has none on the DCR, and counts forbidden', async () => {
    const dcr = mappingEnv(emulator).SENTINEL_DCR_IMMUTABLE_ID ?? '';
    const clients = emulator.catalog.dcrs.get(dcr)?.allowedClients as Set<string>;
    const allowed = [...clients];
    clients.clear();
    cleanup.add(() => {
      for (const c of allowed) clients.add(c);
    });
    const lines = captureDiag();
    const gateway = await gatewayWith(mappingEnv(emulator));

    await until(() => gateway.stats().exporter.startupCheck === 'failed');
    void post(`${gateway.url}/v1/logs`, protobufBody([securityRecord(2)]), 'application/x-protobuf');
    await until(() => (gateway.stats().exporter.failuresByCause.forbidden ?? 0) >= 1);
    const role = 'give it the Monitoring Metrics Publisher role on that DCR';
    expect(lines.filter((l) => l.includes('start-up check:') && l.includes(role))).toHaveLength(2);
    expect(lines).toContainEqual(
      expect.stringContaining(
        `Custom-GatewayAuth: HTTP 403 OperationFailed: the identity has no right to send to ${dcr}: ${role}`,
      ),
    );
  });

  it('stays quiet at start when every stream would take rows', async () => {
    const lines = captureDiag();
    const gateway = await gatewayWith(mappingEnv(emulator));
    await until(() => gateway.stats().exporter.startupCheck === 'ok');
    expect(lines.filter((l) => l.includes('start-up check'))).toEqual([]);
  });
});
