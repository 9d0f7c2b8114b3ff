// A small app for the crash harness, run as its own process (`node exporter-app.ts <config>`):
// an OpenTelemetry LoggerProvider with the SentinelLogRecordProcessor, as an application has it.
//
// - `emit` mode: emits security records with seq 1, 2, 3, … at a steady pace and writes, after
//   every change, `emitted=<n> persisted=<n> lost=<n>` to stdout with writeSync (a pipe on Linux
//   is synchronous, so a line the parent reads was written before the kill). `emitted` counts the
//   records the processor has taken in (its drain ran), `lost` what the exporter counted as lost
//   while running, `persisted` its own `rowsPersisted`; rows are persisted in emission order, so
//   `persisted=k` says seq 1..k are on disk. `store-open emitted=<n>` says when the spool directory's store is open.
//   The test kills it with SIGKILL.
// - `resume` mode: emits nothing; the pipeline takes over what the killed run left, delivers it,
//   then the app shuts down cleanly and prints `stats <json>`.
// Exporter diagnostics go to stderr as `diag <level> <message>`.
import { writeSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { ClientSecretCredential } from '@azure/identity';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { SentinelLogRecordProcessor } from '@otel-sentinel/exporter';

export interface ExporterAppConfig {
  readonly mode: 'emit' | 'resume';
  readonly durability: 'disk' | 'memory';
  readonly spoolDir: string;
  readonly mapping: string;
  /** The emulator: origin, CA file and the variables it prints. */
  readonly origin: string;
  readonly caPath: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly dcrImmutableId: string;
  /** Records per second in `emit` mode. */
  readonly ratePerSecond: number;
  /** `emit` mode stops emitting after this many (then waits for its kill). */
  readonly maxRecords: number;
  readonly maxQueueSize: number;
  readonly maxSpoolBacklog: number;
  readonly scheduledDelayMillis: number;
  readonly retry: {
    readonly maxAttempts: number;
    readonly initialDelayMs: number;
    readonly maxDelayMs: number;
    readonly maxElapsedMs: number;
  };
}

const TICK_MS = 10;

function out(line: string): void {
  writeSync(1, `${line}\n`);
}

const configText = process.argv[2];
if (configText === undefined) throw new Error('usage: node exporter-app.ts <config json>');
const config = JSON.parse(configText) as ExporterAppConfig;

diag.setLogger(
  {
    error: (...parts: unknown[]) => void writeSync(2, `diag error ${parts.map(String).join(' ')}\n`),
    warn: (...parts: unknown[]) => void writeSync(2, `diag warn ${parts.map(String).join(' ')}\n`),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  },
  { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
);

const ca = readFileSync(config.caPath, 'utf8');
const processor = new SentinelLogRecordProcessor({
  mapping: config.mapping,
  env: {
    SENTINEL_DCE_ENDPOINT: config.origin,
    SENTINEL_DCR_IMMUTABLE_ID: config.dcrImmutableId,
  },
  credential: new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, {
    authorityHost: config.origin,
    disableInstanceDiscovery: true,
    tlsOptions: { ca },
  }),
  clientOptions: { tlsOptions: { ca } },
  spool: config.spoolDir,
  durability: config.durability,
  maxQueueSize: config.maxQueueSize,
  maxSpoolBacklog: config.maxSpoolBacklog,
  scheduledDelayMillis: config.scheduledDelayMillis,
  retry: config.retry,
  // Each cause once per run is enough for the test to see it.
  diagIntervalMs: 600_000,
});
const exporter = processor.exporter;
const provider = new LoggerProvider({ processors: [processor] });
const logger = provider.getLogger('crash-harness');

/** Records lost and counted while running (queue and spool backlog both full, …), not by the crash. */
function countedLost(): number {
  const s = exporter.stats();
  const undelivered = Object.values(s.rowsUndelivered).reduce((n, v) => n + v, 0);
  return undelivered - s.rowsSpooled;
}

if (config.mode === 'emit') {
  let emitted = 0;
  /**
   * Records emitted up to the end of the processor's last drain: the drain publishes what it
   * dropped (queue and spool backlog full) to `stats()`, so `lost` is complete up to this seq.
   */
  let drained = 0;
  let last = '';
  const report = (): void => {
    const line = `emitted=${drained} persisted=${exporter.stats().rowsPersisted} lost=${countedLost()}`;
    if (line !== last) out(line);
    last = line;
  };
  const perTick = Math.max(1, Math.round((config.ratePerSecond * TICK_MS) / 1000));
  out(`ready pid=${process.pid} perTick=${perTick}`);
  // From here on a crash is known to the next start (the store has this process's owner record).
  void exporter.pipeline.ready.then(() => {
    out(`store-open emitted=${drained}`);
  });
  setInterval(() => {
    for (let i = 0; i < perTick && emitted < config.maxRecords; i++) {
      const seq = emitted + 1;
      logger.emit({
        eventName: 'crash_probe',
        severityText: 'WARN',
        body: `crash probe ${seq}`,
        attributes: { 'security.event': true, seq, origin: 'exporter' },
      });
      emitted = seq;
    }
    // After the drain the first emit scheduled (immediates run in order).
    const upTo = emitted;
    setImmediate(() => {
      drained = upTo;
      report();
    });
  }, TICK_MS);
  // The persisted count moves between ticks: look often.
  setInterval(report, 1);
} else {
  await exporter.pipeline.ready;
  out(`recovery ${JSON.stringify(exporter.pipeline.recovery())}`);
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (exporter.pipeline.recovery().remaining === 0 && processor.queued === 0) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });
  await provider.shutdown();
  out(`stats ${JSON.stringify(exporter.stats())}`);
}
