// Gathers every package's benchmark results (packages/*/.bench/results.json, written by each
// package's `bench` script) into bench-results.json at the repository root, so results can be
// compared between runs and machines, then fails (exit 1) when any target is missed or a package
// with a `bench` script left no results, naming each at the end. Ratios are against baselines
// measured in the same run; the target rule is bench/targets.ts.
// Usage: node scripts/collect-bench.mjs [root]   (root: the repository, by default this one)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTarget, hasTarget, missedTarget } from '../bench/targets.ts';

const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const packagesDir = join(root, 'packages');

const results = [];
/** Packages whose `bench` script left no results: it failed before writing them. */
const silent = [];
for (const dir of readdirSync(packagesDir).sort()) {
  const manifestFile = join(packagesDir, dir, 'package.json');
  if (!existsSync(manifestFile)) continue;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const name = typeof manifest.name === 'string' ? manifest.name : dir;
  const file = join(packagesDir, dir, '.bench', 'results.json');
  if (!existsSync(file)) {
    if (typeof manifest.scripts?.bench === 'string') silent.push(name);
    continue;
  }
  for (const r of JSON.parse(readFileSync(file, 'utf8'))) results.push({ package: name, ...r });
}
writeFileSync(join(root, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);

const withTarget = results.filter((r) => hasTarget(r));
const missed = withTarget.flatMap((r) => {
  const why = missedTarget(r);
  return why === undefined ? [] : [{ r, why }];
});
console.log(
  `bench-results.json: ${results.length} results, ${withTarget.length} with a target, ` +
    `${withTarget.length - missed.length} met`,
);
for (const name of silent) {
  console.log(
    `NO RESULTS: ${name} has a bench script but wrote no .bench/results.json (see its output above)`,
  );
}
for (const { r, why } of missed) {
  console.log(
    `MISSED: ${r.package} ${r.bench ?? '(bench unknown)'} ${r.name}: target ${describeTarget(r)} ` +
      `of ${r.baseline ?? 'its baseline'}, ${why}`,
  );
}
if (missed.length > 0 || silent.length > 0) {
  console.log(
    `${missed.length} target(s) missed, ${silent.length} package(s) without results: ` +
      'see bench/README.md for what each target measures',
  );
  process.exitCode = 1;
}
