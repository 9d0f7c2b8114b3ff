// The structural shape of a log record that the mapping reads. Both OpenTelemetry JS SDK lines'
// `ReadableLogRecord` (sdk-logs 0.22x and 3.x) satisfy it, and the OTLP/JSON reader yields it,
// so this package needs no OpenTelemetry dependency.

/** `[seconds, nanoseconds]` since the Unix epoch, as in `@opentelemetry/api`'s `HrTime`. */
export type HrTimeLike = readonly [number, number];

/**
 * A log attribute or body value: OTel `AnyValue`. Strings, numbers, booleans, `Uint8Array`,
 * arrays and maps of those; `bigint` appears when OTLP int64 values exceed 2^53; `null` and
 * `undefined` mean absent.
 */
export type AnyValueLike = unknown;

/** Attribute bag: OTel `Attributes`/`LogAttributes`. */
export type AttributesLike = Readonly<Record<string, AnyValueLike>>;

export interface SpanContextLike {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags?: number | undefined;
}

export interface ResourceLike {
  readonly attributes: AttributesLike;
}

export interface InstrumentationScopeLike {
  readonly name: string;
  readonly version?: string | undefined;
}

/** What the mapping reads from a log record. */
export interface LogRecordLike {
  readonly hrTime: HrTimeLike;
  readonly hrTimeObserved?: HrTimeLike | undefined;
  readonly spanContext?: SpanContextLike | undefined;
  readonly severityText?: string | undefined;
  readonly severityNumber?: number | undefined;
  readonly body?: AnyValueLike;
  readonly eventName?: string | undefined;
  readonly resource?: ResourceLike | undefined;
  readonly instrumentationScope?: InstrumentationScopeLike | undefined;
  readonly attributes: AttributesLike;
}
