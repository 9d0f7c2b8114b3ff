// One spooled row and its line on disk. A spool file is JSON lines: one entry per line, UTF-8,
// each line a JSON object with the fields of `SpoolEntry`, written in this order:
//
// {"time":"2026-01-02T03:04:05.006Z","reason":"permanent","detail":"HTTP 403 OperationFailed",
//  "endpoint":"https://dce.example.ingest.monitor.azure.com","dcrImmutableId":"dcr-0123…",
//  "stream":"Custom-AppSecurityEvents","table":"AppSecurityEvents_CL","row":{"EventName":"…"}}
//
// (one line on disk). Readers ignore fields they do not know, so a later version can add some.

import { OtelSentinelError } from '@otel-sentinel/mapping/errors';
import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget, UndeliveredReason } from '../row-batch.js';

export interface SpoolEntry {
  /** When the row was spooled, ISO 8601 UTC. */
  readonly time: string;
  /** Empty, like the three below, for a record no stream took (reason `unrouted`). */
  readonly endpoint: string;
  readonly dcrImmutableId: string;
  readonly stream: string;
  readonly table: string;
  readonly reason: UndeliveredReason;
  /** What went wrong, e.g. `HTTP 403 OperationFailed`: never a secret, a token or a row value. */
  readonly detail?: string;
  /**
   * The row as it would have been sent: already mapped and redacted. For `rejected` and
   * `unrouted` it is what the exporter salvaged of the record (redacted too), not a table row.
   */
  readonly row: Row;
}

/** A spool line that is not a valid entry (torn by a crash, edited by hand, another format). */
export class SpoolFormatError extends OtelSentinelError {
  declare readonly code: 'E_SPOOL_FORMAT';
  /** The key of the entry at fault, e.g. `reason`; empty when the line as a whole is not a JSON object. */
  declare readonly path: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super('E_SPOOL_FORMAT', `invalid spool line: ${path === '' ? '' : `"${path}" `}${problem}`, {
      ...options,
      path,
    });
  }
}

const REASONS: ReadonlySet<string> = new Set<UndeliveredReason>([
  'permanent',
  'retries-exhausted',
  'queue-full',
  'shutdown',
  'rejected',
  'unrouted',
]);

/** Longer details are cut: a detail is a hint for a person, not a payload. */
export const MAX_DETAIL_LENGTH = 1024;

/**
 * Parses one spool line. Throws `SpoolFormatError` naming the key at fault (`path`); the message never
 * repeats the line, which holds row values.
 */
export function parseSpoolEntry(line: string): SpoolEntry {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new SpoolFormatError('', 'is not JSON (a line torn by a crash, or not a spool file)', {
      cause: error,
    });
  }
  if (!isObject(value)) throw new SpoolFormatError('', 'is not a JSON object');

  const time = requireString(value, 'time');
  if (Number.isNaN(Date.parse(time))) throw new SpoolFormatError('time', 'is not an ISO 8601 date');
  const reason = requireString(value, 'reason');
  if (!isReason(reason)) {
    throw new SpoolFormatError('reason', `must be one of ${[...REASONS].join(', ')}`);
  }
  const detail = value['detail'];
  if (detail !== undefined && typeof detail !== 'string') {
    throw new SpoolFormatError('detail', 'must be a string when present');
  }
  const row = value['row'];
  if (!isObject(row)) throw new SpoolFormatError('row', 'must be a JSON object');

  // Empty is valid here: a record no stream took (`unrouted`) is spooled without a target.
  const target = {
    endpoint: requireString(value, 'endpoint', true),
    dcrImmutableId: requireString(value, 'dcrImmutableId', true),
    stream: requireString(value, 'stream', true),
    table: requireString(value, 'table', true),
  };
  return detail === undefined ? { time, ...target, reason, row } : { time, ...target, reason, detail, row };
}

/** The entry as one spool line, without the line break. */
export function serializeSpoolEntry(entry: SpoolEntry): string {
  return spoolLinePrefix(entry, entry.time, entry.reason, entry.detail) + JSON.stringify(entry.row) + '}';
}

/**
 * Everything of a line before the row's JSON: the same for every row of a batch, so `Spool`
 * builds it once per batch and appends `JSON.stringify(row) + '}'` per row.
 */
export function spoolLinePrefix(
  target: StreamTarget,
  time: string,
  reason: UndeliveredReason,
  detail: string | undefined,
): string {
  const head = { time, reason, ...(detail === undefined ? {} : { detail: clipDetail(detail) }) };
  const where = {
    endpoint: target.endpoint,
    dcrImmutableId: target.dcrImmutableId,
    stream: target.stream,
    table: target.table,
  };
  const json = JSON.stringify({ ...head, ...where });
  return `${json.slice(0, -1)},"row":`;
}

/** The delivery target of an entry. */
export function targetOf(entry: SpoolEntry): StreamTarget {
  return {
    endpoint: entry.endpoint,
    dcrImmutableId: entry.dcrImmutableId,
    stream: entry.stream,
    table: entry.table,
  };
}

/** A detail cut to `MAX_DETAIL_LENGTH` characters, the last one `…` when cut. */
export function clipDetail(detail: string): string {
  return detail.length <= MAX_DETAIL_LENGTH ? detail : `${detail.slice(0, MAX_DETAIL_LENGTH - 1)}…`;
}

function isReason(value: string): value is UndeliveredReason {
  return REASONS.has(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(object: Record<string, unknown>, field: string, mayBeEmpty = false): string {
  const value = object[field];
  if (typeof value !== 'string' || (value === '' && !mayBeEmpty)) {
    throw new SpoolFormatError(field, mayBeEmpty ? 'must be a string' : 'must be a non-empty string');
  }
  return value;
}
