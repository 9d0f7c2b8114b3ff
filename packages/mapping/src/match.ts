// Compiles a stream's `match` into one predicate, built once per stream.

import { isInheritedKey, ownValue } from './own-key.js';
import { globRegExp } from './dynamic.js';
import type { LogRecordLike } from './log-record.js';
import type { AttributeCondition, MatchConfig, Scalar } from './types.js';

export type RecordPredicate = (record: LogRecordLike) => boolean;

const SEVERITY_TEXT: Readonly<Record<string, number>> = (() => {
  const out: Record<string, number> = {};
  ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((name, i) => {
    out[name] = i * 4 + 1;
    for (let n = 2; n <= 4; n++) out[`${name}${n}`] = i * 4 + n;
  });
  out.WARNING = out.WARN ?? 13;
  out.INFORMATION = out.INFO ?? 9;
  out.CRITICAL = out.FATAL ?? 21;
  return out;
})();

/** Severity number of a record: its number, else a standard severity text, else 0. */
export function severityOf(record: LogRecordLike): number {
  const n = record.severityNumber;
  if (typeof n === 'number' && n > 0) return n;
  const t = record.severityText;
  return t === undefined ? 0 : (SEVERITY_TEXT[t.toUpperCase()] ?? 0);
}

function same(actual: unknown, expected: Scalar): boolean {
  if (actual === expected) return true;
  if (typeof expected === 'number' && typeof actual === 'bigint')
    return Number.isInteger(expected) && BigInt(expected) === actual;
  return false;
}

function condition(c: AttributeCondition): (v: unknown) => boolean {
  switch (c.kind) {
    case 'equals': {
      const e = c.value;
      return (v) => same(v, e);
    }
    case 'in': {
      const list = c.values;
      return (v) => list.some((e) => same(v, e));
    }
    case 'exists':
      return c.exists ? (v) => v !== undefined && v !== null : (v) => v === undefined || v === null;
  }
}

type Check = RecordPredicate;

/** `eventName` reads the record's event name as the mapping sees it (`eventNameFrom`). */
export function compileMatch(
  m: MatchConfig | undefined,
  eventName: (record: LogRecordLike) => unknown = (r) => r.eventName,
): RecordPredicate {
  if (!m) return () => true;
  const checks: Check[] = [];
  if (m.eventName) {
    const re = globRegExp(m.eventName);
    checks.push((r) => {
      const name = eventName(r);
      return typeof name === 'string' && re.test(name);
    });
  }
  if (m.minSeverity !== undefined) {
    const min = m.minSeverity;
    checks.push((r) => severityOf(r) >= min);
  }
  for (const [key, c] of Object.entries(m.attributes ?? {})) {
    const test = condition(c);
    checks.push(
      isInheritedKey(key) ? (r) => test(ownValue(r.attributes, key)) : (r) => test(r.attributes[key]),
    );
  }
  for (const [key, c] of Object.entries(m.resource ?? {})) {
    const test = condition(c);
    checks.push(
      isInheritedKey(key)
        ? (r) => test(ownValue(r.resource?.attributes, key))
        : (r) => test(r.resource?.attributes[key]),
    );
  }
  if (checks.length === 1 && checks[0]) return checks[0];
  return (r) => {
    for (const check of checks) if (!check(r)) return false;
    return true;
  };
}
