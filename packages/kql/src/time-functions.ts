// Time functions: now(), ago(), bin()/floor(), startofday(), ingestion_time().

import { constant, typed } from './compiled.js';
import { arg, expectType, typeError, type ScalarFunction } from './call.js';
import { EPOCH_OFFSET_TICKS, floorDiv, TICKS_PER_DAY } from './datetime.js';
import { indexOfColumn, isNumeric } from './types.js';

/** bin()/floor(): datetimes in steps counted from 0001-01-01, as Kusto does. */
const binFunction: ScalarFunction = {
  min: 2,
  max: 2,
  compile: (call) => {
    const value = arg(call, 0);
    const size = arg(call, 1);
    const v = value.eval;
    const s = size.eval;
    if ((value.type === 'datetime' || value.type === 'timespan') && size.type === 'timespan') {
      const offset = value.type === 'datetime' ? EPOCH_OFFSET_TICKS : 0n;
      return typed(value.type, (row, ctx) => {
        const t = v(row, ctx) as bigint | null;
        const step = s(row, ctx) as bigint | null;
        if (t === null || step === null || step <= 0n) return null;
        return floorDiv(t + offset, step) * step - offset;
      });
    }
    if (isNumeric(value.type) && isNumeric(size.type)) {
      const type = value.type === 'real' || size.type === 'real' ? 'real' : value.type;
      return typed(type, (row, ctx) => {
        const n = v(row, ctx) as number | null;
        const step = s(row, ctx) as number | null;
        if (n === null || step === null || step <= 0) return null;
        return Math.floor(n / step) * step;
      });
    }
    throw typeError(call, `cannot bin ${value.type} by ${size.type}`);
  },
};

export const TIME_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  [
    'now',
    {
      min: 0,
      max: 1,
      compile: (call) => {
        if (call.args.length === 0) return typed('datetime', (_row, ctx) => ctx.now);
        const offset = expectType(call, 0, 'timespan').eval;
        return typed('datetime', (row, ctx) => {
          const o = offset(row, ctx) as bigint | null;
          return o === null ? null : ctx.now + o;
        });
      },
    },
  ],
  [
    'ago',
    {
      min: 1,
      max: 1,
      compile: (call) => {
        const span = expectType(call, 0, 'timespan').eval;
        return typed('datetime', (row, ctx) => {
          const s = span(row, ctx) as bigint | null;
          return s === null ? null : ctx.now - s;
        });
      },
    },
  ],
  ['bin', binFunction],
  ['floor', binFunction],
  [
    'startofday',
    {
      min: 1,
      max: 1,
      compile: (call) =>
        binFunction.compile({
          ...call,
          args: [expectType(call, 0, 'datetime'), constant('timespan', TICKS_PER_DAY)],
        }),
    },
  ],
  [
    'ingestion_time',
    {
      min: 0,
      max: 0,
      compile: (call) => {
        const index = indexOfColumn(call.scope.schema, '_TimeReceived');
        if (call.scope.mode !== 'query' || index < 0) {
          throw call.scope.reporter.unsupported(
            'ingestion_time() is only available on stored tables',
            call.node,
          );
        }
        return typed('datetime', (row) => row[index] ?? null);
      },
    },
  ],
];
