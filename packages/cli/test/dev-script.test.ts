// After `./dev demo`, the README's follow-up commands run the CLI as `./dev otel-sentinel …` or,
// after `eval "$(./dev env)"`, with pnpm: on a shell whose PATH has only the system Node (Node 20
// on the development machines), with nothing of the toolchain on it. When a source is newer than
// the build, ./dev builds first, as it would for a user after a pull.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneStreamMapping, PACKAGE_DIR, SENTINEL_ENV, tempDir } from './support/run-cli.js';

const REPO = join(PACKAGE_DIR, '../..');
const DEV = join(REPO, 'dev');

/** The directory holding pnpm 12 when it is on the test's PATH outside the toolchain cache, else none. */
function pnpmDir(): string[] {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && !dir.includes('otel-sentinel') && existsSync(join(dir, 'pnpm'))) return [dir];
  }
  return [];
}

/** A user's shell: the system's commands (and their Node, whatever its version), the toolchain cache. */
const SHELL_ENV = {
  PATH: ['/usr/local/bin', '/usr/bin', '/bin', ...pnpmDir()].join(delimiter),
  HOME: process.env.HOME ?? tempDir(),
  ...(process.env['OTEL_SENTINEL_CACHE'] !== undefined
    ? { OTEL_SENTINEL_CACHE: process.env['OTEL_SENTINEL_CACHE'] }
    : {}),
};

/** ./dev builds the CLI first when a source is newer than its build: minutes on a busy machine. */
const BUILD_MS = 300_000;

function dev(args: readonly string[], cwd: string) {
  return spawnSync(DEV, args, { cwd, env: SHELL_ENV, encoding: 'utf8', timeout: BUILD_MS });
}

describe('./dev otel-sentinel', () => {
  it(
    'runs the built command on Node 22 or newer, from any directory, with only its output on stdout',
    () => {
      const r = dev(['otel-sentinel', '--version'], tempDir());
      expect(r.stderr).not.toMatch(/needs Node/);
      expect(r.stdout).toBe('0.1.0\n');
      expect(r.status).toBe(0);
    },
    BUILD_MS,
  );

  it(
    'resolves relative paths against the directory it is called from',
    () => {
      const here = tempDir();
      writeFileSync(join(here, 'mapping.yaml'), oneStreamMapping('      EventName: eventName\n'));
      const r = spawnSync(DEV, ['otel-sentinel', 'validate', 'mapping.yaml'], {
        cwd: here,
        env: { ...SHELL_ENV, ...SENTINEL_ENV },
        encoding: 'utf8',
        timeout: BUILD_MS,
      });
      expect(r.stdout).toMatch(/^mapping\.yaml is valid: 1 stream/);
      expect(r.status).toBe(0);
    },
    BUILD_MS,
  );
});

describe('./dev env', () => {
  it('prints the PATH line after which node is 22 or newer and pnpm is 12', () => {
    const r = dev(['env'], REPO);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^export PATH=\S+:"\$PATH"\n$/);
    const shell = spawnSync('bash', ['-c', `${r.stdout}node -p process.versions.node && pnpm --version`], {
      env: SHELL_ENV,
      encoding: 'utf8',
    });
    const [node, pnpm] = shell.stdout.trim().split('\n');
    expect(Number(node?.split('.')[0])).toBeGreaterThanOrEqual(22);
    expect(pnpm).toMatch(/^12\./);
  });
});
