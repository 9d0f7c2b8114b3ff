// The start-up deployment check: run once in the background, each finding through diag at its
// level, in stats() and the self-metrics; a check that fails is one warning and export goes on;
// without one, nothing runs. The live check against the emulator is in test/e2e.
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { MappingConfig, MappingInput } from '@otel-sentinel/mapping';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SentinelLogExporter } from '../src/sentinel-log-exporter.js';
import type { DeploymentCheck, DeploymentFinding } from '../src/index.js';
import { DCR, ENDPOINT, ingestionSink } from './support/ingestion-sink.js';
import { meteredTest } from './support/metric-points.js';
import { StaticCredential } from './support/static-credential.js';

const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [{ stream: 'Custom-Sec', table: 'Sec_CL', columns: { EventName: { from: 'eventName' } } }],
};

const LOST: DeploymentFinding = {
  severity: 'error',
  code: 'E_NOT_IN_TABLE',
  message: 'table Sec_CL has no column EventName: every EventName value is lost',
  path: 'streams[0].columns.EventName',
  file: 'mapping.yaml',
  line: 7,
  column: 7,
};
const EXTRA: DeploymentFinding = {
  severity: 'info',
  code: 'I_EXTRA_IN_TABLE',
  message: 'table Sec_CL has Note (string), which nothing from this mapping fills',
  path: 'streams[0].columns',
};

const logged: [string, string][] = [];
const capture =
  (level: string) =>
  (...args: unknown[]): void => {
    logged.push([level, args.map(String).join(' ')]);
  };

beforeEach(() => {
  nock.disableNetConnect();
  logged.length = 0;
  diag.setLogger(
    {
      error: capture('error'),
      warn: capture('warn'),
      info: capture('info'),
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.INFO,
  );
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  diag.disable();
});

function exportOne(exporter: SentinelLogExporter): Promise<ExportResult> {
  return new Promise((resolve) => {
    exporter.export(
      [
        {
          eventName: 'authn_login_fail',
          attributes: { 'security.event': true },
          hrTime: [1_700_000_000, 0],
        },
      ],
      resolve,
    );
  });
}

describe('the start-up deployment check', () => {
  it('reports each finding through diag at its level, and counts them in stats and metrics', async () => {
    const metered = meteredTest();
    const seen: MappingConfig[] = [];
    const check: DeploymentCheck = (mapping) => {
      seen.push(mapping);
      return Promise.resolve([LOST, EXTRA]);
    };
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
      meterProvider: metered.meterProvider,
      deploymentCheck: check,
    });
    expect(exporter.stats().deploymentCheck).toBe('running');
    expect(seen).toEqual([]); // not before the app's start-up has gone on

    const result = await exporter.deploymentCheck();

    expect(seen.map((m) => m.streams.map((s) => s.table))).toEqual([['Sec_CL']]);
    expect(result).toEqual({ status: 'done', findings: [LOST, EXTRA], dataLoss: true });
    expect(logged).toEqual([
      [
        'error',
        '@otel-sentinel/exporter deployment check: mapping.yaml:7:7: error: table Sec_CL has no column EventName: every EventName value is lost (E_NOT_IN_TABLE at streams[0].columns.EventName)',
      ],
      [
        'info',
        '@otel-sentinel/exporter deployment check: info: table Sec_CL has Note (string), which nothing from this mapping fills (I_EXTRA_IN_TABLE at streams[0].columns)',
      ],
      ['error', '@otel-sentinel/exporter deployment check: 1 error, 1 note; values would be lost'],
    ]);
    expect(exporter.stats()).toMatchObject({
      deploymentCheck: 'done',
      deploymentFindings: { error: 1, info: 1 },
    });
    const points = await metered.points();
    expect(points.get('otel_sentinel.deployment.findings{"severity":"error","code":"E_NOT_IN_TABLE"}')).toBe(
      1,
    );
    expect(points.get('otel_sentinel.deployment.findings{"severity":"info","code":"I_EXTRA_IN_TABLE"}')).toBe(
      1,
    );
    expect(points.get('otel_sentinel.deployment.checks{"outcome":"drift"}')).toBe(1);
    await exporter.shutdown();
    await metered.meterProvider.shutdown();
  });

  it('says once at WARN why a check that throws could not run, and exports as usual', async () => {
    const sink = ingestionSink();
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
      deploymentCheck: () => {
        throw new Error('reading the DCR was refused (403)');
      },
    });

    const exported = await exportOne(exporter);
    const result = await exporter.deploymentCheck();

    expect(exported).toEqual({ code: ExportResultCode.SUCCESS });
    expect(sink.all()).toHaveLength(1);
    expect(result).toEqual({ status: 'failed', reason: 'reading the DCR was refused (403)' });
    expect(logged).toEqual([
      [
        'warn',
        '@otel-sentinel/exporter deployment check could not run: reading the DCR was refused (403); the exporter sends as usual',
      ],
    ]);
    expect(exporter.stats()).toMatchObject({ deploymentCheck: 'failed', deploymentFindings: {} });
    await exporter.shutdown();
  });

  it('gives up on a check that outlives deploymentCheckTimeoutMs, aborting its signal', async () => {
    let signal: AbortSignal | undefined;
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
      deploymentCheckTimeoutMs: 50,
      deploymentCheck: (_mapping, context) => {
        signal = context.signal;
        return new Promise(() => undefined);
      },
    });

    const result = await exporter.deploymentCheck();

    expect(result).toEqual({
      status: 'failed',
      reason: 'it took longer than 50 ms (deploymentCheckTimeoutMs)',
    });
    expect(signal?.aborted).toBe(true);
    await exporter.shutdown();
  });

  it('aborts a check still running at shutdown', async () => {
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
      deploymentCheck: () => new Promise(() => undefined),
    });
    await new Promise((resolve) => setImmediate(resolve));

    await exporter.shutdown();

    expect(await exporter.deploymentCheck()).toEqual({
      status: 'failed',
      reason: 'the exporter shut down before it ended',
    });
  });

  it('runs nothing and reports nothing without a check', async () => {
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });

    expect(await exporter.deploymentCheck()).toEqual({ status: 'off' });
    expect(exporter.stats()).toMatchObject({ deploymentCheck: 'off', deploymentFindings: {} });
    expect(logged).toEqual([]);
    await exporter.shutdown();
  });

  it('refuses a deploymentCheck that is not a function, naming the option', () => {
    expect(
      () =>
        new SentinelLogExporter({
          mapping: MAPPING,
          credential: new StaticCredential(),
          spool: false,
          deploymentCheck: 'live' as unknown as DeploymentCheck,
        }),
    ).toThrow(/^deploymentCheck: must be a function/);
  });
});
