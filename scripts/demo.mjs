// `pnpm demo`: the example app against the local Sentinel emulator, with the real Azure SDK
// clients and nothing but Node. It starts the emulator (in this process) and the example app
// (instrumented with @otel-sentinel/owasp), drives the app's scripted scenario over HTTP — ordinary
// work, then one incident for each detection in packages/owasp/detections — and stops the app,
// which flushes its security events. Then it shows rows of OwaspSecurityEvents_CL, runs every
// detection's query against the emulator's Log Analytics workspace and says whom each one caught,
// waits for the emulator's own scheduler to run each rule and raise its incident, which a local
// webhook receives, and shows that the operational logs did not reach Sentinel. The emulator serves
// its console (https://127.0.0.1:<port>/console/) the whole time; in a terminal, the demo keeps it
// running until Ctrl+C. Everything it starts, it stops.
import { createHmac, randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const started = performance.now();
const root = fileURLToPath(new URL('..', import.meta.url));
const emulatorDist = join(root, 'packages/emulator/dist/index.js');
const scenarioDist = join(root, 'examples/audit-app/dist/scenario/index.js');
const mapping = join(root, 'examples/audit-app/mapping/security-mapping.yaml');
const detections = join(root, 'packages/owasp/detections');
const TABLE = 'OwaspSecurityEvents_CL';
// The emulator runs every rule this often in the demo (a local override: the rules say 1h, and
// Sentinel's minimum is 5 minutes), so each fires on a scheduled run within seconds.
const FREQUENCY_SECONDS = 10;

for (const file of [emulatorDist, scenarioDist, join(root, 'examples/audit-app/dist/main.js')]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`pnpm build\` (or \`./dev demo\`) first`);
    process.exit(1);
  }
}

// The YAML parser the mapping package already depends on: the rules are YAML files.
const { parse: parseYaml } = createRequire(join(root, 'packages/mapping/package.json'))('yaml');
const { startEmulator } = await import(emulatorDist);
const { runScenario, scriptedIncidents, startAppProcess, statusSummary } = await import(scenarioDist);

