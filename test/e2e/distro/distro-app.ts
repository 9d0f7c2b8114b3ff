// An app on the Azure Monitor distro, run as its own process because useAzureMonitor() registers
// OpenTelemetry globals and instrumentations for the whole process. It logs outside a span and
// inside one, with one user id (security) or op id (operational) per source and place, through
// either set of bridges (one process each: two pino instrumentations, or winston's instrumentation
// and its transport together, would send every record twice):
// - `node distro-app.ts`: direct `emit`, the OWASP helpers, pino through instrumentation-pino
//   0.67.0 (the distro's own OpenTelemetry line), winston through the distro's winston
//   instrumentation and `console` through the distro's console instrumentation;
// - `node distro-app.ts other-bridges`: pino through instrumentation-pino 0.70.0 (the
//   OpenTelemetry JS 3.x line) and winston through @opentelemetry/winston-transport.
// Sentinel is SENTINEL_DCE_ENDPOINT: the test's stand-in (any token does) or the emulator (its
// client secret in the AZURE_* variables); App Insights is the connection string's endpoint.
import { createRequire } from 'node:module';
import { ClientSecretCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { context, logs as logsApi, trace, TraceFlags } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { PinoInstrumentation as PinoInstrumentation070 } from '@opentelemetry/instrumentation-pino';
import { OpenTelemetryTransportV3 } from '@opentelemetry/winston-transport';
import { routeSecurityEvents, SentinelLogRecordProcessor } from '@otel-sentinel/exporter';
import { createSecurityEvents } from '@otel-sentinel/owasp';
// @opentelemetry/instrumentation-pino@0.67.0, installed under another name beside 0.70.0.
import { PinoInstrumentation as PinoInstrumentation067 } from 'instrumentation-pino-0.67';
import type pinoModule from 'pino';
import type winstonModule from 'winston';

type Place = 'outside' | 'inside';

const MAPPING_FILE = new URL('distro-mapping.yaml', import.meta.url).pathname;
/** The remote parent of the app's span: the records emitted inside it carry this trace id. */
const PARENT = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const otherBridges = process.argv[2] === 'other-bridges';

function sentinelCredential(env: NodeJS.ProcessEnv): TokenCredential {
  const { AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, SENTINEL_DCE_ENDPOINT } = env;
  if (AZURE_TENANT_ID === undefined || AZURE_CLIENT_ID === undefined || AZURE_CLIENT_SECRET === undefined) {
    return {
      getToken: () => Promise.resolve({ token: 'distro-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
  }
  return new ClientSecretCredential(AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, {
    ...(SENTINEL_DCE_ENDPOINT !== undefined ? { authorityHost: SENTINEL_DCE_ENDPOINT } : {}),
    disableInstanceDiscovery: true,
  });
}

// Created before useAzureMonitor(), as a module imported at the top of an app would: the helpers
// must still reach the provider the distro registers later, through its copy of api-logs.
const security = createSecurityEvents();

useAzureMonitor({
  enableLiveMetrics: false,
  // Every span sampled: the distro's default rate limit (5 traces a second, an adaptive rate)
  // could drop the span, and with it, for App Insights, the records logged inside it.
  samplingRatio: 1,
  tracesPerSecond: 0,
  instrumentationOptions: {
    winston: { enabled: !otherBridges },
    console: { enabled: !otherBridges },
  },
});
routeSecurityEvents(
  logs.getLoggerProvider(),
  new SentinelLogRecordProcessor({
    mapping: MAPPING_FILE,
    credential: sentinelCredential(process.env),
    spool: false,
  }),
);
if (otherBridges) {
  // instrumentation-pino 0.70 belongs to the OpenTelemetry JS 3.x line: its pino stream takes its
  // logger from the logs API of @opentelemetry/api 1.10, not from the @opentelemetry/api-logs
  // global the distro registers (and ignores setLoggerProvider). Register the distro's provider
  // there too, or pino's records go nowhere.
  logsApi.setGlobalLoggerProvider(logs.getLoggerProvider());
  new PinoInstrumentation070();
} else {
  new PinoInstrumentation067();
}

// Loaded after the instrumentations, as an app's own require would be.
const require = createRequire(import.meta.url);
const pino = require('pino') as typeof pinoModule;
const winston = require('winston') as typeof winstonModule;

const logger = logs.getLogger('distro-app');
const pinoLogger = pino({ level: 'info' }, { write: () => undefined });
// With the transport, the logger is made after useAzureMonitor(): the transport takes its logger
// from the global provider when it is built.
const winstonTransport = otherBridges
  ? new OpenTelemetryTransportV3()
  : new winston.transports.Console({ silent: true });
const winstonLogger = winston.createLogger({
  level: 'info',
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- a false positive: both are TransportStream subclasses, declared through winston-transport's `export =` class
  transports: [winstonTransport],
});
const pinoSource = otherBridges ? 'pino-0.70' : 'pino-0.67';
const winstonSource = otherBridges ? 'winston-transport' : 'winston-instrumentation';

function logThroughPino(place: Place): void {
  pinoLogger.warn(
    { security: { event: true }, event: 'authn_login_fail', 'user.id': `user-${pinoSource}-nested-${place}` },
    'login failed',
  );
  pinoLogger.warn(
    { 'security.event': true, event: 'authn_token_reuse', 'user.id': `user-${pinoSource}-flat-${place}` },
    'token reused',
  );
  pinoLogger.info({ 'op.id': `op-${pinoSource}-${place}` }, 'pino operational');
}

function logThroughWinston(place: Place): void {
  winstonLogger.warn('login failed', {
    security: { event: true },
    event: 'authn_login_fail',
    'user.id': `user-${winstonSource}-${place}`,
  });
  winstonLogger.info('winston operational', { 'op.id': `op-${winstonSource}-${place}` });
}

function logThroughDistroLine(place: Place): void {
  logger.emit({
    eventName: 'authn_login_fail',
    body: 'login failed',
    attributes: { 'security.event': true, 'user.id': `user-emit-${place}` },
  });
  logger.emit({ body: 'emit operational', attributes: { 'op.id': `op-emit-${place}` } });

  if (place === 'outside') security.authnLoginFail({ userId: `user-owasp-${place}` });
  else security.authzFail({ userId: `user-owasp-${place}`, resource: '/admin' });

  logThroughPino(place);
  logThroughWinston(place);

  // A console record is one formatted string with no attributes: it cannot carry the flag.
  console.info(`console operational op-console-${place}`);
}

function logThroughOtherBridges(place: Place): void {
  logThroughPino(place);
  logThroughWinston(place);
}

const logFrom = otherBridges ? logThroughOtherBridges : logThroughDistroLine;
logFrom('outside');
const parent = trace.setSpanContext(context.active(), {
  ...PARENT,
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
});
trace.getTracer('distro-app').startActiveSpan('GET /login', {}, parent, (span) => {
  logFrom('inside');
  span.end();
});

await shutdownAzureMonitor();
process.stdout.write('distro-app done\n');
