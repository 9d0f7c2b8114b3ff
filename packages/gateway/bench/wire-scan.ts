// The floor of decoding an OTLP/protobuf logs request: walk every field of every message down to
// the leaves (each tag read, each nested message entered, each scalar and string skipped) and
// count the log records, building nothing. Any decoder must at least do this walk, so the
// gateway's handler, which also builds, checks and maps every record, cannot be faster than it.
// Written here from the OTLP proto (opentelemetry/proto/logs/v1, common/v1, resource/v1), not
// from the gateway's decoder, so the floor does not share that decoder's mistakes or its speed.

/** The message types of a logs request, numbered for the table below. */
const M = {
  Request: 0,
  ResourceLogs: 1,
  Resource: 2,
  ScopeLogs: 3,
  Scope: 4,
  LogRecord: 5,
  KeyValue: 6,
  AnyValue: 7,
  ArrayValue: 8,
  KeyValueList: 9,
} as const;

const LEAF = -1;

/** For each message type, the type of each length-delimited field that is a message (else LEAF). */
const CHILDREN: readonly (readonly number[])[] = [
  /* Request: 1 resource_logs */ [LEAF, M.ResourceLogs],
  /* ResourceLogs: 1 resource, 2 scope_logs, 3 schema_url */ [LEAF, M.Resource, M.ScopeLogs, LEAF],
  /* Resource: 1 attributes, 2 dropped (varint) */ [LEAF, M.KeyValue],
  /* ScopeLogs: 1 scope, 2 log_records, 3 schema_url */ [LEAF, M.Scope, M.LogRecord, LEAF],
  /* Scope: 1 name, 2 version, 3 attributes */ [LEAF, LEAF, LEAF, M.KeyValue],
  /* LogRecord: 3 severity_text, 5 body, 6 attributes, 9 trace_id, 10 span_id, 12 event_name */
  [LEAF, LEAF, LEAF, LEAF, LEAF, M.AnyValue, M.KeyValue],
  /* KeyValue: 1 key, 2 value */ [LEAF, LEAF, M.AnyValue],
  /* AnyValue: 1 string, 5 array, 6 kvlist, 7 bytes */ [
    LEAF,
    LEAF,
    LEAF,
    LEAF,
    LEAF,
    M.ArrayValue,
    M.KeyValueList,
  ],
  /* ArrayValue: 1 values */ [LEAF, M.AnyValue],
  /* KeyValueList: 1 values */ [LEAF, M.KeyValue],
];

export class WireScanError extends Error {
  constructor(at: number, what: string) {
    super(`wire scan: ${what} at byte ${at}; the bench's request body is not a valid OTLP logs request`);
    this.name = 'WireScanError';
  }
}

/** Reads a varint at `at`; returns its value (low 32 bits suffice: only tags and lengths are used) and its end. */
function varint(bytes: Uint8Array, at: number, out: { end: number }): number {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    if (i >= bytes.length) throw new WireScanError(at, 'truncated varint');
    const b = bytes[i++] ?? 0;
    if (shift < 28) value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
    if (shift > 63) throw new WireScanError(at, 'varint longer than 10 bytes');
  }
  out.end = i;
  return value >>> 0;
}

const cursor = { end: 0 };

/** Walks the message of type `type` in bytes[from, to); returns the log records it holds. */
function walk(bytes: Uint8Array, from: number, to: number, type: number): number {
  let records = 0;
  const children = CHILDREN[type] ?? [];
  let i = from;
  while (i < to) {
    const tag = varint(bytes, i, cursor);
    i = cursor.end;
    const field = tag >>> 3;
    switch (tag & 7) {
      case 0:
        varint(bytes, i, cursor);
        i = cursor.end;
        break;
      case 1:
        i += 8;
        break;
      case 5:
        i += 4;
        break;
      case 2: {
        const length = varint(bytes, i, cursor);
        i = cursor.end;
        const end = i + length;
        if (end > to) throw new WireScanError(i, 'length past the end of its message');
        const child = children[field] ?? LEAF;
        if (child !== LEAF) {
          if (child === M.LogRecord) records++;
          records += walk(bytes, i, end, child);
        }
        i = end;
        break;
      }
      default:
        throw new WireScanError(i, `wire type ${tag & 7}`);
    }
  }
  if (i !== to) throw new WireScanError(i, 'field past the end of its message');
  return records;
}

/** The log records of an OTLP/protobuf ExportLogsServiceRequest, found by walking every field. */
export function scanLogRecords(bytes: Uint8Array): number {
  return walk(bytes, 0, bytes.length, M.Request);
}
