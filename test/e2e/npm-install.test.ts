// The packages as a user gets them: packed with `pnpm pack`, installed with npm into fresh projects
// outside the workspace, beside packages from the npm registry, and run there on Node 24 and, with
// the binaries .ci/run provides, on Node 22.23 and 22.13 (the oldest `engines` accepts), printing
// no warning.
// - Beside the Azure Monitor distro 1.21.0 and beside a NodeSDK of the newest line: npm installs
//   one @opentelemetry/api for the app; the app, the SDK, the exporter and the OWASP helpers
//   resolve that one file; spans record; Sentinel rows carry the span's trace id; the distro's
//   meter provider is the one the global API hands out; no security record reaches Application
//   Insights (a loopback HTTPS stand-in) and every operational record does.
// - The READMEs' quick starts, extracted from the READMEs inside the installed tarballs and run as
//   written, after `npx otel-sentinel init` and `npx otel-sentinel validate` in that project.
// Sentinel is the emulator in strict mode; expected rows are written here by hand.
// Needs the npm registry (the distro and the SDK come from it).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appInsightsEnvelopes, appInsightsMessages } from './distro/app-insights.js';
import { startRecordingHttpsServer } from './distro/recording-https-server.js';
import type { RecordingHttpsServer } from './distro/recording-https-server.js';
import { createProject, installedCopies, npmInstall, packWorkspace, run } from './npm-install/npm-project.js';
import { readmeBlock } from './npm-install/readme-block.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const APPS = join(HERE, 'npm-install', 'apps');
const SETUP_TIMEOUT_MS = 15 * 60_000;
const RUN_TIMEOUT_MS = 5 * 60_000;

/**
 * The Node binaries every app runs on: this one (24), and, when CI provides them, the Node 22 the
 * store tests use and the oldest Node 22 that `engines` accepts (scripts/toolchain.sh).
 */
const NODES: readonly { readonly label: string; readonly bin: string }[] = [
  process.execPath,
  process.env['OTEL_SENTINEL_NODE22_BIN'],
  process.env['OTEL_SENTINEL_NODE22_MIN_BIN'],
]
  .filter((bin): bin is string => bin !== undefined && bin !== '')
  .map((bin) => ({
    label: `node${execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim().slice(1)}`,
    bin,
  }));

/** The trace id of a request whose caller chose not to sample it (the distro app's second request). */
const UNSAMPLED_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/** The mapping the distro and NodeSDK apps use: one table, with the record's trace id. */
const TRACE_MAPPING = `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT}
dcrImmutableId: \${SENTINEL_DCR_IMMUTABLE_ID}
streams:
  - stream: Custom-AppSecurity
    table: AppSecurity_CL
    columns:
      TimeGenerated: { from: timestamp, type: datetime }
      EventName: { from: eventName, type: string }
      UserId: { from: "attributes['user.id']", type: string }
      TraceId: { from: traceId, type: string }
`;

const work = mkdtempSync(join(tmpdir(), 'otel-sentinel-npm-'));
const distroDir = join(work, 'distro-app');
const sdkDir = join(work, 'node-sdk-app');
let appInsights: RecordingHttpsServer;
let traceEmulator: RunningEmulator;
/** What afterAll closes: whatever started before a failure too. */
const running: { close(): Promise<void> }[] = [];
let caFile: string;

