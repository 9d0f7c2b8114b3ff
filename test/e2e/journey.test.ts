// The journey of issue 15, with no hand edits, in a fresh HOME with a fresh ~/my-app: the user's
// own event → init --sample → validate → map (an OTLP/JSON line of that event) → connector --arm →
// the packages packed and installed in the app with the root README's block, run as written →
// `npx otel-sentinel emulator --definitions` on the ARM template connector wrote → the app logs
// the event through the exporter → the row, read back through the Log Analytics query API, is
// the row written here by hand.
// Needs the npm registry (the app's OpenTelemetry packages and the tarballs' dependencies).
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';
import { createProject, npmInstall, run } from './npm-install/npm-project.js';
import { machineNetwork, runClaimed, runText, sandbox } from './support/run-block.js';
import type { BlockResult } from './support/run-block.js';

const INSTALL_TIMEOUT_MS = 15 * 60_000;

/** The event of issue 15, as the user's app logs it today. */
const EVENT =
  '{"userId":"jdoe@example.com","action":"Read","entityType":"WeatherForecast","entityId":"42","timestamp":"2026-02-20T14:30:00.0000000Z","correlationId":"0HN8PQrst:00000001"}';

/** The same event as an OpenTelemetry log record in OTLP/JSON, written out by hand. */
const OTLP_LINE =
  '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1771597800000000000","eventName":"data_read","attributes":[' +
  '{"key":"security.event","value":{"boolValue":true}},{"key":"userId","value":{"stringValue":"jdoe@example.com"}},' +
  '{"key":"action","value":{"stringValue":"Read"}},{"key":"entityType","value":{"stringValue":"WeatherForecast"}},' +
  '{"key":"entityId","value":{"stringValue":"42"}},{"key":"correlationId","value":{"stringValue":"0HN8PQrst:00000001"}}]}]}]}]}';

/** The app: the event, logged as a security record through the exporter (its quick start's API). */
const APP = `import { readFileSync } from 'node:fs';
import { createSentinelLogging } from '@otel-sentinel/exporter';

const { timestamp, ...fields } = JSON.parse(readFileSync('event.json', 'utf8'));
const logging = await createSentinelLogging({ mapping: './mapping.yaml' });
logging.loggerProvider.getLogger('weather-api').emit({
  eventName: 'data_read',
  timestamp: new Date(timestamp),
  attributes: { 'security.event': true, ...fields },
});
await logging.shutdown();
`;

const box = sandbox();
const app = join(box.home, 'my-app');
/** The environment of a shell without this test's shims: the installed CLI is what npx runs. */
const plainEnv: NodeJS.ProcessEnv = {
  ...machineNetwork(),
  PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
  HOME: box.home,
  NO_COLOR: '1',
  // The user's npm cache, as their npm would use it.
  npm_config_cache: process.env['npm_config_cache'] ?? join(homedir(), '.npm'),
};
let emulator: ChildProcessWithoutNullStreams | undefined;

afterAll(() => {
  if (emulator?.pid !== undefined && emulator.exitCode === null) process.kill(-emulator.pid, 'SIGTERM');
  rmSync(box.root, { recursive: true, force: true });
});

function step(text: string): Promise<BlockResult> {
  return runText(box, text, { cwd: app });
}

