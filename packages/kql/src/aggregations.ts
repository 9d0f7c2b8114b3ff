// Aggregation functions of summarize: count, countif, dcount, min, max, sum, avg, make_set,
// make_list, make_bag, take_any, the conditional forms (minif, …, make_set_if, take_anyif) and
// the deprecated aliases makeset and makelist. Each compiles to a factory of per-group
// accumulators. arg_max and arg_min, which give several columns, are in arg-min-max.ts.

import { conditional } from './aggregations-if.js';
import { ROW_SELECTORS } from './arg-min-max.js';
import type { Compiled, Scope } from './compiled.js';
import { compileExpr, compilePredicate } from './expr.js';
import { child, listElements, nameOf, type SyntaxNode } from './syntax.js';
import { isNumeric, type EvalContext, type KqlType, type Tuple } from './types.js';
import { compareValues, toDynamic, valueKey } from './values.js';

export interface Accumulator {
  add(row: Tuple, ctx: EvalContext): void;
  result(): unknown;
}

export interface Aggregation {
  readonly type: KqlType;
  readonly create: () => Accumulator;
}

export interface AggregationCall {
  readonly name: string;
  readonly node: SyntaxNode;
  readonly args: readonly SyntaxNode[];
  readonly scope: Scope;
}

type AggregationFactory = (call: AggregationCall) => Aggregation;

function argument(call: AggregationCall, index: number): Compiled {
  const node = call.args[index];
  if (node === undefined) {
    throw call.scope.reporter.error('E_KQL_SEMANTIC', `${call.name}() expects an argument`, call.node);
  }
  return compileExpr(node, call.scope);
}

function arity(call: AggregationCall, min: number, max: number): void {
  if (call.args.length < min || call.args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw call.scope.reporter.error(
      'E_KQL_SEMANTIC',
      `${call.name}() expects ${expected} argument(s), got ${call.args.length}`,
      call.node,
    );
  }
}

/** The optional size limit of make_set/make_list: a constant. */
function limit(call: AggregationCall): number {
  if (call.args.length < 2) return Number.POSITIVE_INFINITY;
  const max = argument(call, 1).constant?.value;
  if (typeof max !== 'number') {
    throw call.scope.reporter.error(
      'E_KQL_SEMANTIC',
      `${call.name}(): the size limit must be a number literal`,
      call.node,
    );
  }
  return max;
}

function extreme(sign: 1 | -1): AggregationFactory {
  return (call) => {
    arity(call, 1, 1);
    const { type, eval: value } = argument(call, 0);
    return {
      type,
      create: () => {
        let best: unknown = null;
        return {
          add: (row, ctx) => {
            const v = value(row, ctx);
            if (v === null || v === undefined) return;
            if (best === null || compareValues(v, best) * sign > 0) best = v;
          },
          result: () => best,
        };
      },
    };
  };
}

function collect(distinct: boolean): AggregationFactory {
  return (call) => {
    arity(call, 1, 2);
    const { type, eval: value } = argument(call, 0);
    const max = limit(call);
    return {
      type: 'dynamic',
      create: () => {
        const items: unknown[] = [];
        const seen = new Set<string>();
        return {
          add: (row, ctx) => {
            const v = value(row, ctx);
            if (v === null || v === undefined || items.length >= max) return;
            const json = toDynamic(v, type);
            if (distinct) {
              const key = valueKey(json);
              if (seen.has(key)) return;
              seen.add(key);
            }
            items.push(json);
          },
          result: () => items,
        };
      },
    };
  };
}

function numericArgument(call: AggregationCall): Compiled {
  const arg = argument(call, 0);
  if (!isNumeric(arg.type) && arg.type !== 'timespan') {
    throw call.scope.reporter.error(
      'E_KQL_SEMANTIC',
      `${call.name}() needs a number, got ${arg.type}`,
      call.node,
    );
  }
  return arg;
}

const dcount: AggregationFactory = (call) => {
  // The accuracy argument is accepted and ignored: the emulator counts exactly.
  arity(call, 1, 2);
  const value = argument(call, 0).eval;
  return {
    type: 'long',
    create: () => {
      const seen = new Set<string>();
      return {
        add: (row, ctx) => {
          const v = value(row, ctx);
          if (v !== null && v !== undefined) seen.add(valueKey(v));
        },
        result: () => seen.size,
      };
    },
  };
};

const sum: AggregationFactory = (call) => {
  arity(call, 1, 1);
  const { type, eval: value } = numericArgument(call);
  const ticks = type === 'timespan';
  return {
    type: type === 'int' ? 'long' : type,
    create: () => {
      let total: number | bigint | null = null;
      return {
        add: (row, ctx) => {
          const v = value(row, ctx);
          if (v === null || v === undefined) return;
          if (ticks) total = ((total as bigint | null) ?? 0n) + (v as bigint);
          else total = ((total as number | null) ?? 0) + Number(v);
        },
        result: () => total,
      };
    },
  };
};

