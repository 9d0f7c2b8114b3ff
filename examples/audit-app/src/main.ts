// Starts the audit app: telemetry first (a bad mapping or a missing variable stops start-up), then
// the server. SIGINT/SIGTERM stop taking requests and flush the security events, or spool them.

import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { AppOptions } from './app.js';
import { operationalReport, sendOperationalReport } from './cost-report.js';
import { logOperational } from './operational-log.js';
import { SERVICE_NAME, startTelemetry } from './telemetry.js';
import type { Telemetry } from './telemetry.js';

// Longer than the exporter's own 30 s flush limit, so it can spool what it could not send.
const SHUTDOWN_TIMEOUT_MS = 35_000;

function portOf(text: string | undefined): number {
  if (text === undefined || text === '') return 3000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`PORT must be a whole number from 0 to 65535, got "${text}"`);
  }
  return port;
}

/** `TRUST_PROXY`: unset or `false` trusts no proxy, `true` any, anything else names them (`loopback`, `10.0.0.0/8`). */
function trustProxyOf(text: string | undefined): boolean | string {
  if (text === undefined || text === '' || text === 'false') return false;
  return text === 'true' ? true : text;
}

/** `OTEL_SENTINEL_HASH_KEY`: required, so that no session id ever goes out unhashed. */
function hashKeyOf(text: string | undefined): string {
  if (text === undefined || text === '')
    throw new Error('set OTEL_SENTINEL_HASH_KEY: the key that hashes session ids into SessionHash');
  return text;
}

/**
 * `OTEL_SENTINEL_COST_REPORT_URL` (e.g. the emulator's `…/console/api/operational-volume`): the
 * exporter's operational volume goes there at shutdown and on SIGUSR2. Unset: nothing is sent.
 */
async function reportCost(telemetry: Telemetry, url: string | undefined): Promise<void> {
  if (url === undefined || url === '') return;
  const volume = await telemetry.operationalVolume();
  await sendOperationalReport(url, operationalReport(SERVICE_NAME, volume, telemetry.startedAt, new Date()));
}

/** Builds the app and starts listening; on failure, flushes telemetry before giving up. */
async function serve(
  telemetry: Telemetry,
  options: AppOptions,
  address: { port: number; host: string },
): Promise<FastifyInstance> {
  try {
    const app = await buildApp(options);
    await app.listen(address);
    return app;
  } catch (error) {
    await telemetry.shutdown();
    throw error;
  }
}

async function main(): Promise<void> {
  // otel-sentinel reports undelivered or spooled rows through OpenTelemetry's diag; show them.
  diag.setLogger(new DiagConsoleLogger(), { logLevel: DiagLogLevel.WARN });
  const port = portOf(process.env.PORT);
  const host = process.env.HOST ?? '127.0.0.1';
  const hashKey = hashKeyOf(process.env.OTEL_SENTINEL_HASH_KEY);
  const trustProxy = trustProxyOf(process.env.TRUST_PROXY);
  const costReportUrl = process.env.OTEL_SENTINEL_COST_REPORT_URL;
  const telemetry = await startTelemetry();
  const app = await serve(telemetry, { logger: telemetry.logger, hashKey, trustProxy }, { port, host });
  logOperational(telemetry.logger, 'INFO', 'listening', {
    'server.address': host,
    'server.port': port,
    'otel_sentinel.operational': telemetry.operational,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logOperational(telemetry.logger, 'INFO', 'shutting down', { signal });
    // Deliberately not unref()'d: the exporter's retry waits are, so this deadline is what keeps
    // the process alive until the security rows are delivered or spooled.
    const timer = setTimeout(() => {
      console.error(`contoso-audit-app: shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    app
      .close()
      .then(() => telemetry.shutdown())
      .then(() => reportCost(telemetry, costReportUrl))
      .then(
        () => {
          process.exitCode = 0;
        },
        (error: unknown) => {
          console.error('contoso-audit-app: shutdown failed:', error);
          process.exitCode = 1;
        },
      )
      .finally(() => {
        clearTimeout(timer);
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.on('SIGUSR2', () => {
    void reportCost(telemetry, costReportUrl);
  });
}

main().catch((error: unknown) => {
  console.error('contoso-audit-app did not start:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
