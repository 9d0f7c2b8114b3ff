// `otel-sentinel emulator` starts, prints what a client needs, and stops on SIGINT;
// `otel-sentinel emulator query` reads the store it left.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchTrusting } from './support/fetch-trusting.js';
import { PACKAGE_DIR, runCli, tempDir } from './support/run-cli.js';
import { startCli } from './support/start-cli.js';
import type { Started } from './support/start-cli.js';

const MAPPING = join(PACKAGE_DIR, '../../examples/mappings/app-security.yaml');
const DEFINITIONS = join(PACKAGE_DIR, '../emulator/test/fixtures/definitions');
const SOLUTION = join(DEFINITIONS, 'solution/Solutions/Acme');

/** Starts `otel-sentinel emulator <args> --port 0` and waits for the variables it prints. */
async function startEmulator(args: readonly string[], home: string): Promise<Started> {
  return startCli(['emulator', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home },
    until: 'export SENTINEL_DCE_ENDPOINT=',
  });
}

async function stopped(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.on('exit', resolve));
  started.child.kill('SIGINT');
  return exited;
}

describe('emulator', () => {
  it('serves the console by default and prints its URL', async () => {
    const data = tempDir();
    const started = await startEmulator(
      ['--quiet', '--in-memory', '--mapping', MAPPING, '--data', data],
      data,
    );
    const url = /^# Console: (https:\/\/127\.0\.0\.1:\d+\/console\/) /m.exec(started.out)?.[1];
    const ca = /^export NODE_EXTRA_CA_CERTS=(.*)$/m.exec(started.out)?.[1];
    expect(url).toBeDefined();
    const page = await fetchTrusting(url ?? '', ca ?? '');
    expect(page.status).toBe(200);
    expect(page.body).toContain('otel-sentinel console');
    expect(await stopped(started)).toBe(0);
  });

  it('serves no console with --no-console', async () => {
    const data = tempDir();
    const started = await startEmulator(
      ['--quiet', '--in-memory', '--no-console', '--mapping', MAPPING, '--data', data],
      data,
    );
    expect(started.out).not.toContain('Console:');
    const origin = /listening on (https:\/\/\S+)/.exec(started.out)?.[1] ?? '';
    const ca = /^export NODE_EXTRA_CA_CERTS=(.*)$/m.exec(started.out)?.[1] ?? '';
    expect((await fetchTrusting(`${origin}/console/`, ca)).status).toBe(404);
    expect(await stopped(started)).toBe(0);
  });

  it('projects the cost view at --price-per-gb in --currency', async () => {
    const data = tempDir();
    const started = await startEmulator(
      [
        '--quiet',
        '--in-memory',
        '--price-per-gb',
        '2.5',
        '--currency',
        'eur',
        '--mapping',
        MAPPING,
        '--data',
        data,
      ],
      data,
    );
    const origin = /listening on (https:\/\/\S+)/.exec(started.out)?.[1] ?? '';
    const ca = /^export NODE_EXTRA_CA_CERTS=(.*)$/m.exec(started.out)?.[1] ?? '';
    const cost = await fetchTrusting(`${origin}/console/api/cost`, ca);
    expect(cost.status).toBe(200);
    expect(JSON.parse(cost.body)).toMatchObject({ estimate: true, price: { perGb: 2.5, currency: 'EUR' } });
    expect(await stopped(started)).toBe(0);
  });

  it('refuses a --price-per-gb that is not a price in one line naming the flag', () => {
    const r = runCli([
      'emulator',
      '--port',
      '0',
      '--in-memory',
      '--mapping',
      MAPPING,
      '--price-per-gb',
      'five',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'otel-sentinel: --price-per-gb "five": give your price per GB ingested as a number of 0 or more, e.g. --price-per-gb 5.2\n',
    );
  });

  it('prints the variables a client needs, stops on SIGINT, and leaves a store that query reads', async () => {
    const data = tempDir();
    const { child, out } = await startEmulator(['--quiet', '--mapping', MAPPING, '--data', data], data);
    expect(out).toMatch(/^# otel-sentinel emulator listening on https:\/\/127\.0\.0\.1:\d+/m);
    expect(out).toMatch(/^export NODE_EXTRA_CA_CERTS=.*ca\.pem$/m);
    expect(out).toMatch(/^export AZURE_CLIENT_SECRET=\S+$/m);
    expect(out).toMatch(/Custom-AppAuthEvents/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);

    const q = runCli(['emulator', 'query', 'AppAuthEvents_CL | count', '--data', data]);
    expect(q.status).toBe(0);
    expect(q.stdout).toMatch(/Count\s*\n-+\s*\n0\s*\n\(1 row\)/);

    const bad = runCli([
      'emulator',
      'query',
      'AppAuthEvents_CL | evaluate bag_unpack(Extra)',
      '--data',
      data,
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^otel-sentinel: .*evaluate/);
  });

  it('serves DCR and table JSON given with --definitions, logging each DCR and its immutable id', async () => {
    const data = tempDir();
    const { child, out, err } = await startEmulator(
      ['--in-memory', '--definitions', SOLUTION, '--data', data],
      data,
    );
    expect(out).toMatch(/^# {3}dcr-0{32} {2}Custom-AcmeAuth$/m);
    expect(out).toMatch(/^# {3}dcr-0{32} {2}Custom-AcmeAudit$/m);
    expect(out).toMatch(/^export SENTINEL_DCR_IMMUTABLE_ID=dcr-0{32}$/m);
    // 'close' comes once stderr is drained too, so the start-up lines are all in.
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(err()).toContain(
      `DCR AcmePushDCR (${join(SOLUTION, 'Data Connectors/Acme_ccf/DCR.json')}) → dcr-${'0'.repeat(32)}`,
    );
  });

  it('asks for --mapping or --definitions when given neither', () => {
    const r = runCli(['emulator', '--port', '0', '--in-memory', '--data', tempDir()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^otel-sentinel: say what to serve: --mapping <file\.\.\.> .*--definitions <path\.\.\.>/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses definitions it cannot serve in one line naming the file and the fix', () => {
    const dcr = join(SOLUTION, 'Data Connectors/Acme_ccf/DCR.json');
    const r = runCli(['emulator', '--port', '0', '--in-memory', '--definitions', dcr, '--data', tempDir()]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      `otel-sentinel: ${dcr}, $[0].properties.dataFlows[0].outputStream: Custom-AcmeAuth_CL writes to table AcmeAuth_CL, ` +
        'which none of the definitions defines: add its table JSON to the definitions (--definitions)',
    );
  });

  it('refuses a DCR immutable id from the environment that cannot be one, in one line naming the variable', () => {
    const r = runCli(
      ['emulator', '--port', '0', '--in-memory', '--definitions', SOLUTION, '--data', tempDir()],
      {
        env: { SENTINEL_DCR_IMMUTABLE_ID: 'dcr 1/2' },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      'otel-sentinel: SENTINEL_DCR_IMMUTABLE_ID: "dcr 1/2" cannot be a DCR immutable id; use dcr- and 32 hex digits',
    );
  });

  it('says where the store should be when there is none', () => {
    const data = tempDir();
    const r = runCli(['emulator', 'query', 'T | count', '--data', data]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^otel-sentinel: no emulator store in /);
  });
});