const avg: AggregationFactory = (call) => {
  arity(call, 1, 1);
  const { type, eval: value } = numericArgument(call);
  return {
    type: type === 'timespan' ? 'timespan' : 'real',
    create: () => {
      let total = 0;
      let n = 0;
      return {
        add: (row, ctx) => {
          const v = value(row, ctx);
          if (v === null || v === undefined) return;
          total += Number(v);
          n++;
        },
        result: () => {
          if (n === 0) return null;
          return type === 'timespan' ? BigInt(Math.round(total / n)) : total / n;
        },
      };
    },
  };
};

/** make_bag(bag [, maxSize]): the keys of the groups' property bags in one bag; a key keeps its first value. */
const makeBag: AggregationFactory = (call) => {
  arity(call, 1, 2);
  const { type, eval: value } = argument(call, 0);
  const max = limit(call);
  return {
    type: 'dynamic',
    create: () => {
      const bag: Record<string, unknown> = {};
      let keys = 0;
      return {
        add: (row, ctx) => {
          const v = type === 'dynamic' ? value(row, ctx) : undefined;
          if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
          for (const [k, item] of Object.entries(v)) {
            if (keys >= max || Object.hasOwn(bag, k)) continue;
            bag[k] = item;
            keys++;
          }
        },
        result: () => bag,
      };
    },
  };
};

const takeAny: AggregationFactory = (call) => {
  arity(call, 1, 1);
  const { type, eval: value } = argument(call, 0);
  return {
    type,
    create: () => {
      let found: unknown = null;
      return {
        add: (row, ctx) => {
          if (found === null) found = value(row, ctx) ?? null;
        },
        result: () => found,
      };
    },
  };
};

const AGGREGATIONS: ReadonlyMap<string, AggregationFactory> = new Map<string, AggregationFactory>([
  [
    'count',
    (call) => {
      arity(call, 0, 0);
      return {
        type: 'long',
        create: () => {
          let n = 0;
          return {
            add: () => {
              n++;
            },
            result: () => n,
          };
        },
      };
    },
  ],
  [
    'countif',
    (call) => {
      arity(call, 1, 1);
      const node = call.args[0] ?? call.node;
      const test = compilePredicate(node, call.scope).eval;
      return {
        type: 'long',
        create: () => {
          let n = 0;
          return {
            add: (row, ctx) => {
              if (test(row, ctx) === true) n++;
            },
            result: () => n,
          };
        },
      };
    },
  ],
  ['dcount', dcount],
  ['min', extreme(-1)],
  ['max', extreme(1)],
  ['sum', sum],
  ['avg', avg],
  ['make_set', collect(true)],
  ['make_list', collect(false)],
  ['make_bag', makeBag],
  ['take_any', takeAny],
  ['take_anyif', conditional(takeAny, 2, 2)],
  ['minif', conditional(extreme(-1), 2, 2)],
  ['maxif', conditional(extreme(1), 2, 2)],
  ['sumif', conditional(sum, 2, 2)],
  ['avgif', conditional(avg, 2, 2)],
  ['dcountif', conditional(dcount, 2, 3)],
  ['make_set_if', conditional(collect(true), 2, 3)],
  ['make_list_if', conditional(collect(false), 2, 3)],
]);

/** Deprecated names Kusto still accepts, and the aggregation each stands for. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['any', 'take_any'],
  ['makeset', 'make_set'],
  ['makelist', 'make_list'],
]);

const COLUMN_PREFIX: ReadonlyMap<string, string> = new Map([
  ['make_set', 'set'],
  ['make_bag', 'bag'],
  ['make_list', 'list'],
  ['make_set_if', 'set'],
  ['make_list_if', 'list'],
  ['take_any', 'any'],
]);

/** Compiles one `agg(...)` of a summarize and the column name Kusto would give it. */
export function aggregation(
  expr: SyntaxNode,
  scope: Scope,
): { aggregation: Aggregation; defaultName: string } {
  const { reporter } = scope;
  const name = expr.kind === 'FunctionCallExpression' ? nameOf(reporter.need(expr, 'Name')) : undefined;
  const canonical = name === undefined ? undefined : (ALIASES.get(name) ?? name);
  const factory = canonical === undefined ? undefined : AGGREGATIONS.get(canonical);
  if (canonical === undefined || factory === undefined) {
    throw reporter.unsupported(
      `summarize supports only direct calls of ${[...AGGREGATIONS.keys(), ...ROW_SELECTORS.keys()].join(', ')}; ` +
        `'${reporter.snippet(expr)}' is not one`,
      expr,
    );
  }
  const args = listElements(child(reporter.need(expr, 'ArgumentList'), 'Expressions'));
  const firstColumn = args[0] === undefined ? undefined : nameOf(args[0]);
  const prefix = COLUMN_PREFIX.get(canonical) ?? canonical;
  // Kusto's analyzer names take_any(X) and take_anyif(X, …) plainly X, but any(X) any_X.
  const plain = (name === 'take_any' || name === 'take_anyif') && firstColumn !== undefined;
  const columnName =
    canonical === 'count' || canonical === 'countif'
      ? `${canonical}_`
      : plain
        ? firstColumn
        : `${prefix}_${firstColumn ?? ''}`;
  return { aggregation: factory({ name: canonical, node: expr, args, scope }), defaultName: columnName };
}
