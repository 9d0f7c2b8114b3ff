// Conditionals and null tests: iif/iff, case, coalesce, not, isempty/isnotempty, isnull/isnotnull.

import { typed, type Compiled, type Evaluator } from './compiled.js';
import { arg, asCondition, commonType, typeError, type ScalarFunction } from './call.js';
import { readAs } from './operands.js';
import { toDynamic } from './values.js';

/** A one-argument bool function: whether `holds` of the argument is `expected`. */
function valueTest(holds: (v: unknown) => boolean, expected: boolean): ScalarFunction {
  return {
    min: 1,
    max: 1,
    compile: (call) => {
      const evaluate = arg(call, 0).eval;
      return typed('bool', (row, ctx) => holds(evaluate(row, ctx)) === expected);
    },
  };
}

const isEmptyValue = (v: unknown): boolean => v === null || v === undefined || v === '';
const isNullValue = (v: unknown): boolean => v === null || v === undefined;
const emptiness = (empty: boolean): ScalarFunction => valueTest(isEmptyValue, empty);
const nullness = (isNull: boolean): ScalarFunction => valueTest(isNullValue, isNull);

const conditional: ScalarFunction = {
  min: 3,
  max: 3,
  compile: (call) => {
    const test = asCondition(call, 0);
    const type = commonType(call, [arg(call, 1), arg(call, 2)], true);
    const then = readAs(arg(call, 1), type);
    const otherwise = readAs(arg(call, 2), type);
    return typed(type, (row, ctx) => (test(row, ctx) === true ? then(row, ctx) : otherwise(row, ctx)));
  },
};

const caseFunction: ScalarFunction = {
  min: 3,
  max: 255,
  compile: (call) => {
    if (call.args.length % 2 === 0)
      throw typeError(call, 'needs condition/value pairs and a final else value');
    const pairs: { test: Evaluator; value: Evaluator }[] = [];
    const results: Compiled[] = [];
    for (let i = 1; i < call.args.length; i += 2) results.push(arg(call, i));
    const last = arg(call, call.args.length - 1);
    results.push(last);
    const type = commonType(call, results, true);
    for (let i = 0; i + 1 < call.args.length; i += 2) {
      pairs.push({ test: asCondition(call, i), value: readAs(arg(call, i + 1), type) });
    }
    const otherwise = readAs(last, type);
    return typed(type, (row, ctx) => {
      for (const pair of pairs) if (pair.test(row, ctx) === true) return pair.value(row, ctx);
      return otherwise(row, ctx);
    });
  },
};

const notFunction: ScalarFunction = {
  min: 1,
  max: 1,
  compile: (call) => {
    const test = asCondition(call, 0);
    return typed('bool', (row, ctx) => {
      const v = test(row, ctx);
      return typeof v === 'boolean' ? !v : null;
    });
  },
};

const coalesce: ScalarFunction = {
  min: 2,
  max: 64,
  compile: (call) => {
    // With a dynamic argument among others the result is dynamic, each value read as one: Microsoft's
    // ASIM data tester calls coalesce(selected_schema, f['EventSchema'], 'Common').
    const mixed = call.args.some((a) => a.type === 'dynamic') && call.args.some((a) => a.type !== 'dynamic');
    const type = mixed ? 'dynamic' : commonType(call, call.args);
    const evals = call.args.map((a): Evaluator =>
      mixed ? (row, ctx) => toDynamic(a.eval(row, ctx), a.type) : a.eval,
    );
    return typed(type, (row, ctx) => {
      for (const e of evals) {
        const v = e(row, ctx);
        if (v !== null && v !== undefined && v !== '') return v;
      }
      return type === 'string' ? '' : null;
    });
  },
};

export const CONDITIONAL_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['isempty', emptiness(true)],
  ['isnotempty', emptiness(false)],
  ['isnull', nullness(true)],
  ['isnotnull', nullness(false)],
  ['not', notFunction],
  ['iif', conditional],
  ['iff', conditional],
  ['case', caseFunction],
  ['coalesce', coalesce],
];
