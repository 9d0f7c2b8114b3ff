// `typeof(string)` as a value: the type argument some functions take (`extract(…, typeof(long))`).

import type { KqlType } from './types.js';

/** The value a `typeof(…)` argument compiles to; only functions that take a type read it. */
export class TypeLiteral {
  constructor(readonly type: KqlType) {}
}
