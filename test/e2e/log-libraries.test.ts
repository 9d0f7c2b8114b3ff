// The pino recipe of docs/log-libraries.md, run as written: an app logs with pino, the
// OpenTelemetry pino instrumentation bridges each call into a log record, the Sentinel processor
// sends the security ones (flag nested or flat) to a local ingestion sink, and the operational
// ones reach only the operational processor.
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { logs } from '@opentelemetry/api';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SentinelLogRecordProcessor, withoutSecurityEvents } from '@otel-sentinel/exporter';
import type { SentinelLogExporterOptions } from '@otel-sentinel/exporter';
import nock from 'nock';
import type pinoModule from 'pino';
import { afterAll, describe, expect, it } from 'vitest';

const ENDPOINT = 'https://log-libraries.westeurope-1.ingest.monitor.azure.com';
const credential: NonNullable<SentinelLogExporterOptions['credential']> = {
  getToken: () => Promise.resolve({ token: 'e2e-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

afterAll(() => {
  nock.cleanAll();
});

describe('the pino recipe', () => {
  it('sends nested- and flat-flagged pino security logs to Sentinel and the rest elsewhere', async () => {
    const received: unknown[] = [];
    nock(ENDPOINT)
      .persist()
      .post(/\/dataCollectionRules\/dcr-[0-9a-f]+\/streams\/Custom-AppSecurityEvents/)
      .reply(204, (_uri, body) => {
        const rows: unknown =
          typeof body === 'string' ? JSON.parse(gunzipSync(Buffer.from(body, 'hex')).toString()) : body;
        received.push(...(rows as unknown[]));
        return '';
      });

    // The recipe: the mapping names where pino's records carry their event name.
    const sentinel = new SentinelLogRecordProcessor({
      mapping: {
        version: 1,
        eventNameFrom: "attributes['event']",
        endpoint: ENDPOINT,
        dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
        streams: [
          {
            stream: 'Custom-AppSecurityEvents',
            table: 'AppSecurityEvents_CL',
            match: { eventName: 'authn_*' },
            columns: {
              EventName: { from: 'eventName', required: true },
              UserId: "attributes['user.id']",
              Level: 'severityText',
              Message: 'body',
            },
          },
        ],
      },
      credential,
      spool: false,
    });
    const operational = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [sentinel, withoutSecurityEvents(new SimpleLogRecordProcessor({ exporter: operational }))],
    });
    logs.setGlobalLoggerProvider(provider);
    const instrumentation = new PinoInstrumentation();
    instrumentation.enable();
    // pino is loaded after the instrumentation, as an app's own require would.
    const pino = createRequire(import.meta.url)('pino') as typeof pinoModule;
    const logger = pino({ level: 'info' }, { write: () => undefined });

    logger.warn(
      { security: { event: true }, event: 'authn_login_fail', 'user.id': 'joebob1' },
      'login failed',
    );
    logger.warn({ 'security.event': true, event: 'authn_token_reuse', 'user.id': 'ann' }, 'token reused');
    logger.info({ route: '/health' }, 'health check');
    logger.warn({ security: { event: false }, event: 'authn_login_fail' }, 'not flagged');
    await provider.forceFlush();

    expect(received).toEqual([
      {
        EventName: 'authn_login_fail',
        UserId: 'joebob1',
        Level: 'warn',
        Message: 'login failed',
        TimeGenerated: expect.any(String),
      },
      {
        EventName: 'authn_token_reuse',
        UserId: 'ann',
        Level: 'warn',
        Message: 'token reused',
        TimeGenerated: expect.any(String),
      },
    ]);
    expect(operational.getFinishedLogRecords().map((r) => r.body)).toEqual(['health check', 'not flagged']);
    instrumentation.disable();
    await provider.shutdown();
  });
});
