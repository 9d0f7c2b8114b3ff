// Scalar functions: the registry, conversions (to*()) and string helpers; time functions and
// conditionals live in their own files.

import { arg, expectType, typeError, type Call, type ScalarFunction } from './call.js';
import { typed, type Compiled } from './compiled.js';
import { CALENDAR_FUNCTIONS } from './calendar-functions.js';
import { CONDITIONAL_FUNCTIONS } from './conditional-functions.js';
import { DYNAMIC_FUNCTIONS } from './dynamic-functions.js';
import { ENCODING_FUNCTIONS } from './encoding-functions.js';
import { FORMAT_FUNCTIONS } from './format-datetime.js';
import { IPV4_FUNCTIONS } from './ip-functions.js';
import { IPV6_FUNCTIONS } from './ipv6-functions.js';
import { MATH_FUNCTIONS } from './math-functions.js';
import { SCOPE_FUNCTIONS } from './scope-functions.js';
import { STRING_FUNCTIONS } from './string-functions.js';
import { TIME_FUNCTIONS } from './time-functions.js';
import { TypeLiteral } from './type-literal.js';
import type { KqlType } from './types.js';
import { URL_FUNCTIONS } from './url-functions.js';
import { castTo, INVALID, toDynamic, toKqlString } from './values.js';

/** Names that are aggregations: used outside `summarize` they get their own message. */
export const AGGREGATION_NAMES: ReadonlySet<string> = new Set([
  'count',
  'countif',
  'dcount',
  'min',
  'max',
  'sum',
  'avg',
  'make_set',
  'make_list',
  'take_any',
  'any',
  'minif',
  'maxif',
  'sumif',
  'avgif',
  'dcountif',
  'make_set_if',
  'make_list_if',
  'arg_max',
  'arg_min',
  'makeset',
  'makelist',
  'make_bag',
  'take_anyif',
]);

/** The functions that take a `typeof(…)` argument. */
const TYPE_ARGUMENT_FUNCTIONS: ReadonlySet<string> = new Set(['extract']);

function cast(to: KqlType): ScalarFunction {
  return {
    min: 1,
    max: 1,
    compile: (call) => {
      const { type: from, eval: evaluate } = arg(call, 0);
      return typed(to, (row, ctx) => {
        const v = castTo(evaluate(row, ctx), from, to);
        return v === INVALID ? null : v;
      });
    },
  };
}

function parseJson(text: string): unknown {
  // parse_json('') is null (Kusto's gettype() documentation).
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Kusto keeps text that is not JSON as a dynamic string.
    return text;
  }
}

const toDynamicFunction: ScalarFunction = {
  min: 1,
  max: 1,
  compile: (call) => {
    const { type, eval: evaluate } = arg(call, 0);
    return typed('dynamic', (row, ctx) => {
      const v = evaluate(row, ctx);
      return type === 'string' && typeof v === 'string' ? parseJson(v) : toDynamic(v, type);
    });
  },
};

function textFunction(f: (text: string) => unknown, type: KqlType): ScalarFunction {
  return {
    min: 1,
    max: 1,
    compile: (call) => {
      const { type: from, eval: evaluate } = arg(call, 0);
      return typed(type, (row, ctx) => f(toKqlString(evaluate(row, ctx), from)));
    },
  };
}

const FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map<string, ScalarFunction>([
  ...TIME_FUNCTIONS,
  ...CALENDAR_FUNCTIONS,
  ...FORMAT_FUNCTIONS,
  ...CONDITIONAL_FUNCTIONS,
  ...SCOPE_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...DYNAMIC_FUNCTIONS,
  ...URL_FUNCTIONS,
  ...ENCODING_FUNCTIONS,
  ...IPV4_FUNCTIONS,
  ...IPV6_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ['todatetime', cast('datetime')],
  ['tostring', cast('string')],
  ['toint', cast('int')],
  ['tolong', cast('long')],
  ['toreal', cast('real')],
  ['todouble', cast('real')],
  ['tobool', cast('bool')],
  ['toboolean', cast('bool')],
  ['totimespan', cast('timespan')],
  ['totime', cast('timespan')],
  ['toguid', cast('guid')],
  ['todynamic', toDynamicFunction],
  ['parse_json', toDynamicFunction],
  [
    'strcat',
    {
      min: 1,
      max: 64,
      compile: (call) => {
        const parts = call.args.map((a) => ({ type: a.type, eval: a.eval }));
        return typed('string', (row, ctx) => {
          let out = '';
          for (const part of parts) out += toKqlString(part.eval(row, ctx), part.type);
          return out;
        });
      },
    },
  ],
  ['tolower', textFunction((t) => t.toLowerCase(), 'string')],
  ['toupper', textFunction((t) => t.toUpperCase(), 'string')],
  ['strlen', textFunction((t) => t.length, 'long')],
  [
    'substring',
    {
      min: 2,
      max: 3,
      compile: (call) => {
        const { type, eval: text } = arg(call, 0);
        const start = expectType(call, 1, 'int', 'long').eval;
        const length = call.args.length > 2 ? expectType(call, 2, 'int', 'long').eval : undefined;
        return typed('string', (row, ctx) => {
          const t = toKqlString(text(row, ctx), type);
          const from = Math.max(0, (start(row, ctx) as number | null) ?? 0);
          const count = length === undefined ? undefined : ((length(row, ctx) as number | null) ?? 0);
          return count === undefined ? t.slice(from) : t.slice(from, from + Math.max(0, count));
        });
      },
    },
  ],
]);

export const SCALAR_FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys()];

export function compileCall(call: Call): Compiled {
  const { name, scope, node } = call;
  const fn = FUNCTIONS.get(name);
  if (fn === undefined) {
    if (AGGREGATION_NAMES.has(name)) {
      throw scope.reporter.error(
        'E_KQL_UNSUPPORTED',
        `${name}() is an aggregation: it can only be used in summarize`,
        node,
      );
    }
    throw scope.reporter.unsupported(
      `Function '${name}' is not supported by otel-sentinel's KQL engine (supported: ${SCALAR_FUNCTION_NAMES.join(', ')})`,
      node,
    );
  }
  if (!TYPE_ARGUMENT_FUNCTIONS.has(name) && call.args.some((a) => a.constant?.value instanceof TypeLiteral)) {
    throw typeError(call, 'takes no typeof(…) argument');
  }
  if (call.args.length < fn.min || call.args.length > fn.max) {
    const expected = fn.min === fn.max ? `${fn.min}` : `${fn.min} to ${fn.max}`;
    throw typeError(call, `expects ${expected} argument(s), got ${call.args.length}`);
  }
  return fn.compile(call);
}
