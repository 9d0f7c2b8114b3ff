// Runs the BUILT binary (dist/bin.js) as a child process, the way a user or CI runs it.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(PACKAGE_DIR, 'dist', 'bin.js');
export const FIXTURES = join(PACKAGE_DIR, 'test', 'fixtures');

export const DCE = 'https://my-dce.westeurope-1.ingest.monitor.azure.com';
export const DCR = 'dcr-00112233445566778899aabbccddeeff';
/** The variables the fixture mappings read. */
export const SENTINEL_ENV = { SENTINEL_DCE_ENDPOINT: DCE, SENTINEL_DCR_IMMUTABLE_ID: DCR };

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Variables on top of a minimal environment (PATH, HOME); nothing else leaks in. */
  readonly env?: Record<string, string>;
  /** Standard input. */
  readonly input?: string;
  /** Arguments for node before the script, e.g. `['--import', file]` or `['--']`. */
  readonly nodeArgs?: readonly string[];
  readonly cwd?: string;
  /** Kill the run after this long; a hang guard, not a speed check. Default 20000 ms. */
  readonly timeoutMs?: number;
}

export function runCli(args: readonly string[], options: RunOptions = {}): CliResult {
  if (!existsSync(BIN)) {
    throw new Error(
      `${BIN} is missing: build the CLI first (pnpm --filter otel-sentinel build; pnpm test runs the build through turbo)`,
    );
  }
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() };
  // Lets a developer run the tests under a loader hook; harmless when unset.
  if (process.env.NODE_OPTIONS !== undefined) env.NODE_OPTIONS = process.env.NODE_OPTIONS;
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    cwd: options.cwd ?? PACKAGE_DIR,
    env: { ...env, ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    // A hang guard: one spawn took up to 12 s at load 10 on 2 cores (test/README.md, "Time-outs").
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'otel-sentinel-cli-'));
}

/** The non-empty lines of a text. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** A mapping file with one stream, Custom-Sec → Sec_CL, whose columns block is `columns` (indented 6). */
export function oneStreamMapping(columns: string): string {
  return `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT}
dcrImmutableId: \${SENTINEL_DCR_IMMUTABLE_ID}
streams:
  - stream: Custom-Sec
    table: Sec_CL
    columns:
${columns}`;
}

/** One OTLP/JSON logs request with one security record carrying these attributes (JSON KeyValues). */
export function securityRequest(attributes: string): string {
  return `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1767225600123456789","attributes":[{"key":"security.event","value":{"boolValue":true}},${attributes}]}]}]}]}`;
}
