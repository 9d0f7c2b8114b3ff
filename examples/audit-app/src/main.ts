// Starts the audit app: telemetry first (a bad mapping or a missing variable stops start-up), then
// the server. SIGINT/SIGTERM stop taking requests and flush the security events, or spool them.

import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { buildApp } from './app.js';
import { logOperational } from './operational-log.js';
import { startTelemetry } from './telemetry.js';

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

async function main(): Promise<void> {
  // otel-sentinel reports undelivered or spooled rows through OpenTelemetry's diag; show them.
  diag.setLogger(new DiagConsoleLogger(), { logLevel: DiagLogLevel.WARN });
  const port = portOf(process.env.PORT);
  const host = process.env.HOST ?? '127.0.0.1';
  const telemetry = await startTelemetry();
  const app = buildApp({ logger: telemetry.logger, trustProxy: process.env.TRUST_PROXY === 'true' });
  try {
    await app.listen({ port, host });
  } catch (error) {
    await telemetry.shutdown();
    throw error;
  }
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
}

main().catch((error: unknown) => {
  console.error('contoso-audit-app did not start:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
