// Where `map` writes rejected and unrouted records: a `--rejects` file, or stderr.

import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { CliError, fsReason } from './errors.js';
import { LineWriter } from './output.js';

export interface RejectsSink {
  readonly lines: LineWriter;
  /** Flushes and, for a file, closes it. */
  close(): Promise<void>;
}

export async function openRejects(
  file: string | undefined,
  stderr: Writable,
  cwd: string,
): Promise<RejectsSink> {
  if (file === undefined) {
    const lines = new LineWriter(stderr);
    return { lines, close: () => lines.flush() };
  }
  const stream = createWriteStream(resolve(cwd, file));
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new CliError('E_REJECTS_FILE', `cannot write rejects file ${file}: ${fsReason(error)}`, {
      cause: error,
    });
  }
  const lines = new LineWriter(stream);
  return { lines, close: () => closeFile(lines, stream, file) };
}

async function closeFile(lines: LineWriter, stream: WriteStream, file: string): Promise<void> {
  try {
    await lines.flush();
    stream.end();
    await once(stream, 'close');
  } catch (error) {
    throw new CliError('E_REJECTS_FILE', `cannot write rejects file ${file}: ${fsReason(error)}`, {
      cause: error,
    });
  }
}
