// The distro app of azure-monitor-distro.test.ts with Sentinel played by the project's emulator in
// its strictest mode (a field the table does not declare, or of the wrong type, is answered 400),
// reached with a client secret through its Entra endpoint; App Insights stays the loopback stand-in.
// The rows are read back by querying the emulator and compared with rows written out by hand.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appInsightsEnvelopes, appInsightsMessages } from './distro/app-insights.js';
import { OPERATIONAL_MESSAGES, SECURITY_ROWS } from './distro/expected.js';
import { startRecordingHttpsServer } from './distro/recording-https-server.js';
import type { RecordingHttpsServer } from './distro/recording-https-server.js';
import { runDistroApp } from './distro/run-distro-app.js';

const MAPPING = new URL('distro/distro-mapping.yaml', import.meta.url).pathname;

let dir: string;
let emulator: RunningEmulator;
let appInsightsServer: RecordingHttpsServer;
let appInsights: unknown[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'distro-emulator-'));
  emulator = await startEmulator({
    mappings: [MAPPING],
    port: 0,
    inMemory: true,
    dataDir: dir,
    strict: true,
  });
  appInsightsServer = await startRecordingHttpsServer();
  // The child trusts both: the emulator's CA and the stand-in's certificate.
  const caFile = join(dir, 'trusted.pem');
  writeFileSync(caFile, `${emulator.caCertPem}\n${readFileSync(appInsightsServer.caFile, 'utf8')}`);
  const env = emulator.env();
  const sentinel = {
    SENTINEL_DCE_ENDPOINT: emulator.origin,
    SENTINEL_DCR_IMMUTABLE_ID: env.SENTINEL_DCR_IMMUTABLE_ID ?? '',
    AZURE_TENANT_ID: env.AZURE_TENANT_ID ?? '',
    AZURE_CLIENT_ID: env.AZURE_CLIENT_ID ?? '',
    AZURE_CLIENT_SECRET: env.AZURE_CLIENT_SECRET ?? '',
  };
  for (const args of [[], ['other-bridges']]) {
    const run = await runDistroApp(args, appInsightsServer.origin, caFile, sentinel);
    expect(run.output).toContain('distro-app done');
    expect(run.code).toBe(0);
  }
  appInsights = appInsightsEnvelopes(appInsightsServer.received);
});

afterAll(async () => {
  await appInsightsServer.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an app on the Azure Monitor distro with routeSecurityEvents(), Sentinel being the strict emulator', () => {
  // A string column the row did not carry reads as an empty string, as in Log Analytics.
  it('lands every security record of every source in the table, with the trace id of its span', () => {
    const table = emulator.query(
      'DistroSecurity_CL | project UserId, EventName, TraceId | order by UserId asc',
    );
    expect(table.rows).toEqual([
      ['user-emit-inside', 'authn_login_fail', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['user-emit-outside', 'authn_login_fail', ''],
      ['user-owasp-inside', 'authz_fail', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['user-owasp-outside', 'authn_login_fail', ''],
      ['user-pino-0.67-flat-inside', 'authn_token_reuse', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['user-pino-0.67-flat-outside', 'authn_token_reuse', ''],
      ['user-pino-0.67-nested-inside', 'authn_login_fail', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['user-pino-0.67-nested-outside', 'authn_login_fail', ''],
      ['user-pino-0.70-flat-inside', 'authn_token_reuse', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['user-pino-0.70-flat-outside', 'authn_token_reuse', ''],
      ['user-pino-0.70-nested-inside', 'authn_login_fail', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['user-pino-0.70-nested-outside', 'authn_login_fail', ''],
      ['user-winston-instrumentation-inside', 'authn_login_fail', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['user-winston-instrumentation-outside', 'authn_login_fail', ''],
      ['user-winston-transport-inside', 'authn_login_fail', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['user-winston-transport-outside', 'authn_login_fail', ''],
    ]);
  });

  it('stamps every row with the time its record was logged', () => {
    const table = emulator.query('DistroSecurity_CL | where isnull(TimeGenerated) | count');
    expect(table.rows).toEqual([[0]]);
  });

  it.each(SECURITY_ROWS.map((row) => row.UserId))(
    'keeps the security record of %s out of Application Insights',
    (userId) => {
      expect(appInsights.map((e) => JSON.stringify(e)).filter((e) => e.includes(userId))).toEqual([]);
    },
  );

  it('sends every operational record of every source to Application Insights, and none to Sentinel', () => {
    expect(appInsightsMessages(appInsights)).toEqual(
      [...OPERATIONAL_MESSAGES].sort((a, b) => a.opId.localeCompare(b.opId)),
    );
    expect(emulator.query('DistroSecurity_CL | where UserId !startswith "user-" | count').rows).toEqual([
      [0],
    ]);
  });
});
