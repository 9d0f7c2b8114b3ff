// startGateway refuses options and mappings that cannot work with a ConfigError (code
// E_GATEWAY_CONFIG) that names the option and says what to change; environment variables fill in
// the secrets.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, OtelSentinelError, startGateway } from '../src/index.js';
import type { GatewayOptions } from '../src/index.js';
import { resolveOptions } from '../src/resolve-options.js';
import { HASH_KEY, MAPPING } from './support/stack.js';

const ENV = { OTEL_SENTINEL_HASH_KEY: HASH_KEY };

async function configError(options: GatewayOptions): Promise<ConfigError> {
  const error: unknown = await startGateway(options).then(
    async (g) => {
      await g.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  expect(error).toBeInstanceOf(OtelSentinelError);
  expect(error.code).toBe('E_GATEWAY_CONFIG');
  return error;
}

describe('ConfigError E_GATEWAY_CONFIG', () => {
  it.each([
    [{ port: 70_000 }, 'port', /0–65535/],
    [{ port: 1.5 }, 'port', /whole number/],
    [{ upstream: 'collector:4318' }, 'upstream', /http or https/],
    [{ upstream: 'not a url' }, 'upstream', /http\(s\) URL/],
    [{ upstreamHeaders: { 'bad header': 'x' } }, 'upstreamHeaders', /not a valid header name/],
    [{ maxBodyBytes: 0 }, 'maxBodyBytes', /≥ 1/],
    [{ maxQueueSize: -1 }, 'maxQueueSize', /≥ 1/],
    [{ tls: { cert: '', key: 'k' } }, 'tls', /cert.*key/],
    [{ host: 'bad host!' }, 'host', /not an IP address or host name/],
    [{ auth: { bearerToken: ' padded ' } }, 'auth.bearerToken', /the value is not shown/],
    [{ upstreamRetry: { maxAttempts: 0 } }, 'upstreamRetry.maxAttempts', /≥ 1/],
  ] as const)('names the option for %j', async (bad, option, message) => {
    const error = await configError({
      mapping: MAPPING,
      env: ENV,
      port: 0,
      ...(bad as Partial<GatewayOptions>),
    });
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
  });

  it('says which mapping problem to fix, with its file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-options-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'version: 1\nstreams:\n  - stream: NoPrefix\n    table: T_CL\n    columns: {}\n');
    const error = await configError({ mapping: file, env: ENV, port: 0 });
    expect(error.option).toBe('mapping');
    expect(error.message).toMatch(/broken\.yaml:\d+:\d+/);
  });

  it('says when the hash key of an hmac-sha256 column is not set', async () => {
    const error = await configError({ mapping: MAPPING, env: {}, port: 0 });
    expect(error.option).toBe('mapping');
    expect(error.message).toMatch(/OTEL_SENTINEL_HASH_KEY/);
  });

  it('refuses an exporter option out of range, naming it under exporter', async () => {
    const error = await configError({
      mapping: MAPPING,
      env: ENV,
      port: 0,
      durability: 'memory',
      exporter: { maxBatchBytes: 2_000_000, spool: false },
    });
    expect(error.option).toBe('exporter.maxBatchBytes');
  });

  it('refuses durability disk without a spool directory, and an unknown durability', async () => {
    const noSpool = await configError({ mapping: MAPPING, env: ENV, port: 0, exporter: { spool: false } });
    expect(noSpool.option).toBe('exporter.spool');
    expect(noSpool.message).toMatch(/write-ahead queue/);
    const unknown = await configError({
      mapping: MAPPING,
      env: { ...ENV, OTEL_SENTINEL_DURABILITY: 'tape' },
      port: 0,
      exporter: { spool: false },
    });
    expect(unknown.option).toBe('OTEL_SENTINEL_DURABILITY');
    expect(unknown.message).toMatch(/disk or memory/);
  });

  it('says when the port is taken', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const error = await configError({
        mapping: MAPPING,
        env: ENV,
        port,
        durability: 'memory',
        exporter: { spool: false },
      });
      expect(error.option).toBe('port');
      expect(error.message).toMatch(/EADDRINUSE/);
    } finally {
      server.close();
    }
  });
});

describe('defaults', () => {
  it('listens on 127.0.0.1:4318 with 64 MiB bodies and queues, secrets from the environment', () => {
    const r = resolveOptions({
      mapping: MAPPING,
      env: { OTEL_SENTINEL_GATEWAY_TOKEN: 'tok', OTEL_SENTINEL_GATEWAY_API_KEY: 'key' },
    });
    expect(r).toMatchObject({
      host: '127.0.0.1',
      port: 4318,
      maxBodyBytes: 64 * 1024 * 1024,
      maxUpstreamQueueBytes: 64 * 1024 * 1024,
      bearerToken: 'tok',
      apiKey: 'key',
      upstream: undefined,
      retryAfterSeconds: 5,
    });
  });

  it('appends /v1/logs to an upstream base URL and keeps a full one', () => {
    expect(resolveOptions({ mapping: MAPPING, upstream: 'http://collector:4318' }).upstream?.url.href).toBe(
      'http://collector:4318/v1/logs',
    );
    expect(
      resolveOptions({ mapping: MAPPING, upstream: 'https://otlp.example.com/custom/v1/logs?x=1' }).upstream
        ?.display,
    ).toBe('https://otlp.example.com/custom/v1/logs');
  });
});