beforeAll(async () => {
  const tarballs = await packWorkspace(join(work, 'tarballs'));
  const tgz = (name: string): string => {
    const file = tarballs.get(name);
    if (file === undefined) throw new Error(`pnpm pack made no tarball for ${name}`);
    return file;
  };
  const libraries = ['@otel-sentinel/mapping', '@otel-sentinel/exporter', '@otel-sentinel/owasp'].map(tgz);
  const tools = [
    'otel-sentinel',
    '@otel-sentinel/connector',
    '@otel-sentinel/emulator',
    '@otel-sentinel/gateway',
    '@otel-sentinel/kql',
  ].map(tgz);
  createProject(distroDir);
  createProject(sdkDir);
  // One install at a time: two at once on a 2-core machine mostly fight over npm's cache.
  await npmInstall(distroDir, [
    '@azure/monitor-opentelemetry@1.21.0',
    '@opentelemetry/api',
    '@opentelemetry/api-logs',
    ...libraries,
  ]);
  await npmInstall(sdkDir, [
    '@opentelemetry/sdk-node@0.301.2',
    '@opentelemetry/sdk-trace@3.1.1',
    '@opentelemetry/sdk-logs@3.1.1',
    '@opentelemetry/resources@3.1.1',
    '@opentelemetry/api',
    ...libraries,
  ]);
  await npmInstall(sdkDir, tools, true);
  for (const dir of [distroDir, sdkDir]) writeFileSync(join(dir, 'security-mapping.yaml'), TRACE_MAPPING);
  copyFileSync(join(APPS, 'distro-app.mjs'), join(distroDir, 'app.mjs'));
  copyFileSync(join(APPS, 'node-sdk-app.mjs'), join(sdkDir, 'app.mjs'));
  for (const dir of [distroDir, sdkDir]) copyFileSync(join(APPS, 'probe.mjs'), join(dir, 'probe.mjs'));

  appInsights = await startRecordingHttpsServer();
  running.push(appInsights);
  traceEmulator = await startEmulator({
    mappings: [join(distroDir, 'security-mapping.yaml')],
    port: 0,
    inMemory: true,
    dataDir: join(work, 'trace-emulator'),
    strict: true,
  });
  running.push(traceEmulator);
  // One CA file for both loopback servers: NODE_EXTRA_CA_CERTS takes one file.
  caFile = join(work, 'ca.pem');
  writeFileSync(caFile, `${readFileSync(appInsights.caFile, 'utf8')}\n${traceEmulator.caCertPem}\n`);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  for (const r of running) await r.close();
  rmSync(work, { recursive: true, force: true });
});

interface AppResult {
  readonly span: { readonly recording: boolean; readonly traceId: string };
  readonly meterProvider?: string;
  readonly unsampledRecording?: boolean;
  readonly api: Record<string, string>;
}

/** Runs `node app.mjs` in a project with the emulator's variables; returns its `result:` line. */
async function runApp(
  dir: string,
  node: string,
  label: string,
  env: Record<string, string>,
): Promise<{ result: AppResult; output: string }> {
  const r = await run(node, ['app.mjs'], {
    cwd: dir,
    env: { ...process.env, ...traceEmulator.env(), ...env, NODE_EXTRA_CA_CERTS: caFile, RUN_LABEL: label },
    timeoutMs: RUN_TIMEOUT_MS,
  });
  const output = `${r.stdout}\n${r.stderr}`;
  expect(r.stderr).not.toContain('Warning');
  const line = r.stdout.split('\n').find((l) => l.startsWith('result: '));
  if (r.code !== 0 || line === undefined) throw new Error(`app.mjs in ${dir} exited ${r.code}:\n${output}`);
  return { result: JSON.parse(line.slice('result: '.length)) as AppResult, output };
}

function rowsOf(label: string): readonly (readonly unknown[])[] {
  return traceEmulator.query(
    `AppSecurity_CL | where UserId endswith "-${label}" | project UserId, EventName, TraceId | sort by UserId asc`,
  ).rows;
}

/**
 * Every party resolves the project's top-level @opentelemetry/api (so all share one global), and
 * the app's span records with a real trace id.
 */
