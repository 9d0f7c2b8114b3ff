// The pieces the gateway tests run against: the local emulator (real Entra token and Logs
// Ingestion endpoints over TLS, a real store to query) with a real ClientSecretCredential, a
// credential gate to stall Sentinel on purpose, and the gateway started on a free port.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { ClientSecretCredential } from '@azure/identity';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { startGateway } from '../../src/index.js';
import type { GatewayOptions, RunningGateway } from '../../src/index.js';

export const MAPPING = new URL('../fixtures/gateway-mapping.yaml', import.meta.url).pathname;
export const HASH_KEY = 'gateway-test-key-0123456789abcdef0123456789abcdef';

export function credentialFor(e: RunningEmulator): ClientSecretCredential {
  const env = e.env();
  return new ClientSecretCredential(
    env.AZURE_TENANT_ID ?? '',
    env.AZURE_CLIENT_ID ?? '',
    env.AZURE_CLIENT_SECRET ?? '',
    {
      authorityHost: e.origin,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: e.caCertPem },
    },
  );
}

export function mappingEnv(e: RunningEmulator): Record<string, string | undefined> {
  return {
    SENTINEL_DCE_ENDPOINT: e.origin,
    SENTINEL_DCR_IMMUTABLE_ID: e.env().SENTINEL_DCR_IMMUTABLE_ID,
    OTEL_SENTINEL_HASH_KEY: HASH_KEY,
  };
}

export function startTestEmulator(): Promise<RunningEmulator> {
  return startEmulator({
    mappings: [MAPPING],
    port: 0,
    inMemory: true,
    dataDir: mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-emu-')),
  });
}

/** Hands every token request to `inner`, except while held: then it waits until release(). */
export class GatedCredential implements TokenCredential {
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  constructor(private readonly inner: TokenCredential) {}

  hold(): void {
    this.gate ??= new Promise<void>((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  /** While held, waits for release() — or for the caller's abort, as a well-behaved credential does. */
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const gate = this.gate;
    if (gate) {
      const signal = options?.abortSignal;
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        };
        if (signal?.aborted === true) onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        void gate.then(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    return this.inner.getToken(scopes, options);
  }
}

/**
 * Gateway options for the emulator: its credential, CA, env; the default durability (`disk`)
 * with a fresh spool directory of its own unless given.
 */
export function gatewayOptions(
  e: RunningEmulator,
  overrides: Partial<GatewayOptions> = {},
  credential: TokenCredential = credentialFor(e),
): GatewayOptions {
  const memory = overrides.durability === 'memory';
  return {
    mapping: MAPPING,
    env: mappingEnv(e),
    port: 0,
    ...overrides,
    exporter: {
      credential,
      clientOptions: { tlsOptions: { ca: e.caCertPem } },
      spool: memory ? false : mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-spool-')),
      retry: { initialDelayMs: 20, maxDelayMs: 100 },
      ...overrides.exporter,
    },
  };
}

/** Starts things and closes them after each test, last started first. */
export class Cleanup {
  private readonly closers: (() => Promise<void> | void)[] = [];

  add(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }

  async gateway(options: GatewayOptions): Promise<RunningGateway> {
    const g = await startGateway(options);
    this.add(() => g.close());
    return g;
  }

  async emulator(): Promise<RunningEmulator> {
    const e = await startTestEmulator();
    this.add(() => e.close());
    return e;
  }

  async run(): Promise<void> {
    while (this.closers.length > 0) await this.closers.pop()?.();
  }
}

/** The number of rows in a table of the emulator. */
export function count(e: RunningEmulator, table: string): number {
  return Number(e.query(`${table} | count`).rows[0]?.[0] ?? 0);
}

/**
 * The set-up every gateway suite shares: one emulator for the file (started before its tests,
 * closed after them) and a `Cleanup` run after each test. Call at the top level of a test file.
 */
export function sharedStack(): { readonly cleanup: Cleanup; readonly emulator: () => RunningEmulator } {
  let emulator: RunningEmulator | undefined;
  const cleanup = new Cleanup();
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });
  afterEach(() => cleanup.run());
  return {
    cleanup,
    emulator: () => {
      if (emulator === undefined) throw new Error('the emulator starts in beforeAll: use it inside a test');
      return emulator;
    },
  };
}
