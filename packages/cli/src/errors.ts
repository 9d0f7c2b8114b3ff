// Errors the CLI expects (bad arguments, unreadable files, invalid input) and how every error
// becomes one line on stderr; only `--debug` shows a stack trace.

import { OtelSentinelError } from '@otel-sentinel/mapping';
import type { OtelSentinelErrorOptions } from '@otel-sentinel/mapping';
import { describeOperatingError, fileReason } from './operating-error.js';

/**
 * An error the user can fix; its message is the whole story, so no stack is shown. `exitCode` is
 * the process's exit status (default 1); `option` can name the flag at fault.
 */
export class CliError extends OtelSentinelError {
  readonly exitCode: number;

  constructor(code: string, message: string, options?: OtelSentinelErrorOptions & { exitCode?: number }) {
    const { exitCode, ...rest } = options ?? {};
    super(code, message, rest);
    this.exitCode = exitCode ?? 1;
  }
}

const PROGRAM = 'otel-sentinel';

/** `otel-sentinel: message`, or the stack (with causes) under `--debug`. */
export function formatError(error: unknown, debug: boolean): string {
  if (debug) return `${PROGRAM}: ${stackOf(error)}\n`;
  if (error instanceof CliError) return `${PROGRAM}: ${oneLine(error.message)}\n`;
  // A port in use, a missing file, a refused connection: the machine's state, not a bug.
  const operating = describeOperatingError(error);
  if (operating !== undefined) return `${PROGRAM}: ${operating}\n`;
  const message = error instanceof Error ? error.message : String(error);
  return `${PROGRAM}: internal error: ${withoutUrlCredentials(oneLine(message))} (this is a bug; run again with --debug for the stack trace)\n`;
}

function stackOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const own = error.stack ?? `${error.name}: ${error.message}`;
  return error.cause === undefined ? own : `${own}\nCaused by: ${stackOf(error.cause)}`;
}

/** `https://user:password@host` → `https://…@host`: a message may quote a URL, never its password. */
function withoutUrlCredentials(text: string): string {
  return text.replace(/\/\/[^\s/@]*:[^\s/@]*@/g, '//…@');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** A readable reason for a failed file operation: `no such file`, `permission denied`, … */
export function fsReason(error: unknown): string {
  return (
    fileReason((error as NodeJS.ErrnoException | undefined)?.code) ??
    (error instanceof Error ? error.message : String(error))
  );
}
