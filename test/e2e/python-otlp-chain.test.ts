// The whole path with code nobody here wrote at both ends: an OTLP request encoded by Python's
// protobuf runtime (upstream .proto files, Debian's protoc and python3-protobuf) goes through the
// gateway to the emulator in its strictest mode, and Azure's Python query client (Debian's
// python3-azure) reads every column back. Binary protobuf and JSON with enum names alike. The
// expected cells are written out by hand, as Python prints them.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { startGateway } from '@otel-sentinel/gateway';
import type { RunningGateway } from '@otel-sentinel/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';
import { credentialFor } from './emulator-credential.js';

/** Debian's interpreter, where python3-protobuf and python3-azure install. */
const PYTHON = process.env.OTEL_SENTINEL_PYTHON ?? '/usr/bin/python3';
const PROTOS = join(ROOT, 'packages/gateway/test/fixtures/opentelemetry-proto');
const SCRIPTS = join(import.meta.dirname, 'python');

const MAPPING = `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT}
dcrImmutableId: \${SENTINEL_DCR_IMMUTABLE_ID}
streams:
  - stream: Custom-Chain
    table: Chain_CL
    columns:
      TimeGenerated: { from: timestamp }
      Name: { from: "attributes['name']", required: true }
      Severity: { from: severityNumber, type: int }
      Long: { from: "attributes['long']", type: long }
      Int: { from: "attributes['int']", type: int }
      Real: { from: "attributes['real']", type: real }
      Flag: { from: "attributes['flag']", type: boolean }
      When: { from: "attributes['when']", type: datetime }
      Guid: { from: "attributes['id']", type: guid }
      Bag: { from: "attributes['bag']", type: dynamic }
      Text: { from: body }
`;

let work: string;
let generated: string;
let emulator: RunningEmulator;
let gateway: RunningGateway;

function protoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return protoFiles(path);
    return name.endsWith('.proto') ? [relative(PROTOS, path)] : [];
  });
}

/** Not spawnSync: the emulator and the gateway answer from this process's event loop. */
function python(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${PYTHON} ${args[0] ?? ''} exited ${String(status)}: ${stderr}\n` +
              'this test needs Debian packages python3-protobuf, python3-azure and protobuf-compiler ' +
              '(apt-get install -y …; .ci/run installs them)',
          ),
        );
    });
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'python-chain-'));
  generated = join(work, 'pb2');
  execFileSync('mkdir', ['-p', generated]);
  execFileSync('protoc', ['-I', PROTOS, `--python_out=${generated}`, ...protoFiles(PROTOS)]);
  const mappingFile = join(work, 'mapping.yaml');
  writeFileSync(mappingFile, MAPPING);
  emulator = await startEmulator({
    mappings: [mappingFile],
    port: 0,
    inMemory: true,
    dataDir: join(work, 'emulator'),
    strict: true,
  });
  gateway = await startGateway({
    mapping: mappingFile,
    env: emulator.env(),
    port: 0,
    durability: 'memory',
    exporter: {
      credential: credentialFor(emulator),
      clientOptions: { tlsOptions: { ca: emulator.caCertPem } },
      spool: false,
    },
  });
}, 120_000);

afterAll(async () => {
  await (gateway as RunningGateway | undefined)?.close();
  await (emulator as RunningEmulator | undefined)?.close();
});

async function queryCells(prefix: string): Promise<string[]> {
  const env = emulator.env();
  const out = await python([join(SCRIPTS, 'query_rows.py')], {
    REQUESTS_CA_BUNDLE: emulator.caPath,
    SSL_CERT_FILE: emulator.caPath,
    EMULATOR_ORIGIN: emulator.origin,
    AZURE_TENANT_ID: env.AZURE_TENANT_ID ?? '',
    AZURE_CLIENT_ID: env.AZURE_CLIENT_ID ?? '',
    AZURE_CLIENT_SECRET: env.AZURE_CLIENT_SECRET ?? '',
    WORKSPACE_ID: emulator.catalog.workspaceId,
    KQL:
      `Chain_CL | where Name startswith "${prefix}" | extend Name = substring(Name, ${String(prefix.length)}) ` +
      '| project Name, Severity, Long, Int, Real, Flag, When, Guid, Bag, Text | order by Name asc',
  });
  return out.split('\n').filter((line) => line !== '');
}

/** Every cell of the four records send_otlp.py sends, as azure-monitor-query 1.1.0 gives them. */
const EXPECTED = [
  'above53 Severity int 9',
  'above53 Long int 9007199254740993',
  'above53 Int NoneType None',
  'above53 Real NoneType None',
  'above53 Flag NoneType None',
  'above53 When NoneType None',
  // azure-monitor-query 1.1.0 turns every guid cell into str(value): null becomes 'None'.
  "above53 Guid str 'None'",
  'above53 Bag NoneType None',
  "above53 Text str 'a'",
  'below53 Severity int 9',
  'below53 Long int -9007199254740993',
  'below53 Int NoneType None',
  'below53 Real NoneType None',
  'below53 Flag NoneType None',
  'below53 When NoneType None',
  "below53 Guid str 'None'",
  'below53 Bag NoneType None',
  "below53 Text str 'b'",
  'max Severity int 13',
  'max Long int 9223372036854775807',
  'max Int int 2147483647',
  'max Real float 0.1',
  'max Flag bool True',
  'max When datetime 2026-12-01T08:15:30.123456+00:00',
  "max Guid str '6f1c2b3a-1d2e-4f5a-8b9c-0d1e2f3a4b5c'",
  'max Bag str \'{"id":9223372036854775807,"list":[-9007199254740993,1.5,"é"]}\'',
  "max Text str 'Grüße, 東京 🚀'",
  'min Severity int 18',
  'min Long int -9223372036854775808',
  'min Int int -2147483648',
  'min Real float -1.5e+300',
  'min Flag bool False',
  'min When datetime 2000-01-01T00:00:00+00:00',
  "min Guid str 'None'",
  'min Bag NoneType None',
  "min Text str ''",
];

describe("Python's OTLP encoder through the gateway and the emulator to Azure's Python query client", () => {
  it.each(['protobuf', 'json'] as const)(
    'round-trips every column type exactly from %s',
    async (encoding) => {
      const sent = await python([
        join(SCRIPTS, 'send_otlp.py'),
        generated,
        gateway.url,
        encoding,
        `${encoding}-`,
      ]);
      expect(sent.trim()).toBe('200');
      await gateway.flush();
      expect(await queryCells(`${encoding}-`)).toEqual(EXPECTED);
    },
  );
});
