// Sentinel's documented limits on a scheduled rule (azure-docs scheduled-rules-overview.md):
// a rule past one is one Sentinel would refuse, so the emulator lists it without running it.

import type { AnalyticRule } from './analytic-rule.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Frequency and period: 5 minutes to 14 days. */
export const MIN_QUERY_MS = 5 * MINUTE;
export const MAX_QUERY_MS = 14 * DAY;
/** Suppression: up to 24 hours. */
export const MAX_SUPPRESSION_MS = DAY;
/** Incident grouping lookback: 5 minutes to 7 days. */
export const MIN_GROUPING_MS = 5 * MINUTE;
export const MAX_GROUPING_MS = 7 * DAY;
/** Query text: 1 to 10,000 characters. */
export const MAX_QUERY_CHARS = 10_000;
/** Alerts per run, and per incident. */
export const MAX_ALERTS_PER_RUN = 150;
export const MAX_ALERTS_PER_INCIDENT = 150;

const WILDCARD = /\b(search|union)\s+\*/i;

/** Why Sentinel would refuse `rule`, or undefined. */
export function ruleLimitProblem(rule: AnalyticRule): string | undefined {
  const problems: string[] = [];
  for (const [key, ms] of [
    ['queryFrequency', rule.queryFrequencyMs],
    ['queryPeriod', rule.queryPeriodMs],
  ] as const)
    if (ms < MIN_QUERY_MS || ms > MAX_QUERY_MS) problems.push(`${key} must be from 5 minutes to 14 days`);
  if (rule.queryFrequencyMs > rule.queryPeriodMs)
    problems.push('queryFrequency must not be longer than queryPeriod');
  if (rule.query.length > MAX_QUERY_CHARS) problems.push('the query must be at most 10,000 characters');
  if (WILDCARD.test(rule.query)) problems.push('the query may not use search * or union *');
  if (rule.suppressionMs > MAX_SUPPRESSION_MS) problems.push('suppressionDuration must be at most 24 hours');
  const lookback = rule.grouping?.lookbackMs;
  if (lookback !== undefined && (lookback < MIN_GROUPING_MS || lookback > MAX_GROUPING_MS))
    problems.push('groupingConfiguration.lookbackDuration must be from 5 minutes to 7 days');
  return problems.length === 0 ? undefined : `Sentinel would refuse it: ${problems.join('; ')}`;
}
