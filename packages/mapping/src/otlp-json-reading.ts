// The parts of the OTLP/JSON reader that another decoder of the same requests builds on (the
// gateway's, which makes protobuf messages where this package makes records), so both accept
// exactly the same JSON and name a bad field the same way. Exported as one namespace,
// `otlpJsonReading`: start at `rootOf()`, step with `at`, check shapes with `objectAt`, `listAt`,
// `keyOf`, read scalars with the `read…` functions; every problem is an `OtlpJsonError`.
export { at, describe, fail, keyOf, listAt, objectAt, optionalObjectAt, rootOf } from './otlp-json-path.js';
export type { JsonObject, Root, Where } from './otlp-json-path.js';
export {
  anyValueMember,
  readBytes,
  readDouble,
  readInt64,
  readInteger,
  readSeverityNumber,
  readSpanId,
  readString,
  readTraceId,
  readUint64,
} from './otlp-json-scalars.js';
export type { AnyValueField, AnyValueMember } from './otlp-json-scalars.js';
export { parseJsonWithBigInts } from './exact-json.js';
