// Every shell block of the READMEs and docs is either run here (or by the test readme-claims.ts
// names), as written, in a fresh temporary folder with this checkout's built CLI, or marked on its
// first line with why it is not (MARKERS, test/README.md). Blocks that need Azure run against the
// emulator where they can. Rows and outputs expected here are written by hand.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { join, resolve } from 'node:path';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';
import { CLAIMS } from './support/readme-claims.js';
import { runClaimed, runText, sandbox as newSandbox } from './support/run-block.js';
import type { Sandbox } from './support/run-block.js';
import { allShellBlocks, MARKERS, shellBlocksOf } from './support/shell-blocks.js';

const BLOCKS = allShellBlocks();
const where = (b: { file: string; line: number; first: string }): string => `${b.file}:${b.line} ${b.first}`;

describe('the shell blocks of the READMEs', () => {
  it('are found: the root README, the packages, their docs and the examples', () => {
    const files = new Set(BLOCKS.map((b) => b.file));
    for (const f of [
      'README.md',
      'packages/cli/README.md',
      'packages/emulator/docs/ingestion.md',
      'examples/README.md',
    ])
      expect(files).toContain(f);
  });

  it('are each run by a test or marked with why not', () => {
    const claimed = new Set(Object.values(CLAIMS).map((c) => `${c.file}\n${c.first}`));
    const neither = BLOCKS.filter((b) => b.marker === undefined && !claimed.has(`${b.file}\n${b.first}`));
    expect(neither.map(where)).toEqual([]);
  });

  it('are claimed once, and every claim names one unmarked block', () => {
    const problems = Object.entries(CLAIMS).flatMap(([id, c]) => {
      const found = BLOCKS.filter((b) => b.file === c.file && b.first === c.first);
      if (found.length !== 1) return [`${id}: ${found.length} blocks in ${c.file} start with ${c.first}`];
      const marker = found[0]?.marker;
      return marker === undefined ? [] : [`${id}: ${c.file} ${c.first} is marked ${marker}`];
    });
    expect(problems).toEqual([]);
  });

  it('are run by the test their claim names', () => {
    const missing = Object.entries(CLAIMS)
      .filter(
        ([id, c]) => !readFileSync(join(ROOT, 'test/e2e', c.test), 'utf8').includes(`runClaimed('${id}'`),
      )
      .map(([id, c]) => `${id}: ${c.test} has no runClaimed('${id}', …)`);
    expect(missing).toEqual([]);
  });

  it('a marker counts only as the first line of a block', () => {
    const md = ['```sh', 'az login', MARKERS[0], '```', '```bash', MARKERS[3], 'pnpm test', '```'].join('\n');
    expect(shellBlocksOf('x.md', md).map((b) => [b.first, b.marker])).toEqual([
      ['az login', undefined],
      ['pnpm test', MARKERS[3]],
    ]);
  });
});

/** Emulators started in this process, closed after all, and the sandboxes, removed. */
const emulators: RunningEmulator[] = [];
const boxes: Sandbox[] = [];
afterAll(async () => {
  for (const e of emulators) await e.close();
  for (const b of boxes) rmSync(b.root, { recursive: true, force: true });
});

function sandbox(repoPaths: readonly string[] = []): Sandbox {
  const box = newSandbox(repoPaths);
  boxes.push(box);
  return box;
}

async function emulatorFor(box: Sandbox, mapping: string, port = 0): Promise<RunningEmulator> {
  const e = await startEmulator({
    mappings: [resolve(box.dir, mapping)],
    port,
    inMemory: true,
    dataDir: mkdtempSync(join(box.home, 'emulator-')),
  });
  emulators.push(e);
  return e;
}

/** Fails, naming the Debian package, when a program a block runs is not installed. */
function expectInstalled(...programs: readonly string[]): void {
  const missing = programs.filter((p) => spawnSync('sh', ['-c', `command -v ${p}`]).status !== 0);
  expect(missing, `the block runs ${missing.join(', ')}: apt-get install ${missing.join(' ')}`).toEqual([]);
}