function expectOneApiAndARecordingSpan(result: AppResult, dir: string): void {
  const topLevel = join(dir, 'node_modules', '@opentelemetry', 'api') + '/';
  for (const [party, file] of Object.entries(result.api)) {
    expect({ party, file: file.startsWith(topLevel) }).toEqual({ party, file: true });
  }
  expect(result.span.recording).toBe(true);
  expect(result.span.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(result.span.traceId).not.toBe('0'.repeat(32));
}

describe('installed with npm beside the Azure Monitor distro 1.21.0', () => {
  it("npm puts one @opentelemetry/api in the app's dependency tree, the distro's 1.9.1", async () => {
    expect([...(await installedCopies(distroDir, '@opentelemetry/api'))]).toEqual([
      [join(distroDir, 'node_modules', '@opentelemetry', 'api'), '1.9.1'],
    ]);
  });

  for (const { label, bin } of NODES) {
    it(
      `on ${label}: one API, a recording span, its trace id in Sentinel and App Insights, nothing crossing over`,
      async () => {
        const run = `distro-${label}`;
        const { result, output } = await runApp(distroDir, bin, run, {
          APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=${appInsights.origin}/`,
          APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
          // Every root span sampled (the distro's default, 5 traces a second, may skip one at
          // start-up); a span whose caller chose not to sample it is not.
          OTEL_TRACES_SAMPLER: 'parentbased_always_on',
          UNSAMPLED_TRACE_ID,
        });
        expectOneApiAndARecordingSpan(result, distroDir);
        expect(result.meterProvider).toBe('MeterProvider');
        expect(result.unsampledRecording).toBe(false);

        const traceId = result.span.traceId;
        expect(rowsOf(run), output).toEqual([
          [`emit-user-${run}`, 'authz_fail', traceId],
          // KQL strings have no null: a record outside a span reads back as an empty TraceId.
          [`outside-user-${run}`, 'authz_fail', ''],
          [`owasp-user-${run}`, 'authn_login_fail', traceId],
          // The distro keeps an unsampled request's logs out of App Insights; Sentinel gets its
          // security record all the same.
          [`unsampled-user-${run}`, 'authz_fail', UNSAMPLED_TRACE_ID],
        ]);

        const envelopes = appInsightsEnvelopes(appInsights.received);
        const messages = appInsightsMessages(envelopes)
          .filter((m) => m.message.endsWith(`-${run}`))
          .map((m) => [m.message, m.operationId === traceId]);
        expect(messages).toEqual([
          [`operational-inside-${run}`, true],
          [`operational-outside-${run}`, false],
        ]);
        const leaked = envelopes.filter((e) =>
          [`emit-user-${run}`, `outside-user-${run}`, `owasp-user-${run}`, `unsampled-user-${run}`].some(
            (user) => JSON.stringify(e).includes(user),
          ),
        );
        expect(leaked).toEqual([]);
      },
      RUN_TIMEOUT_MS,
    );
  }
});

describe('installed with npm beside a NodeSDK of the newest line (sdk-node 0.301.2)', () => {
  it("npm puts one @opentelemetry/api in the app's production dependency tree, 1.10.0", async () => {
    expect([...(await installedCopies(sdkDir, '@opentelemetry/api'))]).toEqual([
      [join(sdkDir, 'node_modules', '@opentelemetry', 'api'), '1.10.0'],
    ]);
  });

  for (const { label, bin } of NODES) {
    it(
      `on ${label}: one API, a recording span, its trace id in Sentinel`,
      async () => {
        const run = `sdk-${label}`;
        const { result, output } = await runApp(sdkDir, bin, run, {
          OTEL_TRACES_EXPORTER: 'none',
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
          // NodeSDK registers a console diag logger at this level: a lost row shows in the output.
          OTEL_LOG_LEVEL: 'warn',
        });
        expectOneApiAndARecordingSpan(result, sdkDir);
        expect(rowsOf(run), output).toEqual([
          [`emit-user-${run}`, 'authz_fail', result.span.traceId],
          [`outside-user-${run}`, 'authz_fail', ''],
          [`owasp-user-${run}`, 'authn_login_fail', result.span.traceId],
        ]);
      },
      RUN_TIMEOUT_MS,
    );
  }
});

describe("the READMEs' quick starts, run as written in the installed packages", () => {
  let presetEmulator: RunningEmulator;
  let env: NodeJS.ProcessEnv;
  const mapping = 'quick-start-mapping.yaml';

  beforeAll(async () => {
    // The quick starts name ./security-mapping.yaml: they run in a folder of their own.
    const init = await run('npx', ['otel-sentinel', 'init', '--preset', 'owasp', '--out', mapping], {
      cwd: sdkDir,
      env: npxEnv(process.execPath),
    });
    if (init.code !== 0)
      throw new Error(`npx otel-sentinel init exited ${init.code}:\n${init.stdout}\n${init.stderr}`);
    presetEmulator = await startEmulator({
      mappings: [join(sdkDir, mapping)],
      port: 0,
      inMemory: true,
      dataDir: join(work, 'preset-emulator'),
      strict: true,
    });
    running.push(presetEmulator);
    env = { ...presetEmulator.env(), NODE_EXTRA_CA_CERTS: presetEmulator.caPath };
  }, SETUP_TIMEOUT_MS);

  it("init's $schema line points at the schema file installed in the project", () => {
    const first = readFileSync(join(sdkDir, mapping), 'utf8').split('\n')[0] ?? '';
    const target = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1] ?? first;
    expect(target).toBe('./node_modules/@otel-sentinel/mapping/schema/mapping.schema.json');
    expect(readFileSync(resolve(sdkDir, target), 'utf8')).toContain('"$schema"');
  });

  for (const { label, bin } of NODES) {
    it(
      `on ${label}: npx otel-sentinel validate passes, and both quick starts land their rows`,
      async () => {
        const validate = await run('npx', ['otel-sentinel', 'validate', mapping], {
          cwd: sdkDir,
          env: { ...npxEnv(bin), ...env },
        });
        expect({ code: validate.code, stderr: validate.stderr }).toEqual({ code: 0, stderr: '' });

        const folder = mkdtempSync(join(sdkDir, `quick-${label}-`));
        copyFileSync(join(sdkDir, mapping), join(folder, 'security-mapping.yaml'));
        for (const [pkg, id] of [
          ['exporter', 'quick-start:exporter'],
          ['owasp', 'quick-start:owasp'],
        ] as const) {
          const readme = readFileSync(
            join(sdkDir, 'node_modules', '@otel-sentinel', pkg, 'README.md'),
            'utf8',
          );
          writeFileSync(join(folder, `${pkg}.mjs`), readmeBlock(readme, id));
        }

        const before = quickRows();
        const exporterRun = await run(bin, ['exporter.mjs'], {
          cwd: folder,
          env: { ...process.env, ...env, OTEL_SENTINEL_SPOOL_DIR: join(folder, 'spool') },
          timeoutMs: RUN_TIMEOUT_MS,
        });
        expect({ code: exporterRun.code, stderr: exporterRun.stderr }).toEqual({ code: 0, stderr: '' });
        // Operational records go to the console without App Insights; security records never do.
        expect(exporterRun.stdout).toContain('cache warmed');
        expect(exporterRun.stdout).not.toContain('bad password');
        const owaspRun = await run(bin, ['owasp.mjs'], {
          cwd: folder,
          env: {
            ...process.env,
            ...env,
            OTEL_TRACES_EXPORTER: 'none',
            OTEL_METRICS_EXPORTER: 'none',
            OTEL_SENTINEL_SPOOL_DIR: join(folder, 'spool-owasp'),
          },
          timeoutMs: RUN_TIMEOUT_MS,
        });
        expect({ code: owaspRun.code, stderr: owaspRun.stderr }).toEqual({ code: 0, stderr: '' });
        const added = quickRows().slice(before.length);
        expect(added).toEqual([
          ['joebob1', 'authn_login_fail', '', '203.0.113.7', 'checkout', 'bad password'],
          ['joebob1', 'authn_login_fail', 'Failure', '', 'checkout', 'User joebob1 login failed'],
        ]);
      },
      RUN_TIMEOUT_MS,
    );
  }

  function quickRows(): readonly (readonly unknown[])[] {
    return presetEmulator.query(
      'OwaspSecurityEvents_CL | project ActorUserId, EventOriginalType, EventResult, SrcIpAddr, TargetAppName, EventMessage, TimeGenerated | sort by TimeGenerated asc | project-away TimeGenerated',
    ).rows;
  }
});

/** The environment `npx` runs in: the chosen Node first on PATH, so npx runs the CLI on it. */
function npxEnv(node: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${dirname(node)}:${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
  };
}
