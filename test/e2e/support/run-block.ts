// Runs a README's shell block as written, with bash -e, in a fresh temporary folder whose HOME is
// its own, where `otel-sentinel`, `npx otel-sentinel` and `./dev otel-sentinel` are this checkout's
// built CLI (shims first on PATH; `./dev env` is the real ./dev). Two things differ from a user's
// shell, both for tests sharing one machine: `otel-sentinel emulator` and `gateway` get `--port 0`
// when the block names no port, and a server the block starts is stopped with SIGTERM once it
// prints that it is up, so the block goes on to its next line.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { BIN, ROOT } from '../cli.js';
import { CLAIMS } from './readme-claims.js';
import type { ClaimId } from './readme-claims.js';
import { documentedBlock } from './shell-blocks.js';

export interface Sandbox {
  /** The temporary folder holding it all: remove it when done. */
  readonly root: string;
  /** The folder the blocks run in (the user's current directory). */
  readonly dir: string;
  /** HOME for everything run there. */
  readonly home: string;
  /** The environment a block gets: PATH with the shims, HOME, NO_COLOR, and nothing of the test's. */
  readonly env: Record<string, string>;
}

/** A server a block starts: the text it prints when it is up, and what to do while it is. */
export interface Server {
  readonly until: string;
  readonly whileUp?: (output: string) => Promise<void>;
}

export interface BlockOptions {
  /** Variables added to the sandbox's environment. */
  readonly env?: Record<string, string>;
  /** The servers the block starts, in order. */
  readonly servers?: readonly Server[];
  readonly timeoutMs?: number;
  /** Where the block runs, when its README says where: default the sandbox's folder. */
  readonly cwd?: string;
}

export interface BlockResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const SHIM = `#!/usr/bin/env bash
# this checkout's built command line
case "\${1:-}" in
  emulator | gateway)
    if [ "\${2:-}" != query ] && ! printf '%s\\n' "$@" | grep -qE '^(--port|-p)(=|$)'; then set -- "$@" --port 0; fi ;;
esac
echo $$ >> "$OTEL_SENTINEL_BLOCK_PIDS"
exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"
`;

const NPX = `#!/usr/bin/env bash
if [ "\${1:-}" = otel-sentinel ]; then shift; exec otel-sentinel "$@"; fi
PATH="\${PATH#*:}" exec npx "$@" # the npx after this one on PATH
`;

const DEV = `#!/usr/bin/env bash
if [ "\${1:-}" = otel-sentinel ]; then shift; exec otel-sentinel "$@"; fi
exec ${JSON.stringify(join(ROOT, 'dev'))} "$@"
`;

function executable(file: string, text: string): void {
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

/**
 * A fresh temporary folder to run blocks in, with `./dev` in it; `repoPaths` (such as `examples`)
 * are linked in from the repository, for blocks that say "in this repository".
 */
export function sandbox(repoPaths: readonly string[] = []): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'otel-sentinel-readme-'));
  const dir = join(root, 'work');
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  for (const d of [dir, home, bin]) mkdirSync(d);
  executable(join(bin, 'otel-sentinel'), SHIM);
  executable(join(bin, 'npx'), NPX);
  executable(join(dir, 'dev'), DEV);
  for (const p of repoPaths) symlinkSync(join(ROOT, p), join(dir, p));
  const env: Record<string, string> = {
    ...machineNetwork(),
    PATH: `${bin}:${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
    HOME: home,
    NO_COLOR: '1',
    OTEL_SENTINEL_BLOCK_PIDS: join(root, 'pids'),
  };
  return { root, dir, home, env };
}

/** The machine's proxy and certificate settings, which npm needs to reach its registry. */
export function machineNetwork(): Record<string, string> {
  const names = [
    'NODE_EXTRA_CA_CERTS',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'HTTPS_PROXY',
    'HTTP_PROXY',
    'NO_PROXY',
  ];
  return Object.fromEntries(
    names
      .flatMap((n) => [n, n.toLowerCase()])
      .flatMap((n) => (process.env[n] === undefined ? [] : [[n, process.env[n] ?? '']])),
  );
}

/** Runs `text` with bash -e -o pipefail in the sandbox. */
export function runText(box: Sandbox, text: string, options: BlockOptions = {}): Promise<BlockResult> {
  const servers = [...(options.servers ?? [])];
  const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', text], {
    cwd: options.cwd ?? box.dir,
    env: { ...box.env, ...options.env },
    // Its own process group, so a hung block is killed whole; no input, as from a closed terminal.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let waiting = false;
  let seen = 0;
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, options.timeoutMs ?? 120_000);
  const onOutput = (): void => {
    const next = servers[0];
    const output = stdout + stderr;
    if (waiting || next === undefined || output.split(next.until).length - 1 <= seen) return;
    waiting = true;
    seen += 1;
    servers.shift();
    const pids = readFileSync(box.env['OTEL_SENTINEL_BLOCK_PIDS'] ?? '', 'utf8')
      .trim()
      .split('\n');
    const stop = (): void => {
      process.kill(Number(pids.at(-1)), 'SIGTERM');
      waiting = false;
    };
    (next.whileUp?.(output) ?? Promise.resolve()).then(stop, (error: unknown) => {
      stderr += `\n[test] while the server was up: ${String(error)}\n`;
      stop();
    });
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    onOutput();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    onOutput();
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs the README block registered as `id` (readme-claims.ts), extracted from its Markdown now,
 * and fails unless it exits 0 and every server it starts came up. The calling test file must be
 * the one the registry names.
 */
export async function runClaimed(
  id: ClaimId,
  box: Sandbox,
  options: BlockOptions = {},
): Promise<BlockResult> {
  const claim = CLAIMS[id];
  expect(expect.getState().testPath ?? '', `${id} is claimed by ${claim.test}`).toMatch(
    new RegExp(`/test/e2e/${claim.test.replace('.', '\\.')}$`),
  );
  const block = documentedBlock(claim.file, claim.first);
  const r = await runText(box, block.text, options);
  const output = `${block.file}:${block.line} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  expect(r.code, output).toBe(0);
  for (const server of options.servers ?? []) expect(r.stdout + r.stderr, output).toContain(server.until);
  return r;
}