/** Resolves once `ready()` is true; a hang guard of 60 s. */
async function until(ready: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 60_000; !(await ready());) {
    if (Date.now() > deadline) throw new Error('not ready in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const EMULATOR_UP = '# otel-sentinel emulator listening on';

/** The row the README's input line maps to, written by hand. */
const README_ROW =
  '{"stream":"Custom-SecurityEvents","table":"SecurityEvents_CL","row":{"TimeGenerated":"2026-02-20T14:30:00.0000000Z","EventName":"data_read","UserId":"jdoe@example.com","Action":"Read"}}\n';

describe('the root README', () => {
  it('Two commands: ./dev otel-sentinel --help, the emulator on the audit app mapping, ./dev env', async () => {
    const box = sandbox(['examples']);
    const r = await runClaimed('root:dev-cli', box, { servers: [{ until: EMULATOR_UP }] });
    expect(r.stdout).toContain('Usage: otel-sentinel');
    expect(r.stdout).toContain('Custom-OwaspSecurityEvents');
  });

  it('Five minutes: event.json and logs.jsonl, then init, validate, map, connector; then the gateway on that mapping', async () => {
    const box = sandbox();
    await runClaimed('root:event', box);
    await runClaimed('root:logs', box);
    const steps = await runClaimed('root:init-validate-map-connector', box);
    expect(steps.stdout).toContain(README_ROW);
    expect(existsSync(join(box.dir, 'build/sentinel/deploy/azuredeploy.json'))).toBe(true);

    const e = await emulatorFor(box, 'mapping.yaml');
    const gateway = await runClaimed('root:gateway', box, {
      env: e.env(),
      servers: [{ until: '# otel-sentinel gateway listening on http://0.0.0.0:' }],
    });
    expect(gateway.code).toBe(0);
  });

  it('The Sentinel side: the emulator on the ARM template that the Five minutes steps wrote, in the same folder', async () => {
    const box = sandbox();
    await runClaimed('root:event', box);
    await runClaimed('root:logs', box);
    await runClaimed('root:init-validate-map-connector', box);
    const r = await runClaimed('root:sentinel-emulator', box, { servers: [{ until: EMULATOR_UP }] });
    expect(r.stdout).toMatch(/^# {3}dcr-\S+ {2}Custom-SecurityEvents$/m);
  });
});

describe('docs/asim.md', () => {
  it("generates the owasp preset's parsers, serves them on the emulator and queries imAuthentication from another terminal", async () => {
    const box = sandbox();
    await runClaimed('asim:init-connector', box);
    const parsers = join(box.dir, 'build/sentinel/Solutions/OWASPSecurityEvents/Parsers');
    expect(existsSync(join(parsers, 'vimAuthenticationExamplePublisherOWASPSecurityEvents.yaml'))).toBe(true);
    let query = '';
    await runClaimed('asim:emulator', box, {
      servers: [
        {
          until: EMULATOR_UP,
          whileUp: async () => {
            query = (await runClaimed('asim:query', box)).stdout;
          },
        },
      ],
    });
    // No rows yet, but imAuthentication resolves (through Im_AuthenticationCustom to the
    // generated parser) and has the ASIM EventResult column: a header and no rows.
    expect(query).toMatch(/^EventResult +Events *\n-+ +-+ *\n\(0 rows\)$/m);
  });
});

/** GETs `url` over HTTPS trusting `ca` only; the body as text, or an error naming the status. */
function getText(url: string, ca: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    httpsGet(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode === 200) resolvePromise(body);
        else reject(new Error(`GET ${url}: ${String(res.statusCode)} ${body}`));
      });
    }).on('error', reject);
  });
}

