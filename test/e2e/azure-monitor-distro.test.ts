// The Azure Monitor distro (@azure/monitor-opentelemetry 1.21.0) with routeSecurityEvents() called
// right after useAzureMonitor(): security records from every source an app on the distro has
// (direct emit, the OWASP helpers, pino through instrumentation-pino 0.67 and 0.70, winston through
// the distro's instrumentation and through @opentelemetry/winston-transport) reach Sentinel only,
// operational records from each of them and from console reach Application Insights only, and
// records inside a span carry its trace id on both sides. The app runs in its own process (the
// distro registers process-wide globals), once per set of bridges, against a loopback HTTPS server
// standing in for both ingestion endpoints. routeSecurityEvents() reaches into the SDK's
// LoggerProvider; when a distro release changes what it builds, this test fails (the app throws
// RoutingUnsupportedError, or records leak).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appInsightsEnvelopes, appInsightsMessages } from './distro/app-insights.js';
import { byUserId, DCR_ID, OPERATIONAL_MESSAGES, SECURITY_ROWS, STREAM } from './distro/expected.js';
import { startRecordingHttpsServer } from './distro/recording-https-server.js';
import type { RecordingHttpsServer } from './distro/recording-https-server.js';
import { runDistroApp } from './distro/run-distro-app.js';

let server: RecordingHttpsServer;
let appInsights: unknown[];
let sentinelRows: Record<string, unknown>[];

beforeAll(async () => {
  server = await startRecordingHttpsServer();
  const sentinel = { SENTINEL_DCE_ENDPOINT: server.origin, SENTINEL_DCR_IMMUTABLE_ID: DCR_ID };
  for (const args of [[], ['other-bridges']]) {
    const run = await runDistroApp(args, server.origin, server.caFile, sentinel);
    expect(run.output).toContain('distro-app done');
    expect(run.code).toBe(0);
  }
  appInsights = appInsightsEnvelopes(server.received);
  sentinelRows = server.received
    .filter((r) => r.path.startsWith(`/dataCollectionRules/${DCR_ID}/streams/${STREAM}?`))
    .flatMap((r) => JSON.parse(r.body) as Record<string, unknown>[]);
});

afterAll(async () => {
  await server.close();
});

describe('an app on the Azure Monitor distro with routeSecurityEvents()', () => {
  it('sends every security record of every source to Sentinel, with the trace id of its span', () => {
    expect(byUserId(sentinelRows)).toEqual(
      byUserId(SECURITY_ROWS.map((row) => ({ ...row, TimeGenerated: expect.any(String) as unknown }))),
    );
  });

  it.each(SECURITY_ROWS.map((row) => row.UserId))(
    'keeps the security record of %s out of Application Insights',
    (userId) => {
      expect(appInsights.map((e) => JSON.stringify(e)).filter((e) => e.includes(userId))).toEqual([]);
    },
  );

  it('sends no record carrying the security flag, flat or nested, to Application Insights', () => {
    expect(appInsights.map((e) => JSON.stringify(e)).filter((e) => e.includes('security'))).toEqual([]);
  });

  it('sends every operational record of every source to Application Insights, with the trace id of its span', () => {
    expect(appInsightsMessages(appInsights)).toEqual(
      [...OPERATIONAL_MESSAGES].sort((a, b) => a.opId.localeCompare(b.opId)),
    );
  });

  it('sends no operational record to Sentinel', () => {
    expect(JSON.stringify(sentinelRows)).not.toMatch(/op-|operational/);
  });
});
