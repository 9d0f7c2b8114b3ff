// `--webhook <url>[#minSeverity=<severity>&rules=<id or name>,…&maxAttempts=<n>]`: one
// automation target of the emulator per flag. The fragment is never sent over HTTP, so it is
// free to carry the target's settings; the rest of the URL is posted to as given.

import type { AutomationTarget, Severity } from '@otel-sentinel/emulator';
import { CliError } from '../errors.js';

const SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;
const KEYS = new Set(['minSeverity', 'rules', 'maxAttempts']);

/** Each `--webhook` value as an automation target, or a one-line error naming the flag and key. */
export function webhookTargets(values: readonly string[] = []): AutomationTarget[] {
  const flag = (i: number): string => (values.length > 1 ? `--webhook #${String(i + 1)}` : '--webhook');
  return values.map((value, i) => webhookTarget(value, flag(i)));
}

function webhookTarget(value: string, flag: string): AutomationTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value may hold a secret (userinfo, a signature): it is not repeated.
    throw webhookError(
      `${flag}: not an absolute URL; give one like http://127.0.0.1:8080/hook#minSeverity=High`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw webhookError(`${flag}: give an http: or https: URL, not ${url.protocol}`);
  }
  const settings = new URLSearchParams(url.hash.slice(1));
  url.hash = '';
  const target: { -readonly [K in keyof AutomationTarget]: AutomationTarget[K] } = { url: url.href };
  for (const [key, text] of settings) {
    if (!KEYS.has(key)) {
      throw webhookError(`${flag}: unknown setting "${key}" after #; use minSeverity, rules or maxAttempts`);
    }
    if (key === 'minSeverity') target.minSeverity = severityOf(text, flag);
    else if (key === 'rules') target.rules = rulesOf(text, flag);
    else target.maxAttempts = attemptsOf(text, flag);
  }
  return target;
}

function severityOf(text: string, flag: string): Severity {
  const found = SEVERITIES.find((s) => s.toLowerCase() === text.trim().toLowerCase());
  if (found === undefined) {
    throw webhookError(`${flag}: minSeverity "${text}" is not one of ${SEVERITIES.join(', ')}`);
  }
  return found;
}

function rulesOf(text: string, flag: string): string[] {
  const rules = text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (rules.length === 0)
    throw webhookError(`${flag}: rules= names no rule; give rule ids or names, comma-separated`);
  return rules;
}

function attemptsOf(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 20) {
    throw webhookError(`${flag}: maxAttempts "${text}" must be a whole number from 1 to 20`);
  }
  return n;
}

function webhookError(message: string): CliError {
  return new CliError('E_WEBHOOK', message);
}
