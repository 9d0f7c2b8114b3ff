// The exporter's errors through its public entry: one class, ConfigError, for every option a
// constructor cannot work with (its code says whose option), and OtelSentinelErrors after that.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { MappingInput } from '@otel-sentinel/mapping';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  ExporterStoppedError,
  OtelSentinelError,
  parseSpoolEntry,
  ReplayError,
  replaySpool,
  routeSecurityEvents,
  RoutingUnsupportedError,
  SentinelLogExporter,
  SpoolFormatError,
} from '../src/index.js';
import type { SentinelLogExporterOptions } from '../src/index.js';
import { DCR, ENDPOINT } from './support/ingestion-sink.js';
import { StaticCredential } from './support/static-credential.js';

const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [{ stream: 'Custom-Sec', table: 'Sec_CL', columns: { EventName: 'eventName' } }],
};
const BASE: SentinelLogExporterOptions = {
  mapping: MAPPING,
  credential: new StaticCredential(),
  env: {},
  spool: false,
  startupCheck: false,
};
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('new SentinelLogExporter throws one class, ConfigError, for a bad option', () => {
  it.each([
    [{ maxBatchBytes: 2_000_000 }, 'E_EXPORTER_CONFIG', 'maxBatchBytes'],
    [{ maxConcurrentBatches: 0 }, 'E_EXPORTER_CONFIG', 'maxConcurrentBatches'],
    [{ saveOnExit: 'yes' as unknown as boolean }, 'E_EXPORTER_CONFIG', 'saveOnExit'],
    [{ durability: 'disk' as const }, 'E_EXPORTER_CONFIG', 'durability'],
    [{ env: { OTEL_SENTINEL_DURABILITY: 'sometimes' } }, 'E_EXPORTER_CONFIG', 'OTEL_SENTINEL_DURABILITY'],
    [{ mapping: undefined }, 'E_EXPORTER_CONFIG', 'mapping'],
    [{ retry: { maxAttempts: 0 } }, 'E_DELIVERY_CONFIG', 'retry.maxAttempts'],
    [{ maxConcurrency: 0 }, 'E_DELIVERY_CONFIG', 'maxConcurrency'],
    [{ requestTimeoutMs: -1 }, 'E_DELIVERY_CONFIG', 'requestTimeoutMs'],
    [{ spool: { directory: '/tmp/x', maxTotalBytes: 1000 } }, 'E_SPOOL_CONFIG', 'maxTotalBytes'],
  ] as const)('%j: %s naming %s', (bad, code, option) => {
    const construct = (): SentinelLogExporter =>
      new SentinelLogExporter({ ...BASE, ...(bad as SentinelLogExporterOptions) });

    expect(construct).toThrow(ConfigError);
    expect(construct).toThrow(OtelSentinelError);
    expect(construct).toThrow(expect.objectContaining({ name: 'ConfigError', code, option }) as Error);
    expect(construct).toThrow(option);
  });

  it('checks maxConcurrency once, in the uploader, with the message the uploader gives', () => {
    expect(() => new SentinelLogExporter({ ...BASE, maxConcurrency: 1.5 })).toThrow(
      /^maxConcurrency must be a whole number ≥ 1, got 1\.5$/,
    );
  });
});

describe('after construction', () => {
  it('ends an export after shutdown with ExporterStoppedError E_EXPORTER_STOPPED', async () => {
    const exporter = new SentinelLogExporter(BASE);
    await exporter.shutdown();

    const result = await new Promise<ExportResult>((resolve) => {
      exporter.export([], resolve);
    });

    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toBeInstanceOf(ExporterStoppedError);
    expect(result.error).toBeInstanceOf(OtelSentinelError);
    expect(result.error).toMatchObject({ code: 'E_EXPORTER_STOPPED' });
  });

  it('reads a spool line that is not an entry as SpoolFormatError E_SPOOL_FORMAT at the key', () => {
    const parse = (): unknown => parseSpoolEntry('{"time":"yesterday"}');

    expect(parse).toThrow(SpoolFormatError);
    expect(parse).toThrow(OtelSentinelError);
    expect(parse).toThrow(expect.objectContaining({ code: 'E_SPOOL_FORMAT', path: 'time' }) as Error);
  });

  it('stops replay of a directory that does not exist with ReplayError E_SPOOL_REPLAY at that path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-errors-'));
    dirs.push(dir);
    const missing = join(dir, 'no-such-spool');

    const error: unknown = await replaySpool({ directory: missing, deliver: () => Promise.resolve([]) }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ReplayError);
    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({ code: 'E_SPOOL_REPLAY', path: missing });
  });

  it('refuses a provider it does not know with RoutingUnsupportedError E_ROUTING_UNSUPPORTED', () => {
    const route = (): void => {
      routeSecurityEvents({}, {} as never);
    };

    expect(route).toThrow(RoutingUnsupportedError);
    expect(route).toThrow(OtelSentinelError);
    expect(route).toThrow(expect.objectContaining({ code: 'E_ROUTING_UNSUPPORTED' }) as Error);
  });
});
