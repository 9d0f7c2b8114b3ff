// Turns sample keys into valid Log Analytics column names: PascalCase ASCII words, at most 45
// characters, never a name Azure Monitor reserves, never the same name twice.

import { COLUMN_NAME_MAX_LENGTH, isReservedColumnName } from '../azure-limits.js';
import type { Planned } from './planned-column.js';

// prettier-ignore
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', Æ: 'Ae', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'Oe', ł: 'l', Ł: 'L',
  đ: 'd', Đ: 'D', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th', ı: 'i',
};

const WORD = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/**
 * The words of a key: accents removed, other non-ASCII letters dropped, split at `_ - . space`
 * (any non-alphanumeric) and at camelCase humps; an all-capitals key is read as lower case.
 */
function wordsOf(key: string): string[] {
  const ascii = key
    .replace(/[ßæÆøØœŒłŁđĐðÐþÞı]/g, (c) => TRANSLITERATIONS[c] ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, ' ');
  const text = /[a-z]/.test(ascii) ? ascii : ascii.toLowerCase();
  return text.match(WORD) ?? [];
}

/** `snake_case` form of a key for pattern checks: `durationSeconds` → `duration_seconds`. */
export function normalizeKey(key: string): string {
  return wordsOf(key)
    .map((w) => w.toLowerCase())
    .join('_');
}

export const MAX_NAME = COLUMN_NAME_MAX_LENGTH;

/** PascalCase column name from an attribute key, valid but not yet checked against reserved names. */
export function pascalName(key: string): string {
  const words = wordsOf(key).map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  if (words.length === 0 || /^[0-9]/.test(words[0] ?? '') || words.join('').length < 2)
    words.unshift('Field');
  const name = words.join('');
  if (name.length <= MAX_NAME) return name;
  // Keep the first word and as many trailing (most specific) words as fit, then a hash of the key.
  const head = words[0] ?? '';
  let tail = '';
  for (let i = words.length - 1; i > 0; i--) {
    const w = words[i] ?? '';
    if (head.length + w.length + tail.length > 36) break;
    tail = w + tail;
  }
  return `${(head + tail).slice(0, 36)}_${fnv1a(key)}`;
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Gives each planned column its final name: reserved names prefixed, collisions numbered. */
export function assignNames(columns: readonly Planned[]): void {
  const planned = new Set(columns.map((c) => c.base.toLowerCase()));
  const taken = new Set<string>();
  for (const c of columns) {
    let name = c.base;
    const lower = name.toLowerCase();
    if (isReservedColumnName(lower)) {
      if (lower === 'id') name = 'RecordId';
      else if (lower === 'type')
        name = planned.has('eventtype') || taken.has('eventtype') ? 'RecordType' : 'EventType';
      else name = `Record${name}`;
      c.notes.push(`${c.base} is reserved by Azure Monitor`);
    }
    if (taken.has(name.toLowerCase())) {
      let n = 2;
      let candidate = name;
      while (taken.has(candidate.toLowerCase())) {
        const suffix = String(n++);
        candidate = name.slice(0, MAX_NAME - suffix.length) + suffix;
      }
      name = candidate;
    }
    taken.add(name.toLowerCase());
    c.name = name;
  }
}
