// decodeLogsRequest: an OTLP/HTTP logs body (protobuf or JSON) to the records the mapping reads,
// able to forward any subset of its records as protobuf.
import type { LogRecordLike } from '@otel-sentinel/mapping';

import { readJsonRequest } from './decode-json.js';
import { decodeProtobufRequest } from './decode-protobuf.js';
import { ExportLogsServiceRequest } from './schema.js';
import type {
  LogRecordMessage,
  LogsRequestMessage,
  ResourceLogsMessage,
  ScopeLogsMessage,
} from './schema.js';
import { toRecords } from './to-records.js';
import type { DecodedLogs, DecodeLimits, OtlpFormat } from './types.js';

const DEFAULT_MAX_DEPTH = 32;
// Protobuf refuses messages nested more than 100 deep; a body of kvlists 32 deep reaches 97.
const MAX_MAX_DEPTH = 32;
const DEFAULT_MAX_RECORDS = 100_000;
const NO_ITEMS: readonly never[] = [];

/**
 * Decodes one ExportLogsServiceRequest body. Throws `OtlpDecodeError` (answer 400) for a body that
 * is not valid OTLP in `format` or that exceeds `limits`; a RangeError or TypeError only for bad
 * `limits` or `format` (a caller bug).
 */
export function decodeLogsRequest(body: Uint8Array, format: OtlpFormat, limits?: DecodeLimits): DecodedLogs {
  const maxDepth = limitOf(limits?.maxDepth, 'maxDepth', DEFAULT_MAX_DEPTH, MAX_MAX_DEPTH);
  const maxRecords = limitOf(limits?.maxRecords, 'maxRecords', DEFAULT_MAX_RECORDS, Number.MAX_SAFE_INTEGER);
  switch (format) {
    case 'protobuf':
      return decodeProtobufRequest(body, maxDepth, maxRecords);
    case 'json': {
      const request = readJsonRequest(body, maxDepth, maxRecords);
      return new DecodedJsonRequest(request, toRecords(request, maxDepth));
    }
    default:
      throw new TypeError(`format must be 'protobuf' or 'json', got ${String(format)}`);
  }
}

function limitOf(value: number | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new RangeError(`DecodeLimits.${name} must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

/** A request read from OTLP/JSON, whose subsets are encoded from its messages. */
class DecodedJsonRequest implements DecodedLogs {
  readonly records: readonly LogRecordLike[];
  private readonly request: LogsRequestMessage;

  constructor(request: LogsRequestMessage, records: readonly LogRecordLike[]) {
    this.request = request;
    this.records = records;
  }

  subset(keep: (index: number) => boolean): Uint8Array | undefined {
    const kept: ResourceLogsMessage[] = [];
    let index = 0;
    for (const resourceLogs of this.request.resourceLogs ?? NO_ITEMS) {
      const scopes: ScopeLogsMessage[] = [];
      for (const scopeLogs of resourceLogs.scopeLogs ?? NO_ITEMS) {
        const logRecords: LogRecordMessage[] = [];
        for (const record of scopeLogs.logRecords ?? NO_ITEMS) if (keep(index++)) logRecords.push(record);
        if (logRecords.length !== 0) {
          scopes.push({ scope: scopeLogs.scope, logRecords, schemaUrl: scopeLogs.schemaUrl });
        }
      }
      if (scopes.length !== 0) {
        kept.push({ resource: resourceLogs.resource, scopeLogs: scopes, schemaUrl: resourceLogs.schemaUrl });
      }
    }
    if (kept.length === 0) return undefined;
    return ExportLogsServiceRequest.encode({ resourceLogs: kept }).finish();
  }
}
