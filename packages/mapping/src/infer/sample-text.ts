// Reads a sample file's text into sample events: JSON, JSON lines or OTLP/JSON logs requests. It
// also keeps what the parsed objects lose: numbers written `2.0`, and which keys are record fields.

import { hrTimeToIso } from '../datetime.js';
import type { LogRecordLike } from '../log-record.js';
import { OtlpJsonError, readOtlpJsonRequest } from '../otlp-json.js';
import { InferError } from './infer-error.js';
import { errorText, lineOf } from './json-error-line.js';
import { describeKind, isRecord } from './values.js';
import type { JsonObject } from './values.js';

/**
 * Keys of a parsed object whose number was written with a fraction or exponent (`2.0`), or came
 * from an OTLP `doubleValue`: JSON.parse turns `2.0` into the integer 2, and the column should
 * still be real. Filled by `parseSampleText`, read through `realKeysOf`; weak, so it holds nothing.
 */
const realKeys = new WeakMap<object, Set<string>>();

/** What an OTLP-decoded sample knows beyond its keys: which are record fields, and the resource. */
export interface OtlpSample {
  readonly recordKeys: ReadonlySet<string>;
  readonly resource: Readonly<Record<string, unknown>>;
}

const otlpSamples = new WeakMap<object, OtlpSample>();

/** The keys of `holder` whose number is real though it may look integral (see `realKeys`). */
export function realKeysOf(holder: object): ReadonlySet<string> | undefined {
  return realKeys.get(holder);
}

/** What an OTLP-decoded sample knows beyond its keys; undefined for a sample read as plain JSON. */
export function otlpSampleOf(sample: object): OtlpSample | undefined {
  return otlpSamples.get(sample);
}

/**
 * Sample events from the text of a sample file: one JSON object, a JSON array of objects, JSON
 * lines (one object per line), or OTLP/JSON logs requests (each log record becomes one sample of
 * its attributes plus `timestamp`, `eventName`, `severityText` and `body`). Throws `InferError`
 * naming the line for text that is not JSON, and for values that are not objects.
 */
export function parseSampleText(text: string): unknown[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source.trim() === '') {
    throw new InferError(
      'the sample is empty; give one JSON object, a JSON array of objects, JSON lines, or an OTLP/JSON logs request',
    );
  }
  let whole: unknown;
  try {
    whole = parseJson(source);
  } catch (error) {
    const lines = source.split('\n');
    const first = lines.findIndex((l) => l.trim() !== '');
    const several = lines.filter((l) => l.trim() !== '').length > 1;
    if (several && parsesAlone(lines[first] ?? '')) return parseJsonLines(lines);
    throw new InferError(`the sample is not valid JSON: ${errorText(error)}`, lineOf(error, source), {
      cause: error,
    });
  }
  const samples = expandSample(whole, 'the sample', undefined);
  if (samples.length === 0) throw new InferError('the sample is an empty array; give at least one event');
  return samples;
}

function parseJsonLines(lines: readonly string[]): unknown[] {
  const samples: unknown[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = parseJson(text);
    } catch (error) {
      throw new InferError(
        `not valid JSON (${errorText(error)}); JSON lines hold one event per line`,
        i + 1,
        {
          cause: error,
        },
      );
    }
    samples.push(...expandSample(value, 'the value', i + 1));
  });
  return samples;
}

function parsesAlone(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON.parse that records which numbers were written with a fraction or exponent. */
function parseJson(text: string): unknown {
  return JSON.parse(
    text,
    function (this: unknown, key: string, value: unknown, context?: { source?: string }): unknown {
      if (typeof value === 'number' && context?.source !== undefined && /[.eE]/.test(context.source)) {
        if (isRecord(this)) markReal(this, key);
      }
      return value;
    },
  );
}

function markReal(holder: object, key: string): void {
  const keys = realKeys.get(holder);
  if (keys === undefined) realKeys.set(holder, new Set([key]));
  else keys.add(key);
}

function expandSample(value: unknown, what: string, line: number | undefined): unknown[] {
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown, i) => expandOne(item, `item ${i + 1} of the array`, line));
  }
  return expandOne(value, what, line);
}

function expandOne(value: unknown, what: string, line: number | undefined): unknown[] {
  if (!isRecord(value)) {
    throw new InferError(`${what} is ${describeKind(value)}, not a JSON object (one event)`, line);
  }
  if (!('resourceLogs' in value)) return [value];
  const records = readOtlp(value, what, line);
  if (records.length === 0)
    throw new InferError(`${what} is an OTLP/JSON logs request with no log records`, line);
  const doubles = otlpDoubleKeys(value);
  return records.map((record, i) => {
    const entries: [string, unknown][] = [];
    const recordKeys = new Set<string>();
    const add = (key: string, v: unknown): void => {
      if (v === undefined) return;
      entries.push([key, v]);
      recordKeys.add(key);
    };
    add('timestamp', record.hrTime[0] === 0 && record.hrTime[1] === 0 ? undefined : safeIso(record.hrTime));
    add('eventName', record.eventName);
    add('severityText', record.severityText);
    add('body', record.body);
    for (const [k, v] of Object.entries(record.attributes)) if (!recordKeys.has(k)) entries.push([k, v]);
    const sample: JsonObject = Object.fromEntries(entries);
    const real = doubles[i];
    if (real !== undefined && real.size > 0) realKeys.set(sample, real);
    otlpSamples.set(sample, { recordKeys, resource: record.resource?.attributes ?? {} });
    return sample;
  });
}

function readOtlp(request: JsonObject, what: string, line: number | undefined): LogRecordLike[] {
  try {
    return readOtlpJsonRequest(request);
  } catch (error) {
    if (error instanceof OtlpJsonError) {
      throw new InferError(`${what} has resourceLogs but is not OTLP/JSON: ${error.message}`, line, {
        cause: error,
      });
    }
    throw error;
  }
}

function safeIso(t: readonly [number, number]): string | undefined {
  try {
    return hrTimeToIso(t);
  } catch {
    return undefined;
  }
}

/** Per log record, in reading order, the attribute keys whose OTLP AnyValue is a `doubleValue`. */
function otlpDoubleKeys(request: JsonObject): Set<string>[] {
  const out: Set<string>[] = [];
  for (const rl of listOf(request.resourceLogs)) {
    for (const sl of listOf(isRecord(rl) ? rl.scopeLogs : undefined)) {
      for (const lr of listOf(isRecord(sl) ? sl.logRecords : undefined)) {
        const keys = new Set<string>();
        for (const kv of listOf(isRecord(lr) ? lr.attributes : undefined)) {
          if (!isRecord(kv) || typeof kv.key !== 'string' || !isRecord(kv.value)) continue;
          const d = kv.value.doubleValue;
          if (d !== undefined && d !== null) keys.add(kv.key);
        }
        out.push(keys);
      }
    }
  }
  return out;
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
