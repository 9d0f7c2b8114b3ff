// decodeLogsRequest on bodies written by an encoder nobody here wrote: Python's protobuf runtime
// (Debian's python3-protobuf), with classes protoc (Debian's protobuf-compiler) generates from the
// upstream OTLP .proto files (test/fixtures/opentelemetry-proto, source and license beside them).
// Its JSON writer puts enum names, int64 strings and, on request, the proto field names.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeLogsRequest } from '../../src/otlp/index.js';

const PROTOS = fileURLToPath(new URL('../fixtures/opentelemetry-proto', import.meta.url));
const ENCODER = fileURLToPath(new URL('python/encode_logs.py', import.meta.url));
/** Debian's interpreter: python3-protobuf installs there, not into another python3 on the PATH. */
const PYTHON = '/usr/bin/python3';

interface Bodies {
  readonly protobuf: string;
  readonly json_names: string;
  readonly json_numbers: string;
  readonly json_snake: string;
}

function protoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return protoFiles(path);
    return name.endsWith('.proto') ? [relative(PROTOS, path)] : [];
  });
}

function run(command: string, args: string[], needs: string): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { code?: string; stderr?: string };
    throw new Error(
      `${command} failed (${e.code ?? (e.stderr ?? '').trim()}): this test needs ${needs} ` +
        '(apt-get install -y protobuf-compiler python3-protobuf; .ci/run installs them)',
      { cause: error },
    );
  }
}

let bodies: Bodies;

beforeAll(() => {
  const generated = mkdtempSync(join(tmpdir(), 'otlp-pb2-'));
  run('protoc', ['-I', PROTOS, `--python_out=${generated}`, ...protoFiles(PROTOS)], 'protoc');
  bodies = JSON.parse(run(PYTHON, [ENCODER, generated], "Debian's python3-protobuf")) as Bodies;
});

const resource = { attributes: { 'service.name': 'checkout', 'host.cpus': 8 } };
const scope = { name: 'auth', version: '1.0.0' };

/** The request encode_logs.py builds, as the mapping reads records: written out by hand. */
function expected(withTrace: boolean): LogRecordLike[] {
  return [
    {
      hrTime: [1763885730, 123456789],
      hrTimeObserved: [1763885731, 987654321],
      spanContext: withTrace
        ? { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 1 }
        : undefined,
      severityText: 'WARN',
      severityNumber: 13,
      body: 'login failed for joebob1',
      eventName: undefined,
      resource,
      instrumentationScope: scope,
      attributes: {
        'user.id': 'joebob1',
        'security.event': true,
        'long.max': 9223372036854775807n,
        'long.min': -9223372036854775808n,
        'past.safe': 9007199254740993n,
        'below.safe': -9007199254740993n,
        'safe.max': 9007199254740991,
        'risk.score': 0.75,
        'raw.bytes': new Uint8Array([0, 1, 254, 255]),
        mixed: [1, 'two', false],
        nested: { outer: { inner: 'yes' } },
      },
    },
    {
      hrTime: [0, 1],
      hrTimeObserved: undefined, // 0 in OTLP: not set
      spanContext: undefined,
      severityText: undefined,
      severityNumber: 18,
      body: 42.5,
      eventName: undefined,
      resource,
      instrumentationScope: scope,
      attributes: {},
    },
  ];
}

describe("decoding what Python's protobuf runtime writes from the upstream OTLP protos", () => {
  it('reads the binary body exactly, int64 past 2^53 as bigint', () => {
    const { records } = decodeLogsRequest(Buffer.from(bodies.protobuf, 'base64'), 'protobuf');
    expect(records).toEqual(expected(true));
  });

  it('reads its JSON as json_format writes it by default: enum names, int64 strings', () => {
    expect(bodies.json_names).toContain('"severityNumber": "SEVERITY_NUMBER_WARN"');
    const { records } = decodeLogsRequest(Buffer.from(bodies.json_names), 'json');
    expect(records).toEqual(expected(false));
  });

  it('reads its JSON with enum numbers, and with the proto field names', () => {
    expect(bodies.json_numbers).toContain('"severityNumber": 13');
    expect(bodies.json_snake).toContain('"time_unix_nano": "1763885730123456789"');
    for (const body of [bodies.json_numbers, bodies.json_snake])
      expect(decodeLogsRequest(Buffer.from(body), 'json').records).toEqual(expected(false));
  });
});
