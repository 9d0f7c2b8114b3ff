// Reads the whole `--input` text: a file, or standard input for `-`.

import { Buffer } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, fsReason } from './errors.js';
import type { CliIo } from './io.js';

/** The input text without a byte-order mark (JSON.parse refuses one). */
export async function readInput(input: string, io: CliIo): Promise<string> {
  const text = input === '-' ? await readStdin(io) : await readFileText(input, io.cwd);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readFileText(input: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, input), 'utf8');
  } catch (error) {
    throw new CliError('E_INPUT', `cannot read input ${input}: ${fsReason(error)}`, { cause: error });
  }
}

async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin.isTTY === true) {
    io.stderr.write(
      'otel-sentinel: reading OTLP/JSON from standard input (end with Ctrl-D; --input <file> reads a file)\n',
    );
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of io.stdin)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  } catch (error) {
    throw new CliError('E_INPUT', `cannot read standard input: ${fsReason(error)}`, { cause: error });
  }
  return Buffer.concat(chunks).toString('utf8');
}
