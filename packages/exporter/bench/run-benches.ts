// The exporter's `bench` script: runs each of its benchmark scripts in turn, every one even when an
// earlier one fails, then merges the results they wrote in this run (.bench/<part>.json, stale ones
// removed first) into .bench/results.json, which scripts/collect-bench.mjs gathers. Exits 1 when a
// script failed (a check of its own, not a target: targets are the collector's to judge).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from '../../../bench/harness.ts';

/** Each part: its script, and the Node flags it needs (memory settles its figures with a full GC). */
const PARTS = [
  { name: 'emit', flags: [] },
  { name: 'export', flags: [] },
  { name: 'memory', flags: ['--expose-gc'] },
  { name: 'store', flags: [] },
] as const;
const dir = new URL('../.bench/', import.meta.url);

const failed: string[] = [];
for (const part of PARTS) rmSync(new URL(`${part.name}.json`, dir), { force: true });
rmSync(new URL('results.json', dir), { force: true });
for (const part of PARTS) {
  const script = fileURLToPath(new URL(`${part.name}.bench.ts`, import.meta.url));
  const run = spawnSync(process.execPath, [...part.flags, script], { stdio: 'inherit' });
  if (run.status !== 0)
    failed.push(`${part.name}.bench.ts (${run.error?.message ?? `exit ${String(run.status)}`})`);
}

const written = PARTS.filter((part) => existsSync(new URL(`${part.name}.json`, dir)));
const results = written.flatMap(
  (part) => JSON.parse(readFileSync(new URL(`${part.name}.json`, dir), 'utf8')) as BenchResult[],
);
writeFileSync(new URL('results.json', dir), `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `.bench/results.json: ${results.length} results from ${written.map((p) => p.name).join(', ') || 'no script'}`,
);
if (failed.length > 0) {
  console.log(`failed: ${failed.join(', ')}; their output above says why`);
  process.exitCode = 1;
}
