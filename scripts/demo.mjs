// `pnpm demo`: the example app against the local Sentinel emulator, with the real Azure SDK
// clients and nothing but Node. It starts the emulator (in this process), starts the example
// app with the emulator's variables, drives a scripted scenario over HTTP, stops the app (which
// flushes its security events), then prints what landed in the Sentinel tables and shows that
// the operational logs did not. Everything it starts, it stops.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const emulatorDist = join(root, 'packages/emulator/dist/index.js');
const appMain = join(root, 'examples/audit-app/dist/main.js');
const mapping = join(root, 'examples/audit-app/mapping/security-mapping.yaml');

for (const file of [emulatorDist, appMain]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`pnpm build\` (or \`./dev demo\`) first`);
    process.exit(1);
  }
}

const say = (text = '') => process.stdout.write(`${text}\n`);
const step = (text) => say(`\n▸ ${text}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function table(result, columns) {
  const idx = columns.map((c) => result.columns.findIndex((x) => x.name === c));
  const rows = result.rows.map((r) =>
    idx.map((i) => (i < 0 || r[i] === null || r[i] === undefined ? '' : String(r[i]).slice(0, 40))),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    '  ' +
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  say(line(columns));
  say(line(widths.map((w) => '─'.repeat(w))));
  for (const r of rows) say(line(r));
}

const work = mkdtempSync(join(tmpdir(), 'otel-sentinel-demo-'));
const { startEmulator } = await import(emulatorDist);
let app;
let emulator;
try {
  step(
    'starting the local Sentinel emulator (Entra ID, Logs Ingestion, Log Analytics query; HTTPS on 127.0.0.1)',
  );
  emulator = await startEmulator({ mappings: [mapping], port: 0, dataDir: join(work, 'emulator') });
  const env = emulator.env();
  say(
    `  ${emulator.origin} — DCR ${env.SENTINEL_DCR_IMMUTABLE_ID}, tables ${[...emulator.catalog.tables.keys()].join(', ')}`,
  );

  step('starting the example app (examples/audit-app) with the emulator as its Sentinel workspace');
  const port = await freePort();
  let operationalOut = '';
  app = spawn(process.execPath, [appMain], {
    cwd: join(root, 'examples/audit-app'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? work,
      ...env,
      PORT: String(port),
      OTEL_SENTINEL_HASH_KEY: randomBytes(32).toString('hex'),
      OTEL_SENTINEL_SPOOL_DIR: join(work, 'spool'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  app.stdout.on('data', (chunk) => (operationalOut += chunk));
  const exited = new Promise((resolve) => app.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/api/invoices/inv-1001`);
      break;
    } catch {
      if (i > 100) throw new Error('the example app did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  say(`  ${base}`);

  step(
    'driving a scripted scenario: sign-ins, a lockout, an authorization failure, audited reads and updates',
  );
  const post = (path, body, headers = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const show = async (label, res) => say(`  ${String(res.status).padEnd(4)} ${label}`);
  await show(
    'bob signs in with a wrong password',
    await post('/login', { username: 'bob', password: 'nope' }),
  );
  const ok = await post('/login', { username: 'bob', password: 'bob-demo-password' });
  const { sessionId } = await ok.json();
  await show('bob signs in', ok);
  const auth = { authorization: `Bearer ${sessionId}` };
  await show(
    'bob reads invoice inv-1001',
    await fetch(`${base}/api/invoices/inv-1001`, { headers: { ...auth, 'x-correlation-id': 'demo-req-1' } }),
  );
  await show(
    'bob creates an invoice',
    await post(
      '/api/invoices',
      { customer: 'Wide World Importers', amountCents: 31500, currency: 'EUR' },
      { ...auth, 'x-audit-reason': 'order 5521' },
    ),
  );
  await show(
    'bob marks inv-1002 paid',
    await fetch(`${base}/api/invoices/inv-1002`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'paid' }),
    }),
  );
  await show('bob (a clerk) calls an admin route', await fetch(`${base}/admin/users`, { headers: auth }));
  for (let i = 1; i <= 3; i++)
    await show(`alice: wrong password ${i}/3`, await post('/login', { username: 'alice', password: 'x' }));
  await show(
    'alice, locked out, tries again',
    await post('/login', { username: 'alice', password: 'alice-demo-password' }),
  );

  step('stopping the app: its logging shutdown sends the queued security events');
  app.kill('SIGTERM');
  await exited;
  app = undefined;

  for (const name of emulator.catalog.tables.keys()) {
    step(`${name} in the emulator's workspace`);
    const result = emulator.query(`${name} | sort by TimeGenerated asc`);
    const columns = name.includes('Audit')
      ? ['TimeGenerated', 'EventName', 'ActorUserId', 'Operation', 'ObjectId', 'CorrelationId']
      : ['TimeGenerated', 'EventName', 'EventResult', 'ActorUserId', 'SrcIpAddr', 'SessionHash'];
    table(result, columns);
  }

  const operational = (operationalOut.match(/body: /g) ?? []).length;
  const leaked = [...emulator.catalog.tables.keys()]
    .map((t) =>
      Number(
        emulator.query(
          `${t} | where EventMessage has "request done" or EventMessage has "cache warmed" | count`,
        ).rows[0]?.[0] ?? 0,
      ),
    )
    .reduce((a, b) => a + b, 0);
  step('operational logs');
  say(
    `  ${operational} operational records went to the console (Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set);`,
  );
  say(
    `  ${leaked} of them landed in Sentinel. Session ids arrive only as HMAC hashes; no password is logged anywhere.`,
  );
  say(`\nTry it yourself: otel-sentinel emulator --mapping examples/audit-app/mapping/security-mapping.yaml`);
} finally {
  if (app) app.kill('SIGKILL');
  if (emulator) await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
