// `pnpm demo`: the example app against the local Sentinel emulator, with the real Azure SDK
// clients and nothing but Node. It starts the emulator (in this process) and the example app
// (instrumented with @otel-sentinel/owasp), drives the app's scripted scenario over HTTP — ordinary
// work, then one incident for each detection in packages/owasp/detections — and stops the app,
// which flushes its security events. Then it shows rows of OwaspSecurityEvents_CL, runs every
// detection's query against the emulator's Log Analytics workspace and says whom each one caught,
// and shows that the operational logs did not reach Sentinel. Everything it starts, it stops.
import { createHmac, randomBytes } from 'node:crypto';
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

const work = mkdtempSync(join(tmpdir(), 'otel-sentinel-demo-'));
let app;
let emulator;
let ok = true;
try {
  step(
    'starting the local Sentinel emulator (Entra ID, Logs Ingestion, Log Analytics query; HTTPS on 127.0.0.1)',
  );
  emulator = await startEmulator({
    mappings: [mapping],
    port: 0,
    inMemory: true,
    dataDir: join(work, 'emulator'),
  });
  const env = emulator.env();
  say(
    `  ${emulator.origin} — DCR ${env.SENTINEL_DCR_IMMUTABLE_ID}, table ${[...emulator.catalog.tables.keys()].join(', ')}`,
  );

  step('starting the example app (examples/audit-app, instrumented with @otel-sentinel/owasp) against it');
  const hashKey = randomBytes(32).toString('hex');
  app = await startAppProcess({
    ...env,
    HOME: process.env.HOME ?? work,
    OTEL_SENTINEL_HASH_KEY: hashKey,
    OTEL_SENTINEL_SPOOL_DIR: join(work, 'spool'),
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
  say(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  say(
    'Try it yourself: ./dev otel-sentinel emulator --mapping examples/audit-app/mapping/security-mapping.yaml',
  );
  say(
    '(./dev otel-sentinel runs the command line on the Node the demo used; eval "$(./dev env)" puts it on your PATH)',
  );
} finally {
  app?.kill();
  if (emulator) await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
if (!ok) {
  console.error('the demo did not go as scripted: see the ✘ lines above');
  process.exitCode = 1;
}
