// How the emulator schedules analytic rules: the clock, the run delay, a local frequency
// override and the timer, all injectable so tests drive the schedule without waiting.

/** Analytic rules the emulator runs (see the README's "Detections"). */
export interface DetectionOptions {
  /**
   * Analytic rule YAML besides the `Analytic Rules` folders of `definitions`: files, or folders
   * searched for `*.yaml` (files without a `query` skipped), e.g. Microsoft's ASIM rules or your
   * own. A file that cannot be used is skipped with a start-up line naming file:line:col and the
   * field; the other rules run. Default none. Example: `['third_party/azure-sentinel/Detections']`.
   */
  readonly rules?: readonly string[];
  /** The scheduler: clock, run delay (default PT0S), a local frequency override, the timer. */
  readonly detections?: DetectionsOptions;
}

export interface DetectionsOptions {
  /**
   * The clock the scheduler reads (run times, query windows, alert and incident times).
   * Default `() => new Date()`. Example: `() => new Date('2026-12-01T10:00:00Z')` in a test.
   */
  readonly clock?: () => Date;
  /**
   * How far behind the run time the query window ends (ISO 8601 duration): each run queries
   * `[now − delay − queryPeriod, now − delay]`. Default `PT0S`, because the emulator stores rows
   * the moment they arrive; Sentinel waits 5 minutes (`PT5M`) for ingestion latency.
   * Example: `'PT5M'` to match Sentinel.
   */
  readonly delay?: string;
  /**
   * Runs every rule at this interval instead of its own queryFrequency (ISO 8601 duration; the
   * window stays the rule's queryPeriod). Default: each rule's own. Sentinel's 5-minute minimum
   * does not apply to this local override. Example: `'PT20S'` for a demo.
   */
  readonly frequency?: string;
  /**
   * Schedules `run` after `ms` milliseconds and returns a cancel function. Default: an unref'd
   * `setTimeout`. Tests pass a fake that fires when they move their clock.
   */
  readonly setTimer?: (run: () => void, ms: number) => () => void;
  /**
   * Leave out of a scheduled run's alerts the result rows an earlier run of the same rule
   * already alerted on, so overlapping windows (queryPeriod longer than queryFrequency) do not
   * raise the same alert again; each run's `duplicateRows` counts them. Sentinel does not do
   * this. Default true.
   */
  readonly dedupe?: boolean;
}

/** The default timer: unref'd, so a pending run never keeps the process alive. */
export function defaultSetTimer(run: () => void, ms: number): () => void {
  const timer = setTimeout(run, Math.max(0, ms));
  timer.unref();
  return () => {
    clearTimeout(timer);
  };
}
