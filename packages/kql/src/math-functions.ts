// Math functions: round, abs, sign, ceiling, sqrt, exp, log/log2/log10, pow, isnan/isinf/isfinite
// and tohex. Results outside the real numbers (log of a negative, sqrt of -1) are null.

import { arg, typeError, type Call, type ScalarFunction } from './call.js';
import { typed, type Compiled } from './compiled.js';
import { longArg } from './function-args.js';
import { readAs } from './operands.js';
import { isNumeric, type KqlType } from './types.js';

/** Argument `index` as a number (a long beyond 2^53 loses its last digits), null when null. */
function numberArg(call: Call, index: number): (row: unknown[], ctx: { now: bigint }) => number | null {
  const a = arg(call, index);
  if (!isNumeric(a.type) && a.type !== 'dynamic')
    throw typeError(call, `argument ${index + 1} must be a number, not ${a.type}`);
  const read = readAs(a, 'real');
  return (row, ctx) => {
    const v = read(row, ctx);
    return v === null || v === undefined ? null : Number(v);
  };
}

/** A function of one number whose result is real; `NaN` (no real result) becomes null. */
function real(f: (x: number) => number): ScalarFunction {
  return {
    min: 1,
    max: 1,
    compile: (call) => {
      const x = numberArg(call, 0);
      return typed('real', (row, ctx) => {
        const v = x(row, ctx);
        if (v === null) return null;
        const r = f(v);
        return Number.isNaN(r) && !Number.isNaN(v) ? null : r;
      });
    },
  };
}

/** A function of one number keeping its type (`widen`: an int becomes a long), as Kusto's analyzer types it. */
function sameType(f: (x: number) => number, widen = false): ScalarFunction {
  return {
    min: 1,
    max: 1,
    compile: (call) => {
      const x = numberArg(call, 0);
      const given = arg(call, 0).type;
      const type: KqlType = given === 'dynamic' ? 'real' : widen && given === 'int' ? 'long' : given;
      return typed(type, (row, ctx) => {
        const v = x(row, ctx);
        return v === null ? null : f(v);
      });
    },
  };
}

/** Half away from zero at `digits` decimals, reading the scaled value to 15 significant digits first. */
export function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const scale = 10 ** digits;
  const scaled = Number((Math.abs(x) * scale).toPrecision(15));
  return (Math.sign(x) * Math.round(scaled)) / scale;
}

/** round(number [, precision]): half away from zero; the type of the number. */
const round: ScalarFunction = {
  min: 1,
  max: 2,
  compile: (call) => {
    const x = numberArg(call, 0);
    const digits = call.args.length > 1 ? longArg(call, 1) : (): number => 0;
    const type: KqlType = arg(call, 0).type === 'dynamic' ? 'real' : arg(call, 0).type;
    return typed(type, (row, ctx) => {
      const v = x(row, ctx);
      const d = digits(row, ctx);
      return v === null || d === null ? null : roundTo(v, d);
    });
  },
};

const pow: ScalarFunction = {
  min: 2,
  max: 2,
  compile: (call) => {
    const [base, exponent] = [numberArg(call, 0), numberArg(call, 1)];
    return typed('real', (row, ctx) => {
      const b = base(row, ctx);
      const e = exponent(row, ctx);
      if (b === null || e === null) return null;
      const r = b ** e;
      return Number.isNaN(r) ? null : r;
    });
  },
};

function test(f: (x: number) => boolean): ScalarFunction {
  return {
    min: 1,
    max: 1,
    compile: (call) => {
      const x = numberArg(call, 0);
      return typed('bool', (row, ctx) => {
        const v = x(row, ctx);
        return v === null ? null : f(v);
      });
    },
  };
}

/** tohex(number [, minLength]): lower-case hex; a negative number as its 64-bit two's complement. */
const toHex: ScalarFunction = {
  min: 1,
  max: 2,
  compile: (call): Compiled => {
    const value = longArg(call, 0);
    const width = call.args.length > 1 ? longArg(call, 1) : (): number => 0;
    return typed('string', (row, ctx) => {
      const v = value(row, ctx);
      if (v === null) return '';
      const hex = BigInt.asUintN(64, BigInt(Math.trunc(v))).toString(16);
      return hex.padStart(width(row, ctx) ?? 0, '0');
    });
  },
};

export const MATH_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['round', round],
  ['abs', sameType(Math.abs, true)],
  ['sign', real(Math.sign)],
  ['ceiling', sameType(Math.ceil)],
  ['sqrt', real(Math.sqrt)],
  ['exp', real(Math.exp)],
  ['log', real((x) => (x < 0 ? Number.NaN : Math.log(x)))],
  ['log2', real((x) => (x < 0 ? Number.NaN : Math.log2(x)))],
  ['log10', real((x) => (x < 0 ? Number.NaN : Math.log10(x)))],
  ['pow', pow],
  ['isnan', test(Number.isNaN)],
  ['isinf', test((x) => x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY)],
  ['isfinite', test(Number.isFinite)],
  ['tohex', toHex],
];
