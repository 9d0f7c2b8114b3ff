// Options of the exporter and the processor. Every field says what it does, its default and the
// environment variable that can set it.

import type { TokenCredential } from '@azure/core-auth';
import type { LogsIngestionClientOptions } from '@azure/monitor-ingestion';
import type { MeterProvider } from '@opentelemetry/api';
import type { CompiledMapping, MappingInput } from '@otel-sentinel/mapping';
import type { RetryOptions } from './delivery/retry-policy.js';
import type { DeploymentCheck } from './deployment-check.js';
import type { Durability } from './pipeline/pipeline-config.js';
import type { SentinelLogExporter } from './sentinel-log-exporter.js';
import type { SpoolOptions } from './spool/spool-options.js';

export interface SentinelLogExporterOptions {
  /**
   * The mapping: a path to a YAML or JSON mapping file, a mapping object, or a mapping already
   * compiled with `compileMapping`. Default: the file named by `OTEL_SENTINEL_MAPPING`.
   * Example: `'./security-mapping.yaml'`.
   */
  readonly mapping?: string | MappingInput | CompiledMapping;
  /**
   * The Entra ID credential for the Logs Ingestion API; any `TokenCredential`. Default:
   * `new DefaultAzureCredential()` (environment `AZURE_TENANT_ID`/`AZURE_CLIENT_ID`/
   * `AZURE_CLIENT_SECRET`, workload identity, managed identity, …). Its identity needs the
   * Monitoring Metrics Publisher role on the DCR.
   */
  readonly credential?: TokenCredential;
  /**
   * Token audience for sovereign clouds: `https://monitor.azure.us` (US Government),
   * `https://monitor.azure.cn` (21Vianet). Default `https://monitor.azure.com`.
   * Env: `OTEL_SENTINEL_AUDIENCE`.
   */
  readonly audience?: string;
  /**
   * The spool directory: where the write-ahead queue (`durability: 'disk'`, and what is left at a
   * stop or an exit) and the spool of rows that cannot be delivered live, in one SQLite file
   * (`<directory>/sentinel-spool.sqlite`). A directory, spool options, or `false` for none
   * (undelivered rows are then counted and reported, and lost). Default: the directory in
   * `OTEL_SENTINEL_SPOOL_DIR`, else none. `createSentinelLogging` turns it on by default.
   * Example: `'/var/lib/my-app/sentinel-spool'`.
   */
  readonly spool?: string | SpoolOptions | false;
  /**
   * `'memory'` (default): security rows wait for delivery in memory; a clean stop, a signal the
   * app does not handle and `process.exit()` hand what is held to the spool directory, but a
   * kill -9, an OOM kill or a power cut loses up to `maxQueueSize` + `maxSpoolBacklog` records
   * (reported at the next start). `'disk'`: every row is in the write-ahead queue on disk
   * (fsynced, group commit, off the emit path) within milliseconds of being emitted — once the
   * store is open, a few hundred milliseconds after start — and leaves it only once delivered or
   * spooled; needs `spool`. Env: `OTEL_SENTINEL_DURABILITY`. Example: `'disk'`.
   */
  readonly durability?: Durability;
  /**
   * Hand what is held in memory to the spool directory when the process ends without a clean
   * shutdown: at `exit` (process.exit(), an uncaught exception), and at SIGTERM, SIGINT and SIGHUP
   * when the app has no listener of its own (the signal is then raised again, so the process
   * ends as it would have); at `beforeExit`, send it first. `false` installs no process listener.
   * Default true.
   */
  readonly saveOnExit?: boolean;
  /**
   * Most rows held at once: accepted and not yet delivered, spooled or handed over (in memory,
   * waiting for a batch, in flight or in a retry wait). Beyond it, the processor spools records
   * as `queue-full` and the gateway answers 503. Default 10000. Env: `OTEL_SENTINEL_MAX_QUEUE_SIZE`,
   * else `OTEL_BLRP_MAX_QUEUE_SIZE`.
   */
  readonly maxQueueSize?: number;
  /**
   * A stream's batch is sent when its rows reach this many bytes of JSON (as the mapping
   * estimates them). Default 990000, just under the 1,000,000 bytes the client puts in one request.
   */
  readonly maxBatchBytes?: number;
  /** …or this many rows. Default 5000. Env: `OTEL_BLRP_MAX_EXPORT_BATCH_SIZE`. Example: `1000`. */
  readonly maxBatchRecords?: number;
  /**
   * …or when the oldest row has waited this long. Default 1000 ms. Env:
   * `OTEL_SENTINEL_SCHEDULED_DELAY`, else `OTEL_BLRP_SCHEDULE_DELAY`.
   */
  readonly scheduledDelayMillis?: number;
  /** Batches in flight at once, across streams. Default 4. */
  readonly maxConcurrentBatches?: number;
  /**
   * Default time limit of `forceFlush()` and `shutdown()`, and the longest wait for a resource's
   * asynchronous attributes. Default 30000 ms. Env: `OTEL_BLRP_EXPORT_TIMEOUT`.
   */
  readonly exportTimeoutMillis?: number;
  /** Retry budget per chunk; see the README for the defaults. */
  readonly retry?: RetryOptions;
  /** A request (with its token) that takes longer than this fails as transient. Default 60000 ms. */
  readonly requestTimeoutMs?: number;
  /** Concurrent requests per upload (the client splits batches into ≤ 1 MB chunks). Default 2. */
  readonly maxConcurrency?: number;
  /**
   * Environment for `${VAR}` interpolation in the mapping and for hash keys. Default
   * `process.env`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Extra options for every `LogsIngestionClient` (e.g. `tlsOptions` to trust a local emulator).
   * `audience` and retries are set by the exporter.
   */
  readonly clientOptions?: Omit<LogsIngestionClientOptions, 'audience' | 'retryOptions'>;
  /** Meter provider for the exporter's own metrics. Default: the global one (`@opentelemetry/api`). */
  readonly meterProvider?: MeterProvider;
  /** How often one cause of trouble may be reported through `diag`. Default 60000 ms. */
  readonly diagIntervalMs?: number;
  /**
   * Compares the mapping with what is deployed, once, in the background after start (never
   * delaying emit or export): each finding goes to `diag` (errors at ERROR, warnings at WARN,
   * notes at INFO), `stats().deploymentFindings` and `otel_sentinel.deployment.findings`; the
   * result is `exporter.deploymentCheck()`. A check that fails is one WARN, never thrown. Default:
   * none (nothing is read). Example, with `@otel-sentinel/connector`:
   * `deploymentCheck({ against: 'live', dcr, workspace, credential })`.
   */
  readonly deploymentCheck?: DeploymentCheck;
  /** The deployment check is abandoned (and its signal aborted) after this long. Default 60000 ms. */
  readonly deploymentCheckTimeoutMs?: number;
  /**
   * Once, in the background right after start (never delaying the app or its first emits): get a
   * token and send each stream of the mapping one request with an empty JSON array (no row, so
   * nothing is stored), then say in one diag line per problem what would stop the first rows: the
   * token endpoint unreachable or refusing the credential, 401, 403 (the Monitoring Metrics
   * Publisher role), 404 (DCR id or region), InvalidStream, refused connections, DNS, TLS,
   * timeouts. A clean result is one INFO line; the result is `exporter.startupCheck()`. Costs one
   * token (cached for the uploads) and one small request per stream. Default true. Env:
   * `OTEL_SENTINEL_STARTUP_CHECK=off` turns it off. Example: `false` in tests with a fake endpoint.
   */
  readonly startupCheck?: boolean;
  /** @internal Who writes to the spool directory, as its owner records show. Default `exporter`. */
  readonly ownerRole?: 'exporter' | 'gateway';
}

export interface SentinelLogRecordProcessorOptions extends SentinelLogExporterOptions {
  /**
   * The exporter to send batches through. Default: one built from the other options (then
   * `mapping` is required, or `OTEL_SENTINEL_MAPPING`). A shared exporter keeps its own
   * pipeline options (`maxQueueSize`, batching, `durability`); those given here are then unused.
   */
  readonly exporter?: SentinelLogExporter;
  /**
   * Overflow records waiting to be written to the spool. While the sink is down and the queue is
   * full, records go to the spool; if the spool cannot keep up and this many are waiting, further
   * records are counted as lost (reason `queue-full`) and reported through `diag`, so memory
   * stays bounded. Default 10 × `maxQueueSize`.
   */
  readonly maxSpoolBacklog?: number;
}
