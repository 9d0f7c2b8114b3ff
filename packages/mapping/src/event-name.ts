// The event name a mapping sees: the record's own `eventName`, else the field the mapping names in
// `eventNameFrom` (log bridges such as pino's and winston's emit no event name). Built once per
// mapping; routing (`match.eventName`) and `from: eventName` columns both read through it.

import { getter } from './column-reader.js';
import type { Getter } from './column-reader.js';
import type { SourceExpr } from './source-expr.js';

/** Reads a record's event name: a non-empty string, or undefined. */
export type EventNameReader = Getter;

const OWN: EventNameReader = (r) => r.eventName;

/**
 * The event-name reader of a mapping. Without `eventNameFrom` it is the record's `eventName`.
 * With it, a record that has a non-empty `eventName` keeps it; otherwise the named source's value
 * is the event name when it is a non-empty string (other values do not name an event).
 */
export function eventNameReader(from: SourceExpr | undefined): EventNameReader {
  if (from === undefined) return OWN;
  const read = getter(from);
  return (r) => {
    const own = r.eventName;
    if (own !== undefined && own !== '') return own;
    const v = read(r);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
}
