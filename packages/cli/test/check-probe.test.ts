// `otel-sentinel check <mapping> --probe`: the built CLI gets a token from the emulator's Entra
// ID (DefaultAzureCredential from the AZURE_* variables) and sends each stream one empty request
// to the emulator in strict mode, which answers as the service does: 204, 401 (a token for
// another audience), 403 (the app lacks the role on the DCR), 404 (unknown DCR) and 400
// InvalidStream. A closed port stands in for an unreachable Entra ID. Expected lines by hand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '@otel-sentinel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from './support/run-cli.js';
import { runCliAsync } from './support/run-cli-async.js';
import { emulatorClientEnv } from './support/emulator-client-env.js';

const DCR = 'dcr-0123456789abcdef0123456789abcdef';
const UNKNOWN_DCR = 'dcr-ffffffffffffffffffffffffffffffff';

function mapping(dcr: string, stream: string): string {
  return `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT}
dcrImmutableId: ${dcr}
streams:
  - stream: ${stream}
    table: ProbeEvents_CL
    columns:
      TimeGenerated: { from: timestamp, type: datetime }
      UserId: { from: "attributes['user.id']", type: string }
`;
}

let emulator: RunningEmulator;
let dir: string;
let host: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-check-probe-'));
  writeFileSync(join(dir, 'mapping.yaml'), mapping(DCR, 'Custom-ProbeEvents'));
  writeFileSync(join(dir, 'unknown-dcr.yaml'), mapping(UNKNOWN_DCR, 'Custom-ProbeEvents'));
  writeFileSync(join(dir, 'unknown-stream.yaml'), mapping(DCR, 'Custom-Nope'));
  emulator = await startEmulator({
    mappings: [join(dir, 'mapping.yaml')],
    port: 0,
    inMemory: true,
    strict: true,
    dataDir: dir,
    env: { SENTINEL_DCE_ENDPOINT: 'https://127.0.0.1' },
  });
  host = `127.0.0.1:${emulator.port}`;
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The emulator's variables, as a user exports them after `otel-sentinel emulator`. */
function emulatorEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...emulatorClientEnv(emulator), SENTINEL_DCE_ENDPOINT: emulator.origin, ...extra };
}

function run(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return runCliAsync(args, dir, env);
}

const TOKEN_LINE = 'token: got a token for https://monitor.azure.com/.default';

describe('check --probe', () => {
  it('says every stream would take rows, and stores nothing', async () => {
    const r = await run(['check', 'mapping.yaml', '--probe'], emulatorEnv());
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      TOKEN_LINE,
      `Custom-ProbeEvents on ${DCR} at ${host}: ready (204)`,
      'mapping.yaml (1 stream) probed: every stream would take rows',
      '',
    ]);
    expect(r.status).toBe(0);
    expect(Number(emulator.query('ProbeEvents_CL | count').rows[0]?.[0])).toBe(0);
  });

  it('names the DCR id and the region for a 404', async () => {
    const r = await run(['check', 'unknown-dcr.yaml', '--probe'], emulatorEnv());
    expect(r.stdout.split('\n')).toEqual([
      TOKEN_LINE,
      `Custom-ProbeEvents on ${UNKNOWN_DCR} at ${host}: HTTP 404 NotFound: ${host} knows no DCR ${UNKNOWN_DCR}: ` +
        "check the DCR immutable id (SENTINEL_DCR_IMMUTABLE_ID, dcr-…, not the resource name) and that the endpoint is in the DCR's region",
      'unknown-dcr.yaml (1 stream) probed: rows would not be delivered',
      '',
    ]);
    expect(r.status).toBe(2);
  });

  it("names the DCR's stream declarations for InvalidStream", async () => {
    const r = await run(['check', 'unknown-stream.yaml', '--probe'], emulatorEnv());
    expect(r.stdout.split('\n')[1]).toBe(
      `Custom-Nope on ${DCR} at ${host}: HTTP 400 InvalidStream: ${DCR} declares no stream Custom-Nope: ` +
        "the stream in the mapping must be one of the DCR's streamDeclarations (Custom-…)",
    );
    expect(r.status).toBe(2);
  });

  it('names the Monitoring Metrics Publisher role for a 403', async () => {
    const clients = emulator.catalog.dcrs.get(DCR)?.allowedClients as Set<string>;
    const allowed = [...clients];
    clients.clear();
    try {
      const r = await run(['check', 'mapping.yaml', '--probe'], emulatorEnv());
      expect(r.stdout.split('\n')[1]).toBe(
        `Custom-ProbeEvents on ${DCR} at ${host}: HTTP 403 OperationFailed: the identity has no right to send to ${DCR}: ` +
          'give it the Monitoring Metrics Publisher role on that DCR (a new role assignment can take up to 30 minutes to apply)',
      );
      expect(r.status).toBe(2);
    } finally {
      for (const c of allowed) clients.add(c);
    }
  });

  it('names the audience for a 401', async () => {
    const r = await run(
      ['check', 'mapping.yaml', '--probe'],
      emulatorEnv({ OTEL_SENTINEL_AUDIENCE: 'https://api.loganalytics.io' }),
    );
    expect(r.stdout.split('\n')).toEqual([
      'token: got a token for https://api.loganalytics.io/.default',
      `Custom-ProbeEvents on ${DCR} at ${host}: HTTP 401 AuthenticationFailed: the Logs Ingestion endpoint ${host} refused the token: ` +
        "check the audience (OTEL_SENTINEL_AUDIENCE, default https://monitor.azure.com) and that the identity is in the DCR's tenant",
      'mapping.yaml (1 stream) probed: rows would not be delivered',
      '',
    ]);
    expect(r.status).toBe(2);
  });

  it('says "connection refused … (token endpoint)" when Entra ID cannot be reached, not an authentication failure', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    const r = await run(
      ['check', 'mapping.yaml', '--probe', '--json'],
      emulatorEnv({ AZURE_AUTHORITY_HOST: `https://127.0.0.1:${port}` }),
    );
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      token: { cause: string; line: string };
      streams: [];
    };
    expect(report.ok).toBe(false);
    expect(report.token.cause).toBe('connection-refused');
    expect(report.token.line).toContain(`no token: connection refused to 127.0.0.1:${port} (token endpoint)`);
    expect(r.stdout).not.toContain(emulator.env().AZURE_CLIENT_SECRET ?? 'no secret');
    expect(report.streams).toEqual([]);
    expect(r.status).toBe(2);
  });

  it('stops with exit 1 and names the variable when the endpoint is not set, sending nothing', async () => {
    const env = emulatorEnv();
    delete env.SENTINEL_DCE_ENDPOINT;
    const r = await run(['check', 'mapping.yaml', '--probe'], env);
    expect(r.stderr).toContain(
      'mapping.yaml:2:11: error: environment variable SENTINEL_DCE_ENDPOINT is not set',
    );
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
  });

  it('refuses --probe with --against', async () => {
    const r = await run(['check', 'mapping.yaml', '--probe', '--against', 'live'], emulatorEnv());
    expect(r.stderr).toContain('give one of them');
    expect(r.status).toBe(1);
  });
});
