// The `automation` option of startEmulator: where each new incident is posted, for which rules
// and severities, and how hard to try. Checked once, at start-up, into targets ready to send to.

import { ConfigError } from '@otel-sentinel/mapping';
import { safeUrl } from '../console/console-error.js';
import type { Severity } from '../detections/detection-types.js';

/** Sentinel's severities, lowest first. */
const SEVERITIES: readonly Severity[] = ['Informational', 'Low', 'Medium', 'High'];

/**
 * One automation step: like a Sentinel automation rule whose action runs a playbook, it POSTs
 * each new incident that matches to `url`, as the playbook's "Microsoft Sentinel incident"
 * trigger would receive it.
 */
export interface AutomationTarget {
  /**
   * Where to POST: `http:` or `https:`, any host. HTTPS targets are verified against the system's
   * CAs plus the emulator's own CA (so a receiver may use certificates the emulator issued).
   * Userinfo (`https://user:pass@host/…`) is sent as Basic auth; userinfo and the query string are
   * never shown in logs, the delivery log or the console. Example: `http://127.0.0.1:8080/hooks/sentinel`.
   */
  readonly url: string;
  /** Only incidents of these analytic rules, by rule id or display name. Default: every rule. */
  readonly rules?: readonly string[];
  /** Only incidents of this severity or higher. Default `Informational` (all). Example: `'High'`. */
  readonly minSeverity?: Severity;
  /**
   * Extra request headers, e.g. `{ authorization: 'Bearer …' }`. Their values are sent, never
   * logged or shown (the console lists header names only).
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** Attempts per delivery, the first included (1 to 20). Default 5 (a first try and 4 retries, as Logic Apps' default retry policy). */
  readonly maxAttempts?: number;
  /** How long one attempt may take, connection to response end, in ms (100 to 300000). Default 10000. */
  readonly timeoutMs?: number;
}

/** A target as checked: its URL parsed, defaults filled in. */
export interface ResolvedTarget {
  /** Its place in the `automation` list. */
  readonly index: number;
  readonly url: URL;
  /** The URL without userinfo and query string: what logs and the console show. */
  readonly shown: string;
  readonly rules: readonly string[] | undefined;
  readonly minSeverity: Severity;
  readonly headers: Readonly<Record<string, string>>;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Checks every entry of `automation`; throws a ConfigError naming the entry and field. */
export function resolveTargets(targets: readonly AutomationTarget[] | undefined): ResolvedTarget[] {
  return (targets ?? []).map((t, index) => resolveTarget(t, index));
}

function resolveTarget(target: AutomationTarget, index: number): ResolvedTarget {
  const at = `automation[${index}]`;
  const url = parseTargetUrl(target.url, `${at}.url`);
  const rules = target.rules;
  if (rules !== undefined && (rules.length === 0 || rules.some((r) => r.trim() === ''))) {
    throw problem(
      `${at}.rules`,
      'name at least one rule id or display name, or leave rules out for every rule',
    );
  }
  const minSeverity = target.minSeverity ?? 'Informational';
  if (!SEVERITIES.includes(minSeverity)) {
    throw problem(`${at}.minSeverity`, `must be one of ${SEVERITIES.join(', ')}`);
  }
  for (const [name, value] of Object.entries(target.headers ?? {})) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) {
      throw problem(
        `${at}.headers`,
        `header ${JSON.stringify(name)} is not a valid HTTP header name or its value holds a line break`,
      );
    }
  }
  return {
    index,
    url,
    shown: safeUrl(url.href),
    rules,
    minSeverity,
    headers: target.headers ?? {},
    maxAttempts: integerIn(target.maxAttempts, DEFAULT_MAX_ATTEMPTS, 1, 20, `${at}.maxAttempts`),
    timeoutMs: integerIn(target.timeoutMs, DEFAULT_TIMEOUT_MS, 100, 300_000, `${at}.timeoutMs`),
  };
}

function parseTargetUrl(text: string, option: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text may hold a secret: the message names the option, not the value.
    throw problem(option, 'is not an absolute URL; give one like http://127.0.0.1:8080/hooks/sentinel');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw problem(option, `must be http: or https:, not ${url.protocol}`);
  }
  return url;
}

function integerIn(
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
  option: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw problem(option, `must be a whole number from ${min} to ${max}, not ${value}`);
  }
  return value;
}

/** Whether an incident of `severity` from rule (`ruleId`, `ruleName`) goes to `target`. */
export function targetMatches(
  target: ResolvedTarget,
  incident: { readonly severity: string; readonly ruleId: string; readonly ruleName: string },
): boolean {
  const rank = SEVERITIES.indexOf(incident.severity as Severity);
  if (rank < SEVERITIES.indexOf(target.minSeverity)) return false;
  if (target.rules === undefined) return true;
  const id = incident.ruleId.toLowerCase();
  return target.rules.some((r) => r.toLowerCase() === id || r === incident.ruleName);
}

function problem(option: string, message: string): ConfigError {
  return new ConfigError('E_AUTOMATION_CONFIG', option, `${option}: ${message}`);
}
