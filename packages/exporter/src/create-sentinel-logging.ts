// The one-call setup for the common case: a LoggerProvider whose security records go to Sentinel
// (with a spool) and whose other records go to Application Insights — or to the console, or to a
// processor of your choice — never both.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag } from '@opentelemetry/api';
import { BatchLogRecordProcessor, ConsoleLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter, LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { SentinelLogRecordProcessorOptions } from './config.js';
import type { SpoolOptions } from './spool/spool-options.js';
import { exporterConfigError } from './errors.js';
import { registerExitParticipant } from './pipeline/exit-hooks.js';
import { SentinelLogRecordProcessor } from './sentinel-log-record-processor.js';
import type { SentinelLogExporter } from './sentinel-log-exporter.js';
import { SPOOL_DIR_ENV } from './spool-store.js';
import { withoutSecurityEvents } from './without-security-events.js';

export const APPLICATIONINSIGHTS_ENV = 'APPLICATIONINSIGHTS_CONNECTION_STRING';

export interface SentinelLoggingOptions extends SentinelLogRecordProcessorOptions {
  /**
   * Application Insights for operational records. Default: on when `connectionString` or the
   * environment variable `APPLICATIONINSIGHTS_CONNECTION_STRING` is set. Needs the optional
   * peer `@azure/monitor-opentelemetry-exporter` (pin `1.0.0-beta.47`: its `latest` tag is a 2020
   * build). `false` turns it off.
   */
  readonly applicationInsights?:
    { readonly connectionString?: string; readonly disableOfflineStorage?: boolean } | false;
  /**
   * Where operational records go when Application Insights is off: a processor (it is wrapped so
   * that security records never reach it), `'console'`, or `false` for nowhere. Default `'console'`.
   */
  readonly operational?: LogRecordProcessor | 'console' | false;
  /** The LoggerProvider's resource (service.name, …). */
  readonly resource?: ConstructorParameters<typeof LoggerProvider>[0] extends infer O
    ? O extends { resource?: infer R }
      ? R
      : never
    : never;
}

export interface SentinelLogging {
  readonly loggerProvider: LoggerProvider;
  readonly sentinel: SentinelLogRecordProcessor;
  readonly exporter: SentinelLogExporter;
  /** Where operational records go: `application-insights`, `console`, `custom` or `none`. */
  readonly operational: 'application-insights' | 'console' | 'custom' | 'none';
  /** Flushes and shuts everything down (security records first). */
  shutdown(): Promise<void>;
}

function defaultSpool(options: SentinelLoggingOptions): string | SpoolOptions | false {
  if (options.spool !== undefined) return options.spool;
  const env = options.env ?? process.env;
  const dir = env[SPOOL_DIR_ENV];
  return dir !== undefined && dir !== '' ? dir : join(tmpdir(), 'otel-sentinel', 'spool');
}

async function applicationInsightsExporter(
  connectionString: string,
  disableOfflineStorage: boolean,
): Promise<LogRecordExporter> {
  let mod: {
    AzureMonitorLogExporter: new (o: {
      connectionString: string;
      disableOfflineStorage?: boolean;
    }) => LogRecordExporter;
  };
  try {
    mod = await import('@azure/monitor-opentelemetry-exporter');
  } catch (error) {
    throw exporterConfigError(
      'applicationInsights',
      'a connection string is set but @azure/monitor-opentelemetry-exporter is not installed; install it with an exact version (npm i -E @azure/monitor-opentelemetry-exporter@1.0.0-beta.47) or pass applicationInsights: false',
      { cause: error },
    );
  }
  return new mod.AzureMonitorLogExporter({ connectionString, disableOfflineStorage });
}

/**
 * Builds the LoggerProvider: security records → Sentinel (spooled under
 * `OTEL_SENTINEL_SPOOL_DIR`, or a directory in the OS temp dir, when they cannot be delivered),
 * everything else → Application Insights or the console. Throws on bad configuration.
 */
export async function createSentinelLogging(options: SentinelLoggingOptions = {}): Promise<SentinelLogging> {
  const env = options.env ?? process.env;
  const sentinel = new SentinelLogRecordProcessor({ ...options, spool: defaultSpool(options) });
  const securityAttribute = sentinel.exporter.mapping.securityAttribute;
  const { inner, operational } = await operationalProcessor(options, env);
  const processors: LogRecordProcessor[] = [sentinel];
  if (inner) processors.push(withoutSecurityEvents(inner, { securityAttribute }));
  const loggerProvider = new LoggerProvider({
    ...(options.resource !== undefined ? { resource: options.resource } : {}),
    processors,
  });
  const stopFlushingAtExit =
    inner !== undefined && options.saveOnExit !== false ? flushAtBeforeExit(inner) : () => undefined;
  return {
    loggerProvider,
    sentinel,
    exporter: sentinel.exporter,
    operational,
    shutdown: () => {
      stopFlushingAtExit();
      return loggerProvider.shutdown();
    },
  };
}

/**
 * Where operational records go: Application Insights when a connection string is given (option
 * or environment), else the `operational` option (none, the console by default, or the caller's).
 */
async function operationalProcessor(
  options: SentinelLoggingOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ inner: LogRecordProcessor | undefined; operational: SentinelLogging['operational'] }> {
  const ai = options.applicationInsights;
  const connectionString = ai === false ? undefined : (ai?.connectionString ?? env[APPLICATIONINSIGHTS_ENV]);
  if (connectionString !== undefined && connectionString !== '') {
    const exporter = await applicationInsightsExporter(
      connectionString,
      ai !== false && ai?.disableOfflineStorage === true,
    );
    return { inner: new BatchLogRecordProcessor({ exporter }), operational: 'application-insights' };
  }
  if (options.operational === false) return { inner: undefined, operational: 'none' };
  if (options.operational === undefined || options.operational === 'console')
    return {
      inner: new BatchLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() }),
      operational: 'console',
    };
  return { inner: options.operational, operational: 'custom' };
}

/**
 * The operational side's batch processor holds records behind an unref'd timer, so a script that
 * logs and returns would end with them unsent (the Sentinel side sends its own at `beforeExit`).
 * It joins the exporter's exit hooks: when the event loop runs dry it is flushed; a flush that
 * sends nothing schedules nothing, so the process then ends. At `exit` it has nothing to save:
 * what it holds is operational, not security records. Returns its removal from the hooks.
 */
function flushAtBeforeExit(processor: LogRecordProcessor): () => void {
  return registerExitParticipant({
    saveOnExit: () => undefined,
    onBeforeExit: () => {
      processor.forceFlush().catch((error: unknown) => {
        diag.warn(`otel-sentinel: flushing operational records at exit failed: ${String(error)}`);
      });
    },
  });
}
