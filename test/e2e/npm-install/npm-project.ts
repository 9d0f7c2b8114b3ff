// Fresh npm projects outside the workspace, built the way a user builds one: the workspace's
// packages packed with `pnpm pack` (which turns `workspace:*` into versions, as publishing does),
// then `npm install` of those tarballs beside packages from the npm registry. Commands run as
// child processes and fail with their output, so a failed install says what npm said.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKSPACE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; resolves with its exit code and output (it never rejects on a non-zero exit). */
export function run(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number },
): Promise<RunResult> {
  const timeout = options.timeoutMs ?? 300_000;
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const code = typeof error.code === 'number' ? error.code : 1;
        const why = error.killed ? `killed by ${error.signal ?? 'a signal'} after ${timeout} ms\n` : '';
        resolve({ code, stdout, stderr: `${why}${stderr === '' ? error.message : stderr}` });
      },
    );
  });
}

/** Like run(), but a non-zero exit throws an error carrying the command's output. */
export async function mustRun(
  command: string,
  args: readonly string[],
  options: Parameters<typeof run>[2],
): Promise<string> {
  const r = await run(command, args, options);
  if (r.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${r.code} in ${options.cwd}:\n${r.stdout}\n${r.stderr}`,
    );
  }
  return r.stdout;
}

/**
 * Packs every published package into `dir` with the root README's command
 * (`pnpm -r --filter './packages/*' pack --pack-destination <dir>`); returns the tarball path of
 * each package name.
 */
export async function packWorkspace(dir: string): Promise<Map<string, string>> {
  mkdirSync(dir, { recursive: true });
  await mustRun('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', dir], {
    cwd: WORKSPACE,
  });
  const tarballs = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    const name = /^(?:otel-sentinel-(.+)|otel-sentinel)-\d+\.\d+\.\d+\.tgz$/.exec(file);
    if (name === null) continue;
    tarballs.set(name[1] === undefined ? 'otel-sentinel' : `@otel-sentinel/${name[1]}`, join(dir, file));
  }
  return tarballs;
}

/** The npm on PATH (the toolchain's Node binaries come without it). */
export const NPM = 'npm';

/** An empty npm project (`package.json` of an ES module app) at `dir`. */
export function createProject(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'an-app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
}

/**
 * `npm install` as a user types it, with the output kept quiet; `dev` adds --save-dev. Packages
 * already in npm's cache are taken from it (--prefer-offline: the same resolution, fewer registry
 * round trips on a busy CI machine).
 */
export function npmInstall(dir: string, specs: readonly string[], dev = false): Promise<string> {
  const args = [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--loglevel=error',
    ...(dev ? ['--save-dev'] : []),
    ...specs,
  ];
  return mustRun(NPM, args, { cwd: dir, timeoutMs: 600_000 });
}

/**
 * Every copy of `name` in the project's production dependency tree (devDependencies such as the
 * CLI are tools with their own process), as `version` per path.
 */
export async function installedCopies(dir: string, name: string): Promise<Map<string, string>> {
  const out = await run(NPM, ['ls', name, '--all', '--omit=dev', '--parseable', '--long'], { cwd: dir });
  const copies = new Map<string, string>();
  for (const line of out.stdout.split('\n')) {
    // path:name@version[:…]
    const m = /^(.*?):(@?[^@:]+)@([^:]+)/.exec(line);
    if (m?.[2] === name && m[1] !== undefined && m[3] !== undefined) copies.set(m[1], m[3]);
  }
  return copies;
}