describe('docs/console.md', () => {
  it("generates the example app's solution and serves it with the console, its rules every 20 s, a webhook and a price", async () => {
    const box = sandbox(['examples']);
    let page = '';
    let rules: { queryFrequency: string }[] = [];
    let targets = '';
    let cost: { price?: unknown } = {};
    const r = await runClaimed('console:start', box, {
      servers: [
        {
          until: EMULATOR_UP,
          whileUp: async (output) => {
            const origin = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
            const ca = readFileSync(join(box.home, '.cache/otel-sentinel/emulator/tls/ca.pem'), 'utf8');
            page = await getText(`${origin}/console/`, ca);
            rules = JSON.parse(await getText(`${origin}/console/api/rules`, ca)) as typeof rules;
            targets = await getText(`${origin}/console/api/automation`, ca);
            cost = JSON.parse(await getText(`${origin}/console/api/cost`, ca)) as typeof cost;
          },
        },
      ],
    });
    expect(r.stdout).toMatch(/^# Console: https:\/\/127\.0\.0\.1:\d+\/console\//m);
    expect(page).toContain('<title>otel-sentinel console</title>');
    // The 13 rules of packages/owasp/detections, which the connector put in the solution.
    expect(rules).toHaveLength(13);
    expect(new Set(rules.map((rule) => rule.queryFrequency))).toEqual(new Set(['PT20S']));
    expect(targets).toContain('http://127.0.0.1:8080/incident');
    expect(cost.price).toEqual({ perGb: 5.2, currency: 'EUR' });
  });
});

describe('the examples', () => {
  it('examples/README.md: validate and map an example mapping with pnpm exec', async () => {
    const r = await runClaimed('examples:validate-map', sandbox(['examples']));
    expect(r.stdout).toContain('examples/mappings/app-security.yaml is valid');
    expect(r.stdout).toMatch(/^\{"stream":"Custom-OwaspEvents","table":"OwaspEvents_CL"/m);
  });

  it('the audit app README: validate and connector with the variables exported', async () => {
    const box = sandbox(['examples']);
    const r = await runClaimed('audit-app:validate-connector', box);
    expect(r.stdout).toContain('is valid');
    expect(existsSync(join(box.dir, 'build/sentinel/Solutions/ContosoAudit'))).toBe(true);
  });

  it('the audit app README: its curl walk-through, against the built app on port 3000 and the emulator', async () => {
    const box = sandbox();
    const e = await emulatorFor(box, join(ROOT, 'examples/audit-app/mapping/security-mapping.yaml'));
    expectInstalled('curl', 'jq');
    // The block names port 3000: something else answering there would take its requests.
    const taken = await fetch('http://127.0.0.1:3000/').catch(() => undefined);
    expect(taken, 'port 3000 is in use by another process').toBeUndefined();
    const app = spawn(process.execPath, ['dist/main.js'], {
      cwd: join(ROOT, 'examples/audit-app'),
      env: {
        ...box.env,
        ...e.env(),
        OTEL_SENTINEL_HASH_KEY: 'k'.repeat(32),
        PORT: '3000',
        OTEL_SENTINEL_SPOOL_DIR: join(box.home, 'spool'),
      },
      stdio: 'ignore',
    });
    try {
      await until(async () => {
        if (app.exitCode !== null) throw new Error(`the audit app exited ${String(app.exitCode)}`);
        return (await fetch('http://127.0.0.1:3000/login').catch(() => undefined)) !== undefined;
      });
      const r = await runClaimed('audit-app:curl', box);
      for (const status of ['HTTP/1.1 401', 'HTTP/1.1 409', 'HTTP/1.1 403'])
        expect(r.stdout).toContain(status);
    } finally {
      app.kill('SIGTERM');
    }
  });
});

describe('the packages', () => {
  it('cli: check --probe against the emulator says every stream would take rows', async () => {
    const box = sandbox();
    await runText(box, 'otel-sentinel init --preset owasp --out mapping.yaml');
    const e = await emulatorFor(box, 'mapping.yaml');
    const r = await runClaimed('cli:probe', box, { env: e.env() });
    expect(r.stdout).toContain('every stream would take rows');
  });

  it('connector: generate from the audit app mapping, then the emulator on the solution, then a query', async () => {
    const box = sandbox(['examples']);
    await runClaimed('connector:arm', box);
    expect(existsSync(join(box.dir, 'build/sentinel/deploy/azuredeploy.json'))).toBe(true);
    const r = await runClaimed('connector:emulator', box, { servers: [{ until: EMULATOR_UP }] });
    expect(r.stdout).toMatch(/^# {3}dcr-\S+ {2}Custom-OwaspSecurityEvents$/m);
    expect(r.stdout).toContain('(0 rows)');
  });

  it('emulator: on a mapping and on a Data Connectors folder; it prints the variables its README exports', async () => {
    const box = sandbox(['examples']);
    await runText(
      box,
      'otel-sentinel init --preset owasp --out security-mapping.yaml\notel-sentinel connector examples/audit-app/mapping/security-mapping.yaml --out out',
    );
    const r = await runClaimed('emulator:run', box, {
      servers: [{ until: EMULATOR_UP }, { until: EMULATOR_UP }],
    });
    const printed = new Set([...r.stdout.matchAll(/^export (\w+)=/gm)].map((m) => m[1]));
    await runClaimed('emulator:exports', box);
    const exported = CLAIMS['emulator:exports'];
    const text = readFileSync(join(ROOT, exported.file), 'utf8');
    const block = shellBlocksOf(exported.file, text).find((b) => b.first === exported.first)?.text ?? '';
    const names = [...block.matchAll(/(\w+)=/g)].map((m) => m[1]);
    expect(names.filter((n) => !printed.has(n))).toEqual([]);
    expect(r.stdout).toContain(`NODE_EXTRA_CA_CERTS=${box.home}/.cache/otel-sentinel/emulator/tls/ca.pem`);
  });

  it('emulator docs: the fault rules are set, listed and removed with curl', async () => {
    const box = sandbox();
    await runText(box, 'otel-sentinel init --preset owasp --out mapping.yaml');
    expectInstalled('curl');
    const e = await emulatorFor(box, 'mapping.yaml', 4443);
    const r = await runClaimed('ingestion:faults', box, { env: { CA: e.caPath } });
    expect(r.stdout).toContain('"kind":"throttle"');
    expect(e.faults.list()).toEqual([]);
  });

  it('mapping docs: init from a sample event into a named table', async () => {
    const box = sandbox();
    writeFileSync(
      join(box.dir, 'login-failed.json'),
      '{"event":"login_failed","user":"joebob1","ip":"203.0.113.7","time":"2026-02-20T14:30:00Z"}\n',
    );
    await runClaimed('init:sample', box);
    expect(readFileSync(join(box.dir, 'mapping.yaml'), 'utf8')).toMatch(/^ {4}table: AppSecurityEvents_CL$/m);
  });

  it('owasp docs: the preset mapping validates with its 32 columns and packages', async () => {
    const box = sandbox();
    await runText(box, 'otel-sentinel init --preset owasp --out mapping.yaml');
    const r = await runClaimed('preset:validate-connector', box);
    expect(r.stdout).toContain('32 columns');
    expect(existsSync(join(box.dir, 'build/sentinel/Solutions'))).toBe(true);
  });
});
