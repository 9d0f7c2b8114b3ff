// Writes a log line at most once per cause per interval, with the count of those held back, so a
// failing upstream or a stream of refused requests cannot flood the log.

export class LogLimiter {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Always writes the line (start-up, shutdown). The caller must never pass a secret. */
  always(text: string): void {
    try {
      this.log(text);
    } catch {
      // A broken log sink must not break the gateway.
    }
  }

  /** `cause` groups lines; `text` must never hold a secret, a token or a record value. */
  line(cause: string, text: string): void {
    const t = this.now();
    const seen = this.last.get(cause);
    if (seen !== undefined && t - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const more =
      seen !== undefined && seen.suppressed > 0 ? ` (${seen.suppressed} more since the last report)` : '';
    this.last.set(cause, { at: t, suppressed: 0 });
    this.always(`${text}${more}`);
  }
}
