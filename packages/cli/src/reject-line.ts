// The line written for a rejected or unrouted record. It names the record (position, event name,
// time, trace) and the reason, and never carries attribute values or the body: they may be secrets.

import { hrTimeToIso } from '@otel-sentinel/mapping';
import type { LogRecordLike, RejectReason } from '@otel-sentinel/mapping';

export function rejectLine(index: number, record: LogRecordLike, reason: RejectReason): string {
  const ref: Record<string, unknown> = { index, eventName: record.eventName ?? null, time: timeOf(record) };
  const traceId = record.spanContext?.traceId;
  if (traceId !== undefined) ref.traceId = traceId;
  return JSON.stringify({ reason: reasonOf(reason), record: ref });
}

function reasonOf(r: RejectReason): Record<string, string> {
  const out: Record<string, string> = { code: r.code, message: r.message };
  if (r.stream !== undefined) out.stream = r.stream;
  if (r.column !== undefined) out.column = r.column;
  return out;
}

/** ISO time, or null when the record has none ([0, 0]) or it is out of range. */
function timeOf(record: LogRecordLike): string | null {
  const [s, ns] = record.hrTime;
  if (s === 0 && ns === 0) return null;
  try {
    return hrTimeToIso(record.hrTime);
  } catch {
    return null;
  }
}
