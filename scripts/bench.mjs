// `pnpm bench`: every package's `bench` script through turbo, one at a time (they would compete for
// the cores), then scripts/collect-bench.mjs. Every bench runs even when one fails (`--continue`),
// results of an earlier run are removed first (so a bench that fails now cannot pass on old
// figures), and the exit code is 1 when a bench failed or the collector found a missed target.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const dir of readdirSync(join(root, 'packages'))) {
  rmSync(join(root, 'packages', dir, '.bench', 'results.json'), { force: true });
}

const turbo = spawnSync(
  join(root, 'node_modules', '.bin', 'turbo'),
  ['run', 'bench', '--concurrency=1', '--continue'],
  { cwd: root, stdio: 'inherit' },
);
const collect = spawnSync(process.execPath, [join(root, 'scripts', 'collect-bench.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (turbo.status !== 0) {
  console.log(
    `turbo run bench failed (${turbo.error?.message ?? `exit ${String(turbo.status)}`}): a bench exits ` +
      'non-zero when one of its checks fails; its output above says which',
  );
}
process.exitCode = turbo.status === 0 && collect.status === 0 ? 0 : 1;
