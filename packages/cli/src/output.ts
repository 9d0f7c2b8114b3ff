// Writing to streams: colour only for a terminal that wants it, counted nouns, and a line
// writer that batches small writes and waits for 'drain', so output never piles up in memory.

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Env } from './env-file.js';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
}

const plain: Style = { bold: id, dim: id, red: id, yellow: id, green: id };
const ansi: Style = {
  bold: (t) => `\x1b[1m${t}\x1b[22m`,
  dim: (t) => `\x1b[2m${t}\x1b[22m`,
  red: (t) => `\x1b[31m${t}\x1b[39m`,
  yellow: (t) => `\x1b[33m${t}\x1b[39m`,
  green: (t) => `\x1b[32m${t}\x1b[39m`,
};

function id(text: string): string {
  return text;
}

/** ANSI colour when `stream` is a terminal and NO_COLOR is unset or empty (no-color.org). */
export function styleFor(stream: { readonly isTTY?: boolean }, env: Env): Style {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return stream.isTTY === true && !noColor && env.TERM !== 'dumb' ? ansi : plain;
}

/** `1 error`, `2 errors`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** Writes `text` and resolves once the stream can take more. */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

const CHUNK_CHARS = 64 * 1024;

/**
 * Collects lines into chunks of about 64 KiB: one write per chunk rather than per line, and a
 * wait for 'drain' whenever the stream's buffer is full.
 */
export class LineWriter {
  private pending: string[] = [];
  private size = 0;

  constructor(private readonly stream: Writable) {}

  /** Adds a line (without its newline); resolves at once unless a chunk had to be flushed. */
  async line(text: string): Promise<void> {
    this.pending.push(text);
    this.size += text.length + 1;
    if (this.size >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.size = 0;
    await write(this.stream, chunk);
  }
}
