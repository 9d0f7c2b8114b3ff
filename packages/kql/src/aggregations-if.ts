// The conditional aggregations (minif, maxif, sumif, avgif, dcountif, make_set_if, make_list_if):
// the plain aggregation over only the rows whose predicate, the second argument, is true.

import type { Aggregation, AggregationCall } from './aggregations.js';
import { compilePredicate } from './expr.js';

/**
 * Wraps `base` (which takes the arguments without the predicate) so that it sees only rows for
 * which argument 2 is true. `min`/`max` count every argument, the predicate included.
 */
export function conditional(
  base: (call: AggregationCall) => Aggregation,
  min: number,
  max: number,
): (call: AggregationCall) => Aggregation {
  return (call) => {
    const { args, scope, node, name } = call;
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : `${min} to ${max}`;
      throw scope.reporter.error(
        'E_KQL_SEMANTIC',
        `${name}() expects ${expected} argument(s), got ${args.length}`,
        node,
      );
    }
    const predicate = args[1] ?? node;
    const test = compilePredicate(predicate, scope).eval;
    const inner = base({ ...call, args: args.filter((_, i) => i !== 1) });
    return {
      type: inner.type,
      create: () => {
        const accumulator = inner.create();
        return {
          add: (row, ctx) => {
            if (test(row, ctx) === true) accumulator.add(row, ctx);
          },
          result: () => accumulator.result(),
        };
      },
    };
  };
}
