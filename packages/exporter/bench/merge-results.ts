// Merges the results of the exporter's benchmark scripts (.bench/<name>.json, one per script)
// into .bench/results.json, which scripts/collect-bench.mjs gathers.
import { readFileSync, writeFileSync } from 'node:fs';
import type { BenchResult } from '../../../bench/harness.ts';

const PARTS = ['emit', 'export', 'memory', 'store'];
const dir = new URL('../.bench/', import.meta.url);

const results = PARTS.flatMap(
  (part) => JSON.parse(readFileSync(new URL(`${part}.json`, dir), 'utf8')) as BenchResult[],
);
writeFileSync(new URL('results.json', dir), `${JSON.stringify(results, null, 2)}\n`);
console.log(`.bench/results.json: ${results.length} results from ${PARTS.join(', ')}`);
