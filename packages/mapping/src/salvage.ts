// A safe summary of a record that produced no row (rejected or unrouted), for the exporter's
// spool: the record's identity, and its body and attributes through the same redaction and
// sanitising as any row, so nothing reaches disk that a row could not carry.

import { createHrTimeFormatter } from './datetime.js';
import { DynamicWalker } from './dynamic.js';
import type { DynamicScratch } from './dynamic.js';
import type { LogRecordLike } from './log-record.js';
import { createRowRedactor, newRedactionCounts } from './redact.js';
import type { Row } from './compile-mapping.js';

export interface SalvageOptions {
  /** Most UTF-8 bytes of the salvaged row's JSON; larger bodies and bags are cut. Default 65536. */
  readonly maxBytes?: number;
}

/**
 * Builds salvage rows; create once and reuse.
 * @internal Exported for @otel-sentinel/exporter, which spools the records a mapping rejects in
 * this shape; users never build salvage rows themselves.
 */
export function createSalvager(options: SalvageOptions = {}): (record: LogRecordLike) => Row {
  const max = options.maxBytes ?? 65_536;
  const walker = new DynamicWalker({
    redactor: createRowRedactor(),
    counts: newRedactionCounts(),
    sanitize: true,
  });
  const time = createHrTimeFormatter();
  return (record) => {
    const scratch: DynamicScratch = { bytes: 0, chars: 0, sanitized: 0, sensitiveKeys: 0 };
    const row: Row = {
      TimeGenerated: time(record.hrTime),
      EventName: record.eventName,
      SeverityText: record.severityText,
      SeverityNumber: record.severityNumber,
      TraceId: record.spanContext?.traceId,
      SpanId: record.spanContext?.spanId,
      Body: record.body === undefined ? undefined : walker.value(record.body, scratch, 0),
      Attributes: walker.map(record.attributes, scratch, 0, false),
      Resource: record.resource ? walker.map(record.resource.attributes, scratch, 0, false) : undefined,
    };
    if (scratch.bytes > max) {
      const json = JSON.stringify(row);
      if (Buffer.byteLength(json) > max) {
        row.Body = '[TRUNCATED: the record was larger than the salvage limit]';
        row.Attributes = '[TRUNCATED]';
        row.Resource = undefined;
      }
    }
    return row;
  };
}
