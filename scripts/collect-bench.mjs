// Gathers every package's benchmark results (packages/*/.bench/results.json, written by each
// package's `bench` script) into bench-results.json at the repository root, so results can be
// compared between runs and machines. Ratios are against baselines measured in the same run.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = [];
for (const dir of readdirSync(`${root}packages`)) {
  const file = `${root}packages/${dir}/.bench/results.json`;
  if (existsSync(file)) results.push(...JSON.parse(readFileSync(file, 'utf8')));
}
writeFileSync(`${root}bench-results.json`, `${JSON.stringify(results, null, 2)}\n`);
const missed = results.filter((r) => r.target !== undefined && r.ratio !== undefined && r.ratio < r.target);
console.log(
  `bench-results.json: ${results.length} results${missed.length > 0 ? `, ${missed.length} below target: ${missed.map((r) => r.name).join(', ')}` : ', every target met'}`,
);
