// Where sample records show that a column's values will not fit its type: `validate` given the
// records an app sends (OTLP/JSON, as `map` reads them) warns at the column, before any is lost.

import { datetimeCoercer, simpleCoercer } from './coerce.js';
import type { CoerceScratch, Coercer, NullReason } from './coerce.js';
import { getter } from './column-reader.js';
import type { LogRecordLike } from './log-record.js';
import { compileMatch } from './match.js';
import type { SourceExpr } from './source-expr.js';
import type { ColumnType, StreamConfig } from './types.js';
import type { Problems } from './semantics/semantic-context.js';

function coercerOf(type: ColumnType): Coercer | undefined {
  switch (type) {
    case 'int':
    case 'long':
    case 'real':
    case 'boolean':
    case 'guid':
      return simpleCoercer(type);
    case 'datetime':
      return datetimeCoercer(undefined);
    default:
      // Strings and dynamic values take anything a record holds.
      return undefined;
  }
}

/** The record's own times are [seconds, nanoseconds] pairs, read as datetimes only there. */
function readsRecordTime(s: SourceExpr): boolean {
  if (s.kind === 'field') return s.field === 'timestamp' || s.field === 'observedTimestamp';
  return s.kind === 'coalesce' && s.sources.some(readsRecordTime);
}

/**
 * Warns (`W_SAMPLE_TYPE`) at each column of `stream` whose source, in the samples the stream's
 * `match` takes, holds values that do not fit the column's type. The message counts them and
 * names the reasons, never a value.
 */
export function checkSampleTypes(
  stream: StreamConfig,
  samples: readonly LogRecordLike[],
  problems: Problems,
): void {
  const matches = compileMatch(stream.match);
  const taken = samples.filter((r) => matches(r));
  if (taken.length === 0) return;
  for (const c of stream.columns) {
    const coerce = coercerOf(c.type);
    if (coerce === undefined || c.added || readsRecordTime(c.source)) continue;
    const get = getter(c.source);
    let seen = 0;
    const reasons = new Map<NullReason, number>();
    for (const record of taken) {
      const v = get(record);
      if (v === undefined || v === null || v === '') continue;
      seen++;
      const scratch: CoerceScratch = { reason: undefined, imprecise: 0 };
      if (coerce(v, scratch) !== null) continue;
      const reason = scratch.reason ?? 'type-mismatch';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    if (reasons.size === 0) continue;
    const bad = [...reasons.values()].reduce((a, b) => a + b, 0);
    problems.warn(
      'W_SAMPLE_TYPE',
      ['streams', stream.index, 'columns', c.name, ...(c.typeInferred ? [] : ['type'])],
      `in the sample, ${bad} of ${seen} values of ${c.sourceText} do not fit ${c.type} (${[...reasons.keys()].join(', ')}); onMismatch says what becomes of such values: use type: string or dynamic unless the app will send values that fit`,
    );
  }
}