const say = (text = '') => process.stdout.write(`${text}\n`);
const step = (text) => say(`\n▸ ${text}`);
const cell = (value) => {
  if (value === null || value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
};

function table(rows, columns) {
  const cells = rows.map((row) => columns.map(([name, width]) => cell(row[name]).slice(0, width)));
  const widths = columns.map(([name], i) => Math.max(name.length, ...cells.map((r) => r[i].length)));
  const line = (parts) => `  ${parts.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  say(line(columns.map(([name]) => name)));
  say(line(widths.map((w) => '─'.repeat(w))));
  for (const r of cells) say(line(r));
}

/** A query result as objects, one per row. */
function objects(result) {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

/** The rule's alert title for one result row: its alertDisplayNameFormat with {{Column}} filled in. */
function alertTitle(rule, row) {
  const format = rule.alertDetailsOverride?.alertDisplayNameFormat ?? rule.name;
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, column) => cell(row[column]) || '?');
}

/** Whether the rows are exactly the incident's: as many, and each expected row matched by its own row. */
function isIncident(rows, incident) {
  if (incident === undefined || rows.length !== incident.rows.length) return false;
  const left = [...rows];
  return incident.rows.every((expected) => {
    const i = left.findIndex((row) => Object.entries(expected).every(([k, v]) => row[k] === v));
    return i >= 0 && left.splice(i, 1).length === 1;
  });
}

/**
 * A local stand-in for the Logic App a Sentinel automation rule would call: it keeps each incident
 * the emulator posts and answers 200. `onIncident` hears each one as it arrives.
 */
async function startWebhook() {
  const received = [];
  const hook = { url: '', received, onIncident: undefined };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const incident = body?.object?.properties;
      if (incident !== undefined) {
        received.push(incident);
        hook.onIncident?.(incident);
      }
      res.writeHead(incident === undefined ? 400 : 200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${server.address().port}/sentinel-incident`;
  hook.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return hook;
}

const webhookLine = (incident) =>
  `  webhook ← incident #${incident.incidentNumber} (${incident.severity}): ${incident.title}`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every rule raised an alert on a scheduled run and the webhook received every
 * incident so far, or until `deadline`; returns the rules with their scheduled alerts.
 */
async function scheduledFirings(engine, hook, deadline) {
  for (;;) {
    const scheduled = engine.alerts().filter((a) => a.trigger === 'scheduled');
    const firings = engine.rules().map((rule) => ({
      rule,
      alerts: scheduled.filter((a) => a.ruleId === rule.id),
    }));
    const delivered = new Set(hook.received.map((i) => i.incidentNumber));
    const allFired = firings.every((f) => f.alerts.length > 0);
    const allDelivered = engine.incidents().every((i) => delivered.has(i.incidentNumber));
    if ((allFired && allDelivered) || performance.now() > deadline) return firings;
    await sleep(250);
  }
}

/** Resolves on Ctrl+C (SIGINT) or SIGTERM. */
function untilInterrupted() {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

const work = mkdtempSync(join(tmpdir(), 'otel-sentinel-demo-'));
let app;
let emulator;
let hook;
let ok = true;
try {
  step(
    'starting the local Sentinel emulator (Entra ID, Logs Ingestion, Log Analytics query, its console; HTTPS on 127.0.0.1)',
  );
  hook = await startWebhook();
  emulator = await startEmulator({
    mappings: [mapping],
    port: 0,
    inMemory: true,
    dataDir: join(work, 'emulator'),
    console: true,
    rules: [detections],
    detections: { frequency: `PT${FREQUENCY_SECONDS}S` },
    automation: [{ url: hook.url }],
  });
  const env = emulator.env();
  say(
    `  ${emulator.origin} — DCR ${env.SENTINEL_DCR_IMMUTABLE_ID}, table ${[...emulator.catalog.tables.keys()].join(', ')}`,
  );
  say(`  Console: ${emulator.origin}/console/`);
  say(
    '  (a certificate of this run\'s own local CA: accept the browser\'s warning, or see docs/console.md, "Certificate")',
  );
  say(
    `  Each rule of packages/owasp/detections runs every ${FREQUENCY_SECONDS} s; each incident is posted to a webhook here, ${hook.url}`,
  );

  step('starting the example app (examples/audit-app, instrumented with @otel-sentinel/owasp) against it');
  const hashKey = randomBytes(32).toString('hex');
  app = await startAppProcess({
    ...env,
    HOME: process.env.HOME ?? work,
    OTEL_SENTINEL_HASH_KEY: hashKey,
    OTEL_SENTINEL_SPOOL_DIR: join(work, 'spool'),
    // At shutdown the app reports what its exporter kept out of Sentinel to the console's cost view.
    OTEL_SENTINEL_COST_REPORT_URL: `${emulator.origin}/console/api/operational-volume`,
  });
  say(`  ${app.baseUrl}, behind a proxy it trusts: each client's address arrives in X-Forwarded-For`);

  step('driving the scenario over HTTP: a morning of ordinary work, then one incident per detection');
  const result = await runScenario(app.baseUrl, {
    onScene: (scene) => {
      const rule = scene.rule === undefined ? 'benign' : `→ ${scene.rule.replace(/\.yaml$/, '')}`;
      const waited =
        scene.waitedMs > 0 ? `, after ${(scene.waitedMs / 1000).toFixed(1)} s for a fresh window` : '';
      say(`  ${rule.padEnd(32)} ${scene.title} [${statusSummary(scene.statuses)}${waited}]`);
    },
  });

  step('stopping the app: its logging shutdown sends the queued security events');
  const exit = await app.stop();
  app = undefined;
  if (exit.code !== 0) throw new Error(`the app exited with ${exit.code}: ${exit.stderr}`);

  const rows = objects(emulator.query(`${TABLE} | sort by TimeGenerated asc`));
  step(`${TABLE} in the emulator's workspace: ${rows.length} rows; the first of each event type`);
  const firstOfEach = new Map();
  for (const row of rows)
    if (!firstOfEach.has(row.EventOriginalType)) firstOfEach.set(row.EventOriginalType, row);
  table(
    [...firstOfEach.values()].map((r) => ({ ...r, TimeGenerated: cell(r.TimeGenerated).slice(11, 19) })),
    [
      ['TimeGenerated', 8],
      ['EventOriginalType', 28],
      ['EventSeverity', 13],
      ['EventResult', 7],
      ['ActorUserId', 12],
      ['SrcIpAddr', 15],
      ['HttpRequestMethod', 6],
      ['Url', 30],
      ['Object', 24],
      ['SessionHash', 12],
    ],
  );

  const files = readdirSync(detections)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  step(
    `running the ${files.length} analytic rules of packages/owasp/detections against the workspace (Log Analytics query API)`,
  );
  const incidents = new Map(scriptedIncidents(result).map((i) => [i.rule, i]));
  let found = 0;
  let alerts = 0;
  const several = [];
  const rules = files.map((file) => [file, parseYaml(readFileSync(join(detections, file), 'utf8'))]);
  const width = Math.max(...rules.map(([, rule]) => rule.name.length));
  for (const [file, rule] of rules) {
    const fired = objects(emulator.query(rule.query));
    const right = isIncident(fired, incidents.get(file));
    if (right) found++;
    else ok = false;
    // Every rule here raises one alert per result row (aggregationKind: AlertPerResult), so a rule
    // whose incident is several events shows an alert for each, under its one line.
    alerts += fired.length;
    const mark = right ? '✔' : '✘';
    if (fired.length === 0) say(`  ${mark} ${rule.name}: did not fire`);
    else if (fired.length === 1) say(`  ${mark} ${rule.name.padEnd(width)}  ${alertTitle(rule, fired[0])}`);
    else {
      several.push(`${rule.name} returned ${fired.length}`);
      say(`  ${mark} ${rule.name}: ${fired.length} alerts, one per result row`);
      for (const row of fired) say(`      ${alertTitle(rule, row)}`);
    }
    if (!right) say(`      expected: ${JSON.stringify(incidents.get(file)?.rows ?? 'no scripted incident')}`);
  }
  say(`  ${found} of ${files.length} rules fired, each on its scripted incident and nothing else`);
  say(
    several.length === 0
      ? `  ${alerts} alerts, one per rule`
      : `  ${alerts} alerts: a rule raises one per row its query returns; ${several.join(', ')}`,
  );

  step(
    `the emulator's scheduler: each rule runs every ${FREQUENCY_SECONDS} s; waiting for each to fire on a scheduled run`,
  );
  // Four runs of every rule: a hang guard on a loaded machine, not a measure of speed.
  const firings = await scheduledFirings(
    emulator.detections,
    hook,
    performance.now() + 4 * FREQUENCY_SECONDS * 1000 + 20_000,
  );
  const onSchedule = firings.filter((f) => f.alerts.length > 0);
  for (const { rule, alerts: raised } of firings) {
    const numbers = [...new Set(raised.map((a) => a.incidentNumber).filter((n) => n !== undefined))];
    const where = `${numbers.length === 1 ? 'incident' : 'incidents'} ${numbers.map((n) => `#${n}`).join(', ')}`;
    if (raised.length === 0) say(`  ✘ ${rule.name}: no scheduled run raised an alert`);
    else say(`  ✔ ${rule.name.padEnd(width)}  → ${where}`);
  }
  if (onSchedule.length !== firings.length) ok = false;
  say(`  ${onSchedule.length} of ${firings.length} rules fired on their scheduled run`);
  const incidentsRaised = emulator.detections.incidents();
  for (const incident of [...hook.received].sort((a, b) => a.incidentNumber - b.incidentNumber))
    say(webhookLine(incident));
  const deliveredNumbers = new Set(hook.received.map((i) => i.incidentNumber));
  const undelivered = incidentsRaised.filter((i) => !deliveredNumbers.has(i.incidentNumber));
  if (undelivered.length > 0) ok = false;
  say(
    `  the webhook received ${incidentsRaised.length - undelivered.length} of ${incidentsRaised.length} incidents` +
      (undelivered.length > 0
        ? ` ✘ (missing ${undelivered.map((i) => `#${i.incidentNumber}`).join(', ')})`
        : ''),
  );

  step('operational logs and secrets');
  const operational = (exit.stdout.match(/body: /g) ?? []).length;
  const leaked = Number(
    emulator.query(
      `${TABLE} | where EventMessage has "request done" or EventMessage has "cache warmed" | count`,
    ).rows[0]?.[0] ?? 0,
  );
  const text = JSON.stringify(rows);
  const secrets = [...result.sessionIds.values(), result.token.secret].filter((s) => text.includes(s)).length;
  const bobHash = createHmac('sha256', hashKey)
    .update(result.sessionIds.get('bob') ?? '')
    .digest('hex');
  say(
    `  ${operational} operational records went to the console (Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set);`,
  );
  say(`  ${leaked} of them landed in Sentinel.`);
  say(
    `  ${secrets} session ids or API tokens appear in the table: sessions arrive as HMAC hashes (bob's: ${bobHash.slice(0, 12)}…), tokens by id.`,
  );
  if (leaked !== 0 || secrets !== 0) ok = false;
  const reported = emulator.cost.summary().operational;
  const kept = reported.reduce((sum, o) => sum + o.recordsFiltered, 0);
  const keptBytes = reported.reduce((sum, o) => sum + o.bytesFiltered, 0);
  say(
    reported.length === 0
      ? "  ✘ the app reported no operational volume to the console's cost view"
      : `  The app reported them to the console's cost view: ${kept} records, about ${keptBytes} bytes as Application Insights rows, kept out of the workspace.`,
  );
  if (reported.length === 0) ok = false;
  say(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  say(
    'Try it yourself: ./dev otel-sentinel emulator --mapping examples/audit-app/mapping/security-mapping.yaml',
  );
  say(
    '(./dev otel-sentinel runs the command line on the Node the demo used; eval "$(./dev env)" puts it on your PATH)',
  );
  if (process.stdout.isTTY && !process.env.CI) {
    say(
      `\nThe emulator and its console keep running: ${emulator.origin}/console/ — press Ctrl+C to stop them.`,
    );
    hook.onIncident = (incident) => say(webhookLine(incident));
    await untilInterrupted();
  }
} finally {
  app?.kill();
  if (emulator) await emulator.close();
  await hook?.close();
  rmSync(work, { recursive: true, force: true });
}
if (!ok) {
  console.error('the demo did not go as scripted: see the ✘ lines above');
  process.exitCode = 1;
}
