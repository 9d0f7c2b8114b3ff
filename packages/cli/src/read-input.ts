// Streams the OTLP/JSON requests of `--input` (a file, or standard input for `-`). JSON lines —
// what the OpenTelemetry Collector's file exporter writes — are read and handed on one line at a
// time, so an input of any size needs the memory of one request; a document that spans lines
// (pretty-printed JSON, or a JSON array of requests) has to be read whole. Only `\n` ends a line:
// U+2028/U+2029 may sit raw inside a JSON string. JSON that is not a logs request (a flat event)
// is refused, naming its line, rather than read as 0 records.

import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { readOtlpJsonLine, readOtlpJsonText } from '@otel-sentinel/mapping';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import { CliError, fsReason } from './errors.js';
import type { CliIo } from './io.js';
import { jsonLines } from './json-lines.js';

const BLANK = /^\s*$/;

/** One short OTLP/JSON logs request: the shape shown when the input is something else. */
export const OTLP_LINE_EXAMPLE =
  '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1771597800000000000","eventName":"data_read","attributes":[{"key":"security.event","value":{"boolValue":true}},{"key":"userId","value":{"stringValue":"jdoe@example.com"}}]}]}]}]}';

/**
 * Input that is JSON but not an OTLP/JSON logs request, e.g. a flat event (what `init --sample`
 * reads). The OTLP/JSON reader ignores unknown keys, so such input would read as 0 records and
 * look like success; `{}` and `{"resourceLogs":[]}` stay valid, empty requests.
 */
export class NotOtlpError extends CliError {
  constructor(where: string, keys: readonly string[]) {
    const shown = keys.slice(0, 5).map((k) => JSON.stringify(k));
    const more = keys.length > 5 ? ', …' : '';
    super(
      'E_NOT_OTLP',
      `${where}: not OTLP/JSON logs: this JSON object has no "resourceLogs" (its keys: ${shown.join(', ')}${more})`,
    );
  }

  /** The message, then the expected shape and where a flat event goes instead: for stderr. */
  report(): string {
    return [
      `otel-sentinel: ${this.message}`,
      'expected OpenTelemetry log records as OTLP/JSON, one ExportLogsServiceRequest per line (what the',
      "Collector's file exporter writes), e.g.:",
      `  ${OTLP_LINE_EXAMPLE}`,
      'A flat event is a sample for `otel-sentinel init --sample`; the app sends it as a log record',
      'whose attributes are its keys.',
      '',
    ].join('\n');
  }
}

/** The keys of a JSON object that is not an OTLP/JSON logs request; undefined for one that is. */
function foreignKeys(value: unknown): string[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if ('resourceLogs' in value || 'resource_logs' in value) return undefined;
  const keys = Object.keys(value);
  return keys.length === 0 ? undefined : keys;
}

/** Throws `NotOtlpError` for a line that read as 0 records because it is not a logs request. */
function checkLine(line: string, n: number, input: string): void {
  const keys = foreignKeys(JSON.parse(line));
  if (keys !== undefined) throw new NotOtlpError(`${inputName(input)}:${n}`, keys);
}

/** The same for the `index`-th request of a document read whole (or as JSON lines after all). */
function checkDocument(text: string, index: number, input: string): void {
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    // Not one JSON value: readOtlpJsonText read it as JSON lines, one request per non-blank line.
    const lines = text.split('\n');
    let seen = -1;
    for (let l = 0; l < lines.length; l++) {
      const line = lines[l] ?? '';
      if (BLANK.test(line) || ++seen < index) continue;
      checkLine(line, l + 1, input);
      return;
    }
    return;
  }
  const requests: readonly unknown[] | undefined = Array.isArray(whole) ? whole : undefined;
  const [value, where] =
    requests === undefined
      ? [whole, inputName(input)]
      : [requests[index], `${inputName(input)} (request [${index}] of the array)`];
  const keys = foreignKeys(value);
  if (keys !== undefined) throw new NotOtlpError(where, keys);
}

function inputName(input: string): string {
  return input === '-' ? 'standard input' : input;
}

/** Is this line a whole JSON object, i.e. the first line of JSON-lines input? */
function isWholeObject(line: string): boolean {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

function open(input: string, io: CliIo): Readable {
  if (input !== '-') return createReadStream(resolve(io.cwd, input));
  if (io.stdin.isTTY === true) {
    io.stderr.write(
      'otel-sentinel: reading OTLP/JSON from standard input (end with Ctrl-D; --input <file> reads a file)\n',
    );
  }
  return io.stdin;
}

/** Yields the records of each request in the input, in order. */
export async function* readRequests(input: string, io: CliIo): AsyncGenerator<LogRecordLike[]> {
  // Leaving the loop early (an error, or validate's first records) destroys the stream.
  const stream = open(input, io);
  let mode: 'undecided' | 'lines' | 'document' = 'undecided';
  const held: string[] = [];
  let n = 0;
  try {
    for await (const raw of jsonLines(stream)) {
      n++;
      // JSON.parse refuses a byte-order mark.
      const line = n === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (mode === 'undecided' && !BLANK.test(line)) mode = isWholeObject(line) ? 'lines' : 'document';
      if (mode === 'lines') {
        const records = readOtlpJsonLine(line, n);
        if (records === undefined) continue;
        // Parsed again only when empty: an empty request is rare, a flat event a mistake.
        if (records.length === 0) checkLine(line, n, input);
        yield records;
      } else {
        held.push(line);
      }
    }
  } catch (error) {
    throw readFailure(error, input);
  }
  if (mode === 'document') yield* documentRequests(held.join('\n'), input);
}

/** File-system errors (they carry a syscall) as a CliError; OTLP/JSON errors go up as they are. */
function readFailure(error: unknown, input: string): unknown {
  if ((error as NodeJS.ErrnoException | undefined)?.syscall === undefined) return error;
  const what = input === '-' ? 'standard input' : `input ${input}`;
  return new CliError('E_INPUT', `cannot read ${what}: ${fsReason(error)}`, { cause: error });
}

/** The requests of an input that is one OTLP/JSON document (or several), not one per line. */
function* documentRequests(text: string, input: string): Generator<LogRecordLike[]> {
  let index = 0;
  for (const records of readOtlpJsonText(text)) {
    if (records.length === 0) checkDocument(text, index, input);
    index++;
    yield records;
  }
}
