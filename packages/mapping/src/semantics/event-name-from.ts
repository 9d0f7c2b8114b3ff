// The top-level `eventNameFrom`: where records without an eventName (log bridges) take one from.

import { parseSource, SourceSyntaxError, sourceToText } from '../source-expr.js';
import type { SourceExpr } from '../source-expr.js';
import type { EventNameSource } from '../types.js';
import type { Problems } from './semantic-context.js';

/** Why `part` cannot name an event, or undefined when it can. */
function whyNotEventName(part: SourceExpr): string | undefined {
  if (part.kind === 'field' && part.field === 'eventName')
    return 'eventName is what eventNameFrom derives; name the field your log library writes the event name to';
  if (part.kind === 'bag')
    return `${part.bag} is a whole bag, not an event name; pick one key, e.g. ${part.bag}['event']`;
  if (part.kind === 'rowId') return 'rowId identifies a record, not an event';
  return undefined;
}

/**
 * Resolves `eventNameFrom`: any source that can hold a string, except the event name itself
 * (it is what is being derived), whole bags and rowId (neither names an event).
 */
export function resolveEventNameFrom(raw: unknown, problems: Problems): EventNameSource | undefined {
  const path = ['eventNameFrom'];
  let source: SourceExpr;
  try {
    source = parseSource(raw);
  } catch (e) {
    if (e instanceof SourceSyntaxError) {
      problems.error(e.code, path, e.message);
      return undefined;
    }
    throw e;
  }
  const parts = source.kind === 'coalesce' ? source.sources : [source];
  for (const part of parts) {
    const why = whyNotEventName(part);
    if (why !== undefined) {
      problems.error('E_EVENT_NAME_SOURCE', path, `eventNameFrom cannot read ${sourceToText(part)}: ${why}`);
      return undefined;
    }
  }
  return { source, sourceText: sourceToText(source) };
}
