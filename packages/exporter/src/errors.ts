// Errors the exporter hands to callers. Construction errors are thrown (bad configuration must
// stop start-up); everything after construction is reported, never thrown into the app.

export class ExporterConfigError extends Error {
  readonly code = 'E_EXPORTER_CONFIG';
  /** The option at fault, e.g. `maxBatchBytes`. */
  readonly option: string;
  constructor(option: string, message: string, options?: ErrorOptions) {
    super(`${option}: ${message}`, options);
    this.name = 'ExporterConfigError';
    this.option = option;
  }
}

export class ExporterStoppedError extends Error {
  readonly code = 'E_EXPORTER_STOPPED';
  constructor() {
    super('the Sentinel exporter has been shut down');
    this.name = 'ExporterStoppedError';
  }
}

/** Rows could not be delivered; they were spooled (or counted, without a spool). */
export class UndeliveredRowsError extends Error {
  readonly code = 'E_UNDELIVERED';
  readonly rows: number;
  readonly reason: string;
  constructor(rows: number, reason: string, spooled: boolean) {
    super(
      `${rows} row(s) not delivered (${reason}); ${spooled ? 'written to the spool' : 'no spool is configured, so they are counted and lost'}`,
    );
    this.name = 'UndeliveredRowsError';
    this.rows = rows;
    this.reason = reason;
  }
}
