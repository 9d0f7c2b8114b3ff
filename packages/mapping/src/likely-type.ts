// What a source most likely holds, where the record model or the OpenTelemetry semantic
// conventions say, so `validate` can warn when a column's type will not fit those values.

import { checkDefault } from './coerce.js';
import type { RecordField, SourceExpr } from './source-expr.js';
import type { ColumnType } from './types.js';

/** Attributes the semantic conventions define as strings (names, addresses, ids, paths). */
const STRING_ATTRIBUTES = new Set([
  'user.id',
  'user.name',
  'user.full_name',
  'user.email',
  'user.hash',
  'enduser.id',
  'session.id',
  'client.address',
  'server.address',
  'source.address',
  'destination.address',
  'network.local.address',
  'network.peer.address',
  'url.full',
  'url.path',
  'url.query',
  'url.scheme',
  'http.request.method',
  'http.route',
  'user_agent.original',
  'event.name',
  'exception.type',
  'exception.message',
  'log.record.uid',
]);

/** Resource attributes the semantic conventions define as strings. */
const STRING_RESOURCE = new Set([
  'service.name',
  'service.version',
  'service.namespace',
  'service.instance.id',
  'deployment.environment.name',
  'host.name',
  'host.id',
]);

/** Attributes the semantic conventions define as integers. */
export const KNOWN_INT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'http.response.status_code',
  'server.port',
  'client.port',
  'source.port',
  'destination.port',
  'network.peer.port',
  'network.local.port',
  'url.port',
]);

/** Column types an arbitrary string (an e-mail, a name, an address) does not fit. */
const NOT_FOR_TEXT: ReadonlySet<ColumnType> = new Set(['int', 'long', 'real', 'boolean', 'datetime']);
/** Column types an integer does not fit, or fits only as nonsense (epoch 1970, true/false). */
const NOT_FOR_INT: ReadonlySet<ColumnType> = new Set(['boolean', 'datetime', 'guid']);

/**
 * Why values of `source` likely do not fit a column of `type` (a phrase naming the source and
 * what it holds), or undefined when nothing is known against it.
 */
export function likelyMismatch(source: SourceExpr, type: ColumnType): string | undefined {
  switch (source.kind) {
    case 'field':
      return fieldMismatch(source.field, type);
    case 'key':
      return keyMismatch(source.bag, source.key, type);
    case 'bag':
      return type === 'dynamic' || type === 'string' ? undefined : `${source.bag} is a map of attributes`;
    case 'const': {
      if (type === 'string' || type === 'dynamic') return undefined;
      const why = checkDefault(source.value, type);
      return why === undefined
        ? undefined
        : `the constant ${JSON.stringify(source.value)} does not fit (${why})`;
    }
    case 'coalesce':
      for (const s of source.sources) {
        const why = likelyMismatch(s, type);
        if (why !== undefined) return why;
      }
      return undefined;
    case 'rowId':
      return undefined;
  }
}

/** What a record field holds against a column type. */
function fieldMismatch(field: RecordField, type: ColumnType): string | undefined {
  switch (field) {
    case 'timestamp':
    case 'observedTimestamp':
      return type === 'datetime' || type === 'dynamic'
        ? undefined
        : `${field} is the record time ([seconds, nanoseconds])`;
    case 'severityNumber':
      return NOT_FOR_INT.has(type) ? 'severityNumber is a number from 1 to 24' : undefined;
    case 'body':
      return undefined;
    default:
      // A trace id is 32 hex digits, which a guid column takes.
      if (field === 'traceId' && type === 'guid') return undefined;
      return NOT_FOR_TEXT.has(type) || type === 'guid' ? `${field} is text` : undefined;
  }
}

/** What the semantic conventions say an attribute or resource key holds, against a column type. */
function keyMismatch(
  bag: 'attributes' | 'resource' | 'body',
  key: string,
  type: ColumnType,
): string | undefined {
  const text = `${bag}['${key}']`;
  if (bag === 'attributes' && KNOWN_INT_ATTRIBUTES.has(key))
    return NOT_FOR_INT.has(type)
      ? `${text} is an integer in the OpenTelemetry semantic conventions`
      : undefined;
  const known =
    (bag === 'attributes' && STRING_ATTRIBUTES.has(key)) || (bag === 'resource' && STRING_RESOURCE.has(key));
  return known && NOT_FOR_TEXT.has(type)
    ? `${text} is a string in the OpenTelemetry semantic conventions (such as an e-mail address or a name)`
    : undefined;
}
