// Reports pipeline problems through OpenTelemetry `diag`, once per cause per interval, with the
// count since the last report, so a failing endpoint cannot flood the app's own logs.

import { diag } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';

export class DiagReporter {
  private readonly log: DiagLogger;
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.log = diag.createComponentLogger({ namespace: '@otel-sentinel/exporter' });
  }

  /** `cause` groups messages; `message` must never hold a secret, a token or a row value. */
  warn(cause: string, message: string): void {
    this.report('warn', cause, message);
  }

  error(cause: string, message: string): void {
    this.report('error', cause, message);
  }

  private report(level: 'warn' | 'error', cause: string, message: string): void {
    const t = this.now();
    const seen = this.last.get(cause);
    if (seen !== undefined && t - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const more =
      seen !== undefined && seen.suppressed > 0 ? ` (${seen.suppressed} more since the last report)` : '';
    this.last.set(cause, { at: t, suppressed: 0 });
    this.log[level](`${message}${more}`);
  }
}
