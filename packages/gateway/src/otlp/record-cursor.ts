// Where a decoder is in a request (resource, scope, record, field), kept as plain numbers the
// loops update, so an error's OTLP/JSON path is only built when there is a problem to report.
import type { HrTimeLike } from '@otel-sentinel/mapping';

import { OtlpDecodeError } from './errors.js';

// The field of a record (or of its resource or scope) being read.
export const RESOURCE_ATTRIBUTES = 0;
export const SCOPE_ATTRIBUTES = 1;
export const BODY = 2;
export const ATTRIBUTES = 3;
export const TRACE_ID = 4;
export const SPAN_ID = 5;

/**
 * The position of the conversion, the first value problem found (decoders report it and read on,
 * so that a malformed body is refused as malformed however early a bad value came), and the time
 * of decoding for records with neither timestamp.
 */
export class Cursor {
  resource = 0;
  scope = 0;
  record = 0;
  field = BODY;
  item = 0;
  readonly maxDepth: number;
  /** The first problem reported; the decoder throws it once the whole request is read. */
  problem: OtlpDecodeError | undefined;
  private receipt: HrTimeLike | undefined;

  constructor(maxDepth: number) {
    this.maxDepth = maxDepth;
  }

  /** The time of decoding, for records with neither timestamp; one value for the whole request. */
  now(): HrTimeLike {
    if (this.receipt === undefined) {
      const ms = Date.now();
      const msPart = ms % 1000;
      this.receipt = [(ms - msPart) / 1000, msPart * 1e6];
    }
    return this.receipt;
  }

  /** Keeps `problem`, at the current position, unless an earlier one was reported. */
  report(problem: string): void {
    this.problem ??= new OtlpDecodeError(problem, this.path());
  }

  /** Throws the first problem reported, if any. */
  throwProblem(): void {
    if (this.problem !== undefined) throw this.problem;
  }

  private path(): string {
    let path = `resourceLogs[${this.resource}]`;
    if (this.field === RESOURCE_ATTRIBUTES) return `${path}.resource.attributes[${this.item}]`;
    if (this.field === SCOPE_ATTRIBUTES)
      return `${path}.scopeLogs[${this.scope}].scope.attributes[${this.item}]`;
    path += `.scopeLogs[${this.scope}].logRecords[${this.record}].`;
    if (this.field === BODY) return `${path}body`;
    if (this.field === ATTRIBUTES) return `${path}attributes[${this.item}]`;
    return path + (this.field === TRACE_ID ? 'traceId' : 'spanId');
  }
}
