// Errors the exporter hands to callers. Construction errors are thrown (bad configuration must
// stop start-up); everything after construction is reported, never thrown into the app.
import { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';

/** A `ConfigError` `E_EXPORTER_CONFIG` for an exporter option: `maxBatchBytes: must be …`. */
export function exporterConfigError(option: string, problem: string, options?: ErrorOptions): ConfigError {
  return new ConfigError('E_EXPORTER_CONFIG', option, `${option}: ${problem}`, options);
}

export class ExporterStoppedError extends OtelSentinelError {
  declare readonly code: 'E_EXPORTER_STOPPED';
  constructor() {
    super('E_EXPORTER_STOPPED', 'the Sentinel exporter has been shut down');
  }
}

/** Rows could not be delivered; they were spooled (or counted, without a spool). */
export class UndeliveredRowsError extends OtelSentinelError {
  declare readonly code: 'E_UNDELIVERED';
  readonly rows: number;
  readonly reason: string;
  constructor(rows: number, reason: string, spooled: boolean) {
    super(
      'E_UNDELIVERED',
      `${rows} row(s) not delivered (${reason}); ${spooled ? 'written to the spool' : 'no spool is configured, so they are counted and lost'}`,
    );
    this.rows = rows;
    this.reason = reason;
  }
}
