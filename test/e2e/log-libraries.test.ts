// The pino and winston recipes of docs/log-libraries.md, run as written: an app logs with pino or
// winston, an OpenTelemetry bridge turns each call into a log record, the Sentinel processor sends
// the security ones (flag nested or flat) to a local ingestion sink, and the operational ones reach
// only the operational processor.
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { logs } from '@opentelemetry/api';
import { logs as apiLogs } from '@opentelemetry/api-logs';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { WinstonInstrumentation } from '@opentelemetry/instrumentation-winston';
import { OpenTelemetryTransportV3 } from '@opentelemetry/winston-transport';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SentinelLogRecordProcessor, withoutSecurityEvents } from '@otel-sentinel/exporter';
import type { SentinelLogExporterOptions } from '@otel-sentinel/exporter';
import nock from 'nock';
import type pinoModule from 'pino';
import type winstonModule from 'winston';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const ENDPOINT = 'https://log-libraries.westeurope-1.ingest.monitor.azure.com';
const credential: NonNullable<SentinelLogExporterOptions['credential']> = {
  getToken: () => Promise.resolve({ token: 'e2e-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
// Loaded after each bridge is set up, as an app's own require would be.
const require = createRequire(import.meta.url);

/** The rows the sink received, gunzipped. */
let received: unknown[] = [];
/** What a test set up and the next must not inherit, even when the test failed. */
const started: { disable?: () => void; shutdown?: () => Promise<void> }[] = [];

afterEach(async () => {
  for (const s of started.splice(0)) {
    s.disable?.();
    await s.shutdown?.();
  }
  logs.disable();
  apiLogs.disable();
  nock.cleanAll();
});

afterAll(() => {
  nock.restore();
});

/**
 * The recipe's provider: the Sentinel processor, whose mapping names where bridged records carry
 * their event name, and the operational processor behind withoutSecurityEvents.
 */
function recipeProvider(): { provider: LoggerProvider; operational: InMemoryLogRecordExporter } {
  received = [];
  nock(ENDPOINT)
    .persist()
    .post(/\/dataCollectionRules\/dcr-[0-9a-f]+\/streams\/Custom-AppSecurityEvents/)
    .reply(204, (_uri, body) => {
      const rows: unknown =
        typeof body === 'string' ? JSON.parse(gunzipSync(Buffer.from(body, 'hex')).toString()) : body;
      received.push(...(rows as unknown[]));
      return '';
    });
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
  started.push(provider);
  return { provider, operational };
}

/** The two security rows each recipe's calls make, written out by hand. */
function expectedRows(joebob: string, ann: string): unknown[] {
  return [
    {
      EventName: 'authn_login_fail',
      UserId: joebob,
      Level: 'warn',
      Message: 'login failed',
      TimeGenerated: expect.any(String),
    },
    {
      EventName: 'authn_token_reuse',
      UserId: ann,
      Level: 'warn',
      Message: 'token reused',
      TimeGenerated: expect.any(String),
    },
  ];
}

describe('the pino recipe', () => {
  it('sends nested- and flat-flagged pino security logs to Sentinel and the rest elsewhere', async () => {
    const { provider, operational } = recipeProvider();
    logs.setGlobalLoggerProvider(provider);
    const instrumentation = new PinoInstrumentation();
    started.push(instrumentation);
    instrumentation.enable();
    const pino = require('pino') as typeof pinoModule;
    const logger = pino({ level: 'info' }, { write: () => undefined });

    logger.warn(
      { security: { event: true }, event: 'authn_login_fail', 'user.id': 'joebob1' },
      'login failed',
    );
    logger.warn({ 'security.event': true, event: 'authn_token_reuse', 'user.id': 'ann' }, 'token reused');
    logger.info({ route: '/health' }, 'health check');
    logger.warn({ security: { event: false }, event: 'authn_login_fail' }, 'not flagged');
    await provider.forceFlush();

    expect(received).toEqual(expectedRows('joebob1', 'ann'));
    expect(operational.getFinishedLogRecords().map((r) => r.body)).toEqual(['health check', 'not flagged']);
  });
});

describe('the winston recipe', () => {
  /** The same four calls as the pino recipe's, in winston's style: message first, then the fields. */
  function logTheRecipeCalls(logger: winstonModule.Logger, joebob: string, ann: string): void {
    logger.warn('login failed', { security: { event: true }, event: 'authn_login_fail', 'user.id': joebob });
    logger.warn('token reused', { 'security.event': true, event: 'authn_token_reuse', 'user.id': ann });
    logger.info('health check', { route: '/health' });
    logger.warn('not flagged', { security: { event: false }, event: 'authn_login_fail' });
  }

  it('sends nested- and flat-flagged winston security logs to Sentinel and the rest elsewhere, through the instrumentation', async () => {
    const { provider, operational } = recipeProvider();
    // The instrumentation adds @opentelemetry/winston-transport to each logger, and that transport
    // reads the logs API of @opentelemetry/api-logs: register the provider there as well.
    logs.setGlobalLoggerProvider(provider);
    apiLogs.setGlobalLoggerProvider(provider);
    const instrumentation = new WinstonInstrumentation();
    started.push(instrumentation);
    instrumentation.enable();
    const winston = require('winston') as typeof winstonModule;
    const logger = winston.createLogger({ level: 'info' });

    logTheRecipeCalls(logger, 'joebob-instrumentation', 'ann-instrumentation');
    await provider.forceFlush();

    expect(received).toEqual(expectedRows('joebob-instrumentation', 'ann-instrumentation'));
    expect(operational.getFinishedLogRecords().map((r) => r.body)).toEqual(['health check', 'not flagged']);
  });

  it('sends nested- and flat-flagged winston security logs to Sentinel and the rest elsewhere, through the transport', async () => {
    const { provider, operational } = recipeProvider();
    apiLogs.setGlobalLoggerProvider(provider);
    const winston = require('winston') as typeof winstonModule;
    // Made after the provider is registered: the transport takes its logger when it is built.
    const transport = new OpenTelemetryTransportV3();
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- a false positive: a TransportStream subclass, declared through winston-transport's `export =` class
    const logger = winston.createLogger({ level: 'info', transports: [transport] });

    logTheRecipeCalls(logger, 'joebob-transport', 'ann-transport');
    await provider.forceFlush();

    expect(received).toEqual(expectedRows('joebob-transport', 'ann-transport'));
    expect(operational.getFinishedLogRecords().map((r) => r.body)).toEqual(['health check', 'not flagged']);
  });
});