describe('the first hour, from the sample event to its row in the emulator', () => {
  beforeAll(() => {
    createProject(app);
    writeFileSync(join(app, 'event.json'), `${EVENT}\n`);
    writeFileSync(join(app, 'logs.jsonl'), `${OTLP_LINE}\n`);
    writeFileSync(join(app, 'app.mjs'), APP);
  });

  it('init --sample writes a mapping, with a solution: section, that validate accepts with the variables unset', async () => {
    const init = await step('otel-sentinel init --sample event.json --out mapping.yaml');
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(join(app, 'mapping.yaml'), 'utf8')).toMatch(/^solution:$/m);
    const validate = await step('otel-sentinel validate mapping.yaml');
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/^mapping\.yaml is valid: 1 stream, 7 columns$/m);
    expect(validate.stderr).toContain('SENTINEL_DCE_ENDPOINT, SENTINEL_DCR_IMMUTABLE_ID are not set');
  });

  it('map turns the OTLP/JSON line of the event into the row', async () => {
    const map = await step('otel-sentinel map mapping.yaml --input logs.jsonl');
    expect(map.code, map.stderr).toBe(0);
    expect(map.stdout).toBe(
      '{"stream":"Custom-SecurityEvents","table":"SecurityEvents_CL","row":{"TimeGenerated":"2026-02-20T14:30:00.0000000Z","EventName":"data_read","UserId":"jdoe@example.com","Action":"Read","EntityType":"WeatherForecast","EntityId":"42","CorrelationId":"0HN8PQrst:00000001"}}\n',
    );
  });

  it('connector --arm writes the solution and the ARM template', async () => {
    const connector = await step('otel-sentinel connector mapping.yaml --out build/sentinel --arm');
    expect(connector.code, connector.stderr).toBe(0);
    expect(connector.stderr).toContain('every CCF check passed');
  });

  it(
    "the root README's block packs the packages and installs them in the app, as written",
    async () => {
      await runClaimed('root:install-tarballs', box, {
        cwd: ROOT,
        env: { npm_config_cache: plainEnv['npm_config_cache'] ?? '' },
        timeoutMs: INSTALL_TIMEOUT_MS,
      });
      // The exporter's quick start adds the OpenTelemetry SDK (optional peers of the exporter).
      await npmInstall(app, ['@opentelemetry/api@1.10.0', '@opentelemetry/sdk-logs@3.1.1']);
      const help = await run('npx', ['otel-sentinel', '--help'], { cwd: app, env: plainEnv });
      expect(help.stdout).toContain('Usage: otel-sentinel');
    },
    INSTALL_TIMEOUT_MS,
  );

  it('the app logs the event through the exporter to the emulator started on the ARM template, and the query API returns the row', async () => {
    const env = await startEmulator();
    const sent = Date.now();
    const logged = await run(process.execPath, ['app.mjs'], {
      cwd: app,
      env: { ...plainEnv, ...env, OTEL_SENTINEL_SPOOL_DIR: join(app, 'spool') },
    });
    expect({ code: logged.code, stderr: logged.stderr }).toEqual({ code: 0, stderr: '' });

    const credential = new ClientSecretCredential(
      env['AZURE_TENANT_ID'] ?? '',
      env['AZURE_CLIENT_ID'] ?? '',
      env['AZURE_CLIENT_SECRET'] ?? '',
      {
        authorityHost: env['AZURE_AUTHORITY_HOST'] ?? '',
        disableInstanceDiscovery: true,
        tlsOptions: { ca: readFileSync(env['NODE_EXTRA_CA_CERTS'] ?? '', 'utf8') },
      },
    );
    const query = new LogsQueryClient(credential, {
      endpoint: env['OTEL_SENTINEL_LOGS_QUERY_ENDPOINT'] ?? '',
      tlsOptions: { ca: readFileSync(env['NODE_EXTRA_CA_CERTS'] ?? '', 'utf8') },
    });
    const result = await query.queryWorkspace(env['OTEL_SENTINEL_WORKSPACE_ID'] ?? '', 'SecurityEvents_CL', {
      duration: 'PT1H',
    });
    expect(result.status).toBe('Success');
    const table = 'tables' in result ? result.tables[0] : undefined;
    const rows = (table?.rows ?? []).map((r) =>
      Object.fromEntries(table?.columnDescriptors.map((c, i) => [c.name, r[i]]) ?? []),
    );
    // The sample's time is more than 2 days old, so the service (and the emulator, like it) keeps
    // the time it received the row instead: packages/emulator/docs/ingestion.md.
    const received = rows[0]?.['TimeGenerated'];
    expect(
      received instanceof Date && received.getTime() >= sent - 1000 && received.getTime() <= Date.now(),
    ).toBe(true);
    expect(rows).toEqual([
      {
        TimeGenerated: received,
        EventName: 'data_read',
        UserId: 'jdoe@example.com',
        Action: 'Read',
        EntityType: 'WeatherForecast',
        EntityId: '42',
        CorrelationId: '0HN8PQrst:00000001',
        // Log Analytics' standard column: the table's name.
        Type: 'SecurityEvents_CL',
      },
    ]);
  });
});

/**
 * `npx otel-sentinel emulator --definitions build/sentinel/deploy/azuredeploy.json` in the app, as
 * the root README's Sentinel side writes it (on a free port, with its data in the app's folder);
 * resolves to the variables it prints.
 */
async function startEmulator(): Promise<Record<string, string>> {
  const child = spawn(
    'npx',
    [
      'otel-sentinel',
      'emulator',
      '--definitions',
      'build/sentinel/deploy/azuredeploy.json',
      '--port',
      '0',
      '--data',
      'emulator-data',
    ],
    // Its own process group: npx does not pass a signal on to the CLI it started.
    { cwd: app, env: plainEnv, detached: true },
  );
  emulator = child;
  let out = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stdout.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const lines = [...out.matchAll(/^export (\w+)=(.*)$/gm)];
      if (!out.includes('SENTINEL_DCR_IMMUTABLE_ID=')) return;
      resolve(Object.fromEntries(lines.map((m) => [m[1] ?? '', m[2] ?? ''])));
    });
    child.on('exit', (code) => {
      reject(new Error(`the emulator exited ${String(code)}:\n${out}`));
    });
  });
}
