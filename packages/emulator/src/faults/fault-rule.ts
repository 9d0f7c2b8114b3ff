// Reads fault rules from untrusted JSON (the admin endpoint) or checks ones built in code, with
// an error that names the field and says what is allowed.

import { OtelSentinelError } from '@otel-sentinel/mapping';
import type { FaultKind, FaultRule } from '../model.js';

export const FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'throttle-no-retry-after',
  'error-500',
  'error-503',
  'reset',
  'delay',
];

/** Retry-After of a `throttle` rule that gives no `seconds`. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;
/** Delay of a `delay` rule that gives no `delayMs`. */
export const DEFAULT_DELAY_MS = 1000;
const MAX_DELAY_MS = 600_000;
const MAX_SECONDS = 86_400;
const MAX_RULES = 100;
/** JSON.stringify as it behaves: undefined for what JSON cannot hold (undefined, functions). */
const stringify: (value: unknown, replacer?: (key: string, value: unknown) => unknown) => string | undefined =
  JSON.stringify;
const KEYS = new Set(['kind', 'count', 'rate', 'seconds', 'delayMs', 'pathPrefix']);

export class FaultRuleError extends OtelSentinelError {
  declare readonly code: 'E_FAULT_RULE';
  constructor(message: string) {
    super('E_FAULT_RULE', message);
  }
}

/** One rule or an array of them (1–100), as the admin endpoint receives them. */
export function parseFaultRules(body: unknown): FaultRule[] {
  if (Array.isArray(body)) {
    if (body.length === 0)
      throw new FaultRuleError('the array of fault rules is empty; send at least one rule');
    if (body.length > MAX_RULES)
      throw new FaultRuleError(`at most ${MAX_RULES} fault rules at once; got ${body.length}`);
    return body.map((r: unknown, i) => checkFaultRule(r, `[${i}]`));
  }
  return [checkFaultRule(body, '')];
}

/** `input` as a FaultRule, or a `FaultRuleError` saying which field is wrong and why. */
export function checkFaultRule(input: unknown, at = ''): FaultRule {
  const field = (name: string): string => (at === '' ? name : `${at}.${name}`);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(
      `${at === '' ? 'a fault rule' : `fault rule ${at}`} must be a JSON object like {"kind":"throttle","count":2}`,
    );
  }
  const r = input as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!KEYS.has(key)) fail(`${field(key)}: unknown field; allowed: ${[...KEYS].join(', ')}`);
  }
  const kind = r.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    return fail(`${field('kind')}: must be one of ${FAULT_KINDS.join(', ')}; got ${show(kind)}`);
  }
  const rule: Mutable<FaultRule> = { kind: kind as FaultKind };
  readHowOften(r, rule, field);
  readTiming(r, rule, field);
  if (r.pathPrefix !== undefined) {
    if (typeof r.pathPrefix !== 'string' || !r.pathPrefix.startsWith('/')) {
      fail(
        `${field('pathPrefix')}: must be a path starting with /, e.g. /dataCollectionRules/dcr-…; got ${show(r.pathPrefix)}`,
      );
    }
    rule.pathPrefix = r.pathPrefix;
  }
  return rule;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function fail(message: string): never {
  throw new FaultRuleError(message);
}

/** `count` and `rate`: how many requests, or which fraction of them, the rule fails. */
function readHowOften(
  r: Readonly<Record<string, unknown>>,
  rule: Mutable<FaultRule>,
  field: (name: string) => string,
): void {
  if (r.count !== undefined) {
    if (!isInteger(r.count, 1, 1_000_000_000))
      fail(`${field('count')}: must be a whole number from 1; got ${show(r.count)}`);
    rule.count = r.count as number;
  }
  if (r.rate !== undefined) {
    if (typeof r.rate !== 'number' || !(r.rate > 0 && r.rate <= 1)) {
      fail(
        `${field('rate')}: must be a number above 0 and at most 1 (the fraction of requests that fail); got ${show(r.rate)}`,
      );
    }
    rule.rate = r.rate;
  }
}

/** `seconds` (Retry-After of throttle and error-503) and `delayMs` (of a delay rule). */
function readTiming(
  r: Readonly<Record<string, unknown>>,
  rule: Mutable<FaultRule>,
  field: (name: string) => string,
): void {
  const kind = rule.kind;
  if (r.seconds !== undefined) {
    if (kind !== 'throttle' && kind !== 'error-503') {
      fail(
        `${field('seconds')}: only throttle and error-503 send Retry-After${kind === 'delay' ? '; a delay takes delayMs' : ''}`,
      );
    }
    if (!isInteger(r.seconds, 0, MAX_SECONDS))
      fail(`${field('seconds')}: must be a whole number 0–${MAX_SECONDS}; got ${show(r.seconds)}`);
    rule.seconds = r.seconds as number;
  }
  if (r.delayMs !== undefined) {
    if (kind !== 'delay') fail(`${field('delayMs')}: only a delay rule takes delayMs`);
    if (!isInteger(r.delayMs, 0, MAX_DELAY_MS))
      fail(`${field('delayMs')}: must be a whole number 0–${MAX_DELAY_MS}; got ${show(r.delayMs)}`);
    rule.delayMs = r.delayMs as number;
  }
}

function isInteger(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function show(v: unknown): string {
  // JSON.stringify(undefined) is undefined, whatever its declared type says.
  return stringify(v) ?? 'nothing';
}
