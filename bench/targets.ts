// What a benchmark target is and whether a figure met it: one rule for the harness's printout and
// for scripts/collect-bench.mjs, which makes `pnpm bench` fail when any target is missed.
// A target is always a ratio against something measured in the same run (a baseline, a floor, the
// records sent) or a bound stated by the bench (a memory bound, a size limit), never a time.

/** The part of a result a target is about. */
export interface TargetFields {
  /** The figure ÷ its baseline. */
  readonly ratio?: number;
  /** The ratio must be at least this (a rate against a floor, a share of records delivered). */
  readonly target?: number;
  /** The ratio must be at most this (memory against a bound, a cost against a baseline's). */
  readonly limit?: number;
}

/** Whether the result states a target at all. */
export function hasTarget(r: TargetFields): boolean {
  return r.target !== undefined || r.limit !== undefined;
}

/**
 * Why the result misses its target, or undefined when it meets it (or has none). A missing or
 * non-finite ratio misses any target: a figure that could not be measured has not been met.
 */
export function missedTarget(r: TargetFields): string | undefined {
  if (!hasTarget(r)) return undefined;
  const ratio = r.ratio;
  if (ratio === undefined || !Number.isFinite(ratio)) return `no ratio measured (${String(ratio)})`;
  if (r.target !== undefined && !(ratio >= r.target)) return `ratio ${ratio.toFixed(3)} < target ${r.target}`;
  if (r.limit !== undefined && !(ratio <= r.limit)) return `ratio ${ratio.toFixed(3)} > limit ${r.limit}`;
  return undefined;
}

/** The target as the printout states it: `≥ 0.5`, `≤ 4`, or both. */
export function describeTarget(r: TargetFields): string {
  return [r.target === undefined ? '' : `≥ ${r.target}`, r.limit === undefined ? '' : `≤ ${r.limit}`]
    .filter((s) => s !== '')
    .join(' and ');
}
