// OTLP request bodies built by hand (OTLP/JSON text, and protobuf through protobufjs from the
// same JSON shape), the answers decoded, and a small HTTP client for the contract tests.
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

const root = protobuf.loadSync(new URL('../../proto/logs.proto', import.meta.url).pathname);
const RequestType = root.lookupType('otelsentinel.otlp.v1.ExportLogsServiceRequest');
const ResponseType = root.lookupType('otelsentinel.otlp.v1.ExportLogsServiceResponse');
const StatusType = root.lookupType('otelsentinel.otlp.v1.Status');

export type Scalar = string | number | boolean;

export interface TestRecord {
  readonly eventName?: string;
  readonly body?: string;
  readonly severityText?: string;
  readonly attributes: Readonly<Record<string, Scalar>>;
}

/** 2025-11-23T08:15:30Z in nanoseconds, as OTLP/JSON writes it. */
export const T0_NANOS = '1763885730000000000';

function anyValue(v: Scalar): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

/** The OTLP/JSON object of one request: one resource, one scope, these records. */
export function requestObject(
  records: readonly TestRecord[],
  service = 'test-service',
): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [
          {
            scope: { name: 'test-scope', version: '1.0.0' },
            logRecords: records.map((r) => ({
              timeUnixNano: T0_NANOS,
              ...(r.eventName !== undefined ? { eventName: r.eventName } : {}),
              ...(r.severityText !== undefined ? { severityText: r.severityText } : {}),
              ...(r.body !== undefined ? { body: { stringValue: r.body } } : {}),
              attributes: Object.entries(r.attributes).map(([key, v]) => ({ key, value: anyValue(v) })),
            })),
          },
        ],
      },
    ],
  };
}

export function jsonBody(records: readonly TestRecord[]): Buffer {
  return Buffer.from(JSON.stringify(requestObject(records)));
}

export function protobufBody(records: readonly TestRecord[]): Buffer {
  return Buffer.from(RequestType.encode(RequestType.fromObject(requestObject(records))).finish());
}

export function securityRecord(
  seq: number,
  eventName = 'authn_login_fail',
  extra: Record<string, Scalar> = {},
): TestRecord {
  return {
    eventName,
    severityText: 'WARN',
    body: `security event ${seq}`,
    attributes: {
      'security.event': true,
      'user.id': `user${seq}`,
      'client.address': '203.0.113.9',
      seq,
      ...extra,
    },
  };
}

export function operationalRecord(seq: number): TestRecord {
  return { body: `operational ${seq}`, severityText: 'INFO', attributes: { seq } };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

/** POSTs a body to the gateway; `gzip` compresses it and sets Content-Encoding. */
export async function post(
  url: string,
  body: Uint8Array,
  contentType: string | undefined,
  options: {
    readonly headers?: Record<string, string>;
    readonly gzip?: boolean;
    readonly method?: string;
  } = {},
): Promise<Answer> {
  const payload = options.gzip === true ? gzipSync(body) : body;
  const headers: Record<string, string> = { ...options.headers };
  if (contentType !== undefined) headers['content-type'] = contentType;
  if (options.gzip === true) headers['content-encoding'] = 'gzip';
  const res = await fetch(url, { method: options.method ?? 'POST', headers, body: payload });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

export async function get(url: string): Promise<Answer> {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

export interface PartialSuccess {
  readonly rejectedLogRecords: number;
  readonly errorMessage: string;
}

/** The partialSuccess of an ExportLogsServiceResponse (protobuf or JSON), if set. */
export function partialSuccessOf(answer: Answer): PartialSuccess | undefined {
  const json = answer.headers.get('content-type')?.startsWith('application/json') === true;
  const message: Record<string, unknown> = json
    ? (JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>)
    : ResponseType.toObject(ResponseType.decode(answer.body), { longs: Number, defaults: false });
  const partial = message.partialSuccess as
    { rejectedLogRecords?: number | string; errorMessage?: string } | undefined;
  if (partial === undefined) return undefined;
  return {
    rejectedLogRecords: Number(partial.rejectedLogRecords ?? 0),
    errorMessage: partial.errorMessage ?? '',
  };
}

/** The google.rpc.Status of an error answer (protobuf or JSON). */
export function statusOf(answer: Answer): { readonly code: number; readonly message: string } {
  const json = answer.headers.get('content-type')?.startsWith('application/json') === true;
  const message = json
    ? (JSON.parse(answer.body.toString('utf8')) as { code?: number; message?: string })
    : (StatusType.toObject(StatusType.decode(answer.body)) as { code?: number; message?: string });
  return { code: message.code ?? 0, message: message.message ?? '' };
}
