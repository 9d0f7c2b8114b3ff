// The one-call setup: security records to Sentinel (with a spool), operational records to
// Application Insights, a processor of yours, or the console — never both sides.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MappingInput } from '@otel-sentinel/mapping';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSentinelLogging } from '../src/create-sentinel-logging.js';
import { ConfigError } from '@otel-sentinel/mapping';
import { readSpool } from '../src/store/read-spool.js';
import { DCR, ENDPOINT, ingestionSink } from './support/ingestion-sink.js';
import { StaticCredential } from './support/static-credential.js';

const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [
    {
      stream: 'Custom-Sec',
      table: 'Sec_CL',
      columns: { EventName: 'eventName', Marker: "attributes['marker']" },
    },
  ],
};

beforeEach(() => {
  nock.disableNetConnect();
  process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('createSentinelLogging', () => {
  it('sends the operational records still batched when a script logs and returns', () => {
    // The quick start's shape: emit, register a SIGTERM handler, let the event loop run dry.
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `
      import { createSentinelLogging } from ${JSON.stringify(dist)};
      const logging = await createSentinelLogging({
        mapping: ${JSON.stringify(MAPPING)},
        credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3600000 }) },
        env: {},
        spool: false,
      });
      logging.loggerProvider.getLogger('t').emit({ body: 'cache warmed at the end' });
      process.on('SIGTERM', () => void logging.shutdown());
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
    expect(child.stdout).toContain("body: 'cache warmed at the end'");
  });

  it('splits records between Sentinel and an operational processor of yours', async () => {
    const sink = ingestionSink();
    const operational = new InMemoryLogRecordExporter();
    const logging = await createSentinelLogging({
      mapping: MAPPING,
      credential: new StaticCredential(),
      env: {},
      spool: false,
      operational: new SimpleLogRecordProcessor({ exporter: operational }),
    });
    expect(logging.operational).toBe('custom');
    const logger = logging.loggerProvider.getLogger('t');
    logger.emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true, marker: 'S' } });
    logger.emit({ body: 'op', attributes: { marker: 'O' } });
    await logging.loggerProvider.forceFlush();
    expect(sink.all().map((r) => r.Marker)).toEqual(['S']);
    expect(operational.getFinishedLogRecords().map((r) => r.attributes.marker)).toEqual(['O']);
    await logging.shutdown();
  });

  it('sends operational records to Application Insights when the connection string is set', async () => {
    ingestionSink();
    const envelopes: string[] = [];
    nock('https://ai-ingest.example.test')
      .persist()
      .post(/track/)
      .reply(200, (_uri, body) => {
        envelopes.push(JSON.stringify(body));
        return { itemsReceived: 1, itemsAccepted: 1, errors: [] };
      });
    const logging = await createSentinelLogging({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
      env: {
        APPLICATIONINSIGHTS_CONNECTION_STRING:
          'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://ai-ingest.example.test/',
      },
      applicationInsights: { disableOfflineStorage: true },
    });
    expect(logging.operational).toBe('application-insights');
    const logger = logging.loggerProvider.getLogger('t');
    logger.emit({
      eventName: 'authn_login_fail',
      attributes: { 'security.event': true, marker: 'SECRET-SIDE' },
    });
    logger.emit({ body: 'op', attributes: { marker: 'OPERATIONAL-SIDE' } });
    await logging.loggerProvider.forceFlush();
    expect(envelopes.join()).toContain('OPERATIONAL-SIDE');
    expect(envelopes.join()).not.toContain('SECRET-SIDE');
    await logging.shutdown();
  });

  it('turns the spool on by default, in OTEL_SENTINEL_SPOOL_DIR when set', async () => {
    ingestionSink(403);
    const dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-default-spool-'));
    const logging = await createSentinelLogging({
      mapping: MAPPING,
      credential: new StaticCredential(),
      env: { OTEL_SENTINEL_SPOOL_DIR: dir },
      operational: false,
    });
    expect(logging.operational).toBe('none');
    logging.loggerProvider
      .getLogger('t')
      .emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true } });
    await logging.shutdown();
    const spooled = await readSpool({ directory: dir });
    expect(spooled.spool.map((e) => [e.reason, e.detail])).toEqual([['permanent', 'HTTP 403']]);
    expect(logging.exporter.stats().rowsSpooled).toBe(1);
  });

  it('refuses to start without a mapping, naming OTEL_SENTINEL_MAPPING', async () => {
    await expect(createSentinelLogging({ env: {}, credential: new StaticCredential() })).rejects.toThrow(
      expect.objectContaining({ code: 'E_EXPORTER_CONFIG', option: 'mapping' }) as Error,
    );
    await expect(
      createSentinelLogging({ env: {}, credential: new StaticCredential() }),
    ).rejects.toBeInstanceOf(ConfigError);
    await expect(createSentinelLogging({ env: {}, credential: new StaticCredential() })).rejects.toThrow(
      /OTEL_SENTINEL_MAPPING/,
    );
  });
});
