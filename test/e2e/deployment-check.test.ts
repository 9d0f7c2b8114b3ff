// The exporter's start-up deployment check, live: the connector's deploymentCheck reads the DCR
// and the table the emulator hosts with @azure/arm-monitor and @azure/arm-operationalinsights
// over TLS, and the exporter reports what differs from its own mapping through diag and stats.
// The findings are written out here by hand.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { deploymentCheck } from '@otel-sentinel/connector';
import type { LiveCheckOptions } from '@otel-sentinel/connector';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { SentinelLogExporter } from '@otel-sentinel/exporter';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialFor } from './emulator-credential.js';

// What is deployed: UserId a string, no Country.
const DEPLOYED = `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT}
dcrImmutableId: \${SENTINEL_DCR_IMMUTABLE_ID}
streams:
  - stream: Custom-AppEvents
    table: AppEvents_CL
    columns:
      TimeGenerated: { from: timestamp, type: datetime }
      UserId: { from: "attributes['user.id']", type: string }
      Status: { from: "attributes['http.status']", type: int }
`;

// What the app now sends: UserId as long, and a Country column the DCR never declared.
const APP = `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT}
dcrImmutableId: \${SENTINEL_DCR_IMMUTABLE_ID}
streams:
  - stream: Custom-AppEvents
    table: AppEvents_CL
    columns:
      TimeGenerated: { from: timestamp, type: datetime }
      UserId: { from: "attributes['user.id']", type: long }
      Status: { from: "attributes['http.status']", type: int }
      Country: { from: "attributes['geo']", type: string }
`;

const running: { close(): Promise<void> }[] = [];
const logged: [string, string][] = [];
afterEach(async () => {
  diag.disable();
  logged.length = 0;
  while (running.length > 0) await running.pop()?.close();
});

function captureDiag(): void {
  const at =
    (level: string) =>
    (...args: unknown[]): void => {
      logged.push([level, args.map(String).join(' ')]);
    };
  diag.setLogger(
    {
      error: at('error'),
      warn: at('warn'),
      info: at('info'),
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.INFO,
  );
}

async function setUp(): Promise<{ e: RunningEmulator; appMapping: string; deployed: string; dcr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'deployment-check-'));
  writeFileSync(join(dir, 'deployed.yaml'), DEPLOYED);
  writeFileSync(join(dir, 'app.yaml'), APP);
  const e = await startEmulator({
    mappings: [join(dir, 'deployed.yaml')],
    port: 0,
    inMemory: true,
    dataDir: join(dir, 'emulator'),
    strict: true,
  });
  running.push(e);
  return {
    e,
    appMapping: join(dir, 'app.yaml'),
    deployed: join(dir, 'deployed.yaml'),
    dcr: e.env().SENTINEL_DCR_IMMUTABLE_ID ?? '',
  };
}

function live(e: RunningEmulator, dcrName: string): LiveCheckOptions {
  const scope = {
    subscriptionId: '00000000-0000-4000-8000-00000000e3a5',
    resourceGroup: 'otel-sentinel-emulator',
  };
  return {
    against: 'live',
    dcr: { ...scope, name: dcrName },
    workspace: { ...scope, name: 'otel-sentinel-emulator' },
    managementEndpoint: e.origin,
    credential: credentialFor(e),
    clientOptions: { tlsOptions: { ca: e.caCertPem } },
  };
}

describe("the exporter's start-up check against the emulator's DCR and table", () => {
  it('reports each drift at the mapping file:line:col through diag, and counts it in stats', async () => {
    const { e, appMapping, dcr } = await setUp();
    captureDiag();
    const exporter = new SentinelLogExporter({
      mapping: appMapping,
      env: e.env(),
      credential: credentialFor(e),
      clientOptions: { tlsOptions: { ca: e.caCertPem } },
      spool: false,
      // The deployment check's lines only: the start-up probe of the streams says its own.
      startupCheck: false,
      deploymentCheck: deploymentCheck(live(e, dcr)),
    });
    running.push({ close: () => exporter.shutdown() });

    const result = await exporter.deploymentCheck();

    const userId =
      `UserId is sent as long but stream Custom-AppEvents of DCR ${dcr} declares it string: stored as text (the value written out; assumed), ` +
      "so queries must convert it back. Make the mapping's type and the declaration agree";
    const country =
      `Country is not declared in stream Custom-AppEvents of DCR ${dcr}: the service drops the field as rows arrive, so every Country value is lost. ` +
      'Declare { "name": "Country", "type": "string" } in the stream (redeploy the DCR from this mapping), or remove the column';
    expect(result).toEqual({
      status: 'done',
      dataLoss: true,
      findings: [
        {
          severity: 'warning',
          code: 'W_STREAM_TYPE',
          message: userId,
          path: 'streams[0].columns.UserId.type',
          file: appMapping,
          line: 9,
          column: 54,
        },
        {
          severity: 'error',
          code: 'E_NOT_IN_STREAM',
          message: country,
          path: 'streams[0].columns.Country',
          file: appMapping,
          line: 11,
          column: 7,
        },
      ],
    });
    expect(logged).toEqual([
      [
        'warn',
        `@otel-sentinel/exporter deployment check: ${appMapping}:9:54: warning: ${userId} (W_STREAM_TYPE at streams[0].columns.UserId.type)`,
      ],
      [
        'error',
        `@otel-sentinel/exporter deployment check: ${appMapping}:11:7: error: ${country} (E_NOT_IN_STREAM at streams[0].columns.Country)`,
      ],
      ['error', '@otel-sentinel/exporter deployment check: 1 error, 1 warning; values would be lost'],
    ]);
    expect(exporter.stats()).toMatchObject({
      deploymentCheck: 'done',
      deploymentFindings: { error: 1, warning: 1 },
    });
  });

  it('says once at WARN why a check that cannot read the DCR did not run, and exports as usual', async () => {
    const { e, deployed } = await setUp();
    captureDiag();
    // The mapping that is deployed: the emulator takes its rows as they are.
    const exporter = new SentinelLogExporter({
      mapping: deployed,
      env: e.env(),
      credential: credentialFor(e),
      clientOptions: { tlsOptions: { ca: e.caCertPem } },
      spool: false,
      // The deployment check's lines only: the start-up probe of the streams says its own.
      startupCheck: false,
      deploymentCheck: deploymentCheck(live(e, 'dcr-ffffffffffffffffffffffffffffffff')),
    });
    running.push({ close: () => exporter.shutdown() });

    const exported = await new Promise((resolve) => {
      exporter.export(
        [
          {
            eventName: 'login',
            attributes: { 'security.event': true, 'user.id': 'alice' },
            hrTime: [Math.floor(Date.now() / 1000), 0],
          },
        ],
        resolve,
      );
    });
    const result = await exporter.deploymentCheck();

    expect(exported).toEqual({ code: 0 });
    expect(exporter.stats()).toMatchObject({
      rowsExported: 1,
      deploymentCheck: 'failed',
      deploymentFindings: {},
    });
    const reason =
      'DCR dcr-ffffffffffffffffffffffffffffffff (resource group otel-sentinel-emulator, subscription 00000000-0000-4000-8000-00000000e3a5) ' +
      'was not found: check the name, resource group and subscription';
    expect(result).toEqual({ status: 'failed', reason });
    expect(logged).toEqual([
      [
        'warn',
        `@otel-sentinel/exporter deployment check could not run: ${reason}; the exporter sends as usual`,
      ],
    ]);
  });
});
