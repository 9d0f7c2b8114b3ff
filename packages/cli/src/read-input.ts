// Streams the OTLP/JSON requests of `--input` (a file, or standard input for `-`). JSON lines —
// what the OpenTelemetry Collector's file exporter writes — are read and handed on one line at a
// time, so an input of any size needs the memory of one request; a document that spans lines
// (pretty-printed JSON, or a JSON array of requests) has to be read whole. Only `\n` ends a line:
// U+2028/U+2029 may sit raw inside a JSON string.

import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { readOtlpJsonLine, readOtlpJsonText } from '@otel-sentinel/mapping';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import { CliError, fsReason } from './errors.js';
import type { CliIo } from './io.js';
import { jsonLines } from './json-lines.js';

const BLANK = /^\s*$/;

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
        if (records !== undefined) yield records;
      } else {
        held.push(line);
      }
    }
  } catch (error) {
    // File-system errors (they carry a syscall); OTLP/JSON errors go up to the caller as they are.
    if ((error as NodeJS.ErrnoException | undefined)?.syscall !== undefined) {
      const what = input === '-' ? 'standard input' : `input ${input}`;
      throw new CliError('E_INPUT', `cannot read ${what}: ${fsReason(error)}`, { cause: error });
    }
    throw error;
  }
  if (mode === 'document') yield* readOtlpJsonText(held.join('\n'));
}
