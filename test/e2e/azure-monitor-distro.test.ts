// The Azure Monitor distro (@azure/monitor-opentelemetry 1.21.0) with routeSecurityEvents() called
// right after useAzureMonitor(): security records reach Sentinel only, operational records reach
// Application Insights only, and records inside a span carry its trace id on both sides. The app
// runs in its own process (the distro registers process-wide globals) against a loopback HTTPS
// server standing in for both ingestion endpoints. routeSecurityEvents() reaches into the SDK's
// LoggerProvider; when a distro release changes what it builds, this test fails (the app throws
// RoutingUnsupportedError, or records leak) and names the distro release that broke it.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelopes, startRecordingHttpsServer } from './distro/recording-https-server.js';
import type { RecordingHttpsServer } from './distro/recording-https-server.js';

const DCR_ID = 'dcr-0123456789abcdef0123456789abcdef';
const APP = join(dirname(fileURLToPath(import.meta.url)), 'distro', 'distro-app.ts');

interface Envelope {
  readonly name?: string;
  readonly tags?: Record<string, string>;
  readonly data?: {
    readonly baseType?: string;
    readonly baseData?: { readonly message?: string; readonly properties?: Record<string, string> };
  };
}

let server: RecordingHttpsServer;
let appInsights: Envelope[];
let sentinelRows: Record<string, unknown>[];

function runApp(origin: string, caFile: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [APP, origin], {
    env: {
      ...process.env,
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=${origin}/`,
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      NODE_EXTRA_CA_CERTS: caFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      resolve({ code, output });
    }),
  );
}

beforeAll(async () => {
  server = await startRecordingHttpsServer();
  const run = await runApp(server.origin, server.caFile);
  expect(run.output).toContain('distro-app done');
  expect(run.code).toBe(0);
  appInsights = server.received
    .filter((r) => r.path.startsWith('/v2.1/track'))
    .flatMap((r) => parseEnvelopes(r.body) as Envelope[]);
  sentinelRows = server.received
    .filter((r) => r.path.startsWith(`/dataCollectionRules/${DCR_ID}/streams/Custom-Sec`))
    .flatMap((r) => JSON.parse(r.body) as Record<string, unknown>[]);
});

afterAll(async () => {
  await server.close();
});

const messages = (): Envelope[] => appInsights.filter((e) => e.data?.baseType === 'MessageData');

describe('the Azure Monitor distro with routeSecurityEvents()', () => {
  it('sends every security record to Sentinel, with the trace id of the span it was emitted in', () => {
    expect(sentinelRows).toEqual([
      { EventName: 'authn_login_fail', UserId: 'alice-outside', TimeGenerated: expect.any(String) },
      {
        EventName: 'authz_fail',
        UserId: 'bob-inside',
        TraceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        TimeGenerated: expect.any(String),
      },
    ]);
  });

  it('sends no security record to Application Insights, inside or outside a span', () => {
    const sent = JSON.stringify(appInsights);
    expect(sent).not.toContain('security.event');
    expect(sent).not.toContain('alice-outside');
    expect(sent).not.toContain('bob-inside');
  });

  it('sends every operational record to Application Insights, with the trace id of its span', () => {
    const byOp = Object.fromEntries(
      messages().map((e) => [e.data?.baseData?.properties?.['op.id'], e.data?.baseData?.message]),
    );
    expect(byOp).toEqual({ 'op-outside': 'cache warmed', 'op-inside': 'request handled' });
    const inside = messages().find((e) => e.data?.baseData?.properties?.['op.id'] === 'op-inside');
    expect(inside?.tags?.['ai.operation.id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('sends no operational record to Sentinel', () => {
    expect(JSON.stringify(sentinelRows)).not.toMatch(/op-outside|op-inside|cache warmed|request handled/);
  });
});
