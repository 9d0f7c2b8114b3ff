// An app on the Azure Monitor distro, run as its own process because useAzureMonitor() registers
// OpenTelemetry globals and instrumentations for the whole process. It logs through every source
// an app on the distro has, with one user id (security) or op id (operational) per source and
// place, outside a span and inside one: direct `emit`, the OWASP helpers, pino through
// @opentelemetry/instrumentation-pino, winston through the distro's winston instrumentation, and
// `console` through the distro's console instrumentation (`node distro-app.ts`); or winston through
// @opentelemetry/winston-transport only (`node distro-app.ts winston-transport`: with the distro's
// winston instrumentation on as well, every winston record would be sent twice).
// Sentinel is SENTINEL_DCE_ENDPOINT: the test's stand-in (any token does) or the emulator (its
// client secret in the AZURE_* variables); App Insights is the connection string's endpoint.
import { createRequire } from 'node:module';
import { ClientSecretCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { context, logs as logsApi, trace, TraceFlags } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { OpenTelemetryTransportV3 } from '@opentelemetry/winston-transport';
import { routeSecurityEvents, SentinelLogRecordProcessor } from '@otel-sentinel/exporter';
import { createSecurityEvents } from '@otel-sentinel/owasp';
import type pinoModule from 'pino';
import type winstonModule from 'winston';

type Place = 'outside' | 'inside';

const MAPPING_FILE = new URL('distro-mapping.yaml', import.meta.url).pathname;
/** The remote parent of the app's span: the records emitted inside it carry this trace id. */
const PARENT = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const winstonTransportOnly = process.argv[2] === 'winston-transport';

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
  instrumentationOptions: {
    winston: { enabled: !winstonTransportOnly },
    console: { enabled: !winstonTransportOnly },
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
// instrumentation-pino 0.70 belongs to the OpenTelemetry JS 3.x line: its pino stream takes its
// logger from the logs API of @opentelemetry/api 1.10, not from the @opentelemetry/api-logs global
// the distro registers (and ignores setLoggerProvider). Register the distro's provider there too,
// or pino's records go nowhere.
logsApi.setGlobalLoggerProvider(logs.getLoggerProvider());
new PinoInstrumentation();

// Loaded after the instrumentations, as an app's own require would be.
const require = createRequire(import.meta.url);
const pino = require('pino') as typeof pinoModule;
const winston = require('winston') as typeof winstonModule;

const logger = logs.getLogger('distro-app');
const pinoLogger = pino({ level: 'info' }, { write: () => undefined });
// With the transport, the logger is made after useAzureMonitor(): the transport takes its logger
// from the global provider when it is built.
const winstonTransport = winstonTransportOnly
  ? new OpenTelemetryTransportV3()
  : new winston.transports.Console({ silent: true });
const winstonLogger = winston.createLogger({
  level: 'info',
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- a false positive: both are TransportStream subclasses, declared through winston-transport's `export =` class
  transports: [winstonTransport],
});
const winstonSource = winstonTransportOnly ? 'winston-transport' : 'winston-instrumentation';

function logThroughWinston(place: Place): void {
  winstonLogger.warn('login failed', {
    security: { event: true },
    event: 'authn_login_fail',
    'user.id': `user-${winstonSource}-${place}`,
  });
  winstonLogger.info('winston operational', { 'op.id': `op-${winstonSource}-${place}` });
}

function logThroughEverySource(place: Place): void {
  logger.emit({
    eventName: 'authn_login_fail',
    body: 'login failed',
    attributes: { 'security.event': true, 'user.id': `user-emit-${place}` },
  });
  logger.emit({ body: 'emit operational', attributes: { 'op.id': `op-emit-${place}` } });

  if (place === 'outside') security.authnLoginFail({ userId: `user-owasp-${place}` });
  else security.authzFail({ userId: `user-owasp-${place}`, resource: '/admin' });

  pinoLogger.warn(
    { security: { event: true }, event: 'authn_login_fail', 'user.id': `user-pino-nested-${place}` },
    'login failed',
  );
  pinoLogger.warn(
    { 'security.event': true, event: 'authn_token_reuse', 'user.id': `user-pino-flat-${place}` },
    'token reused',
  );
  pinoLogger.info({ 'op.id': `op-pino-${place}` }, 'pino operational');

  logThroughWinston(place);

  // A console record is one formatted string with no attributes: it cannot carry the flag.
  console.info(`console operational op-console-${place}`);
}

const logFrom = winstonTransportOnly ? logThroughWinston : logThroughEverySource;
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
