// A small benchmark harness: runs cases in alternating rounds so a noisy machine affects them
// alike, reports the median rate, and ratios against a baseline measured in the same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describeTarget, hasTarget, missedTarget } from './targets.ts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: string;
  ratio?: number;
  /** The ratio must be at least this (bench/targets.ts). */
  target?: number;
  /** The ratio must be at most this (bench/targets.ts). */
  limit?: number;
  /** The bench script that measured it, e.g. `mapper.bench.ts`; `report` fills it in. */
  bench?: string;
}

export interface BenchCase {
  name: string;
  /** Runs `n` operations and returns something derived from them, so the work is not optimised away. */
  run: (n: number) => number;
}

let sink = 0;

function rate(c: BenchCase, ms: number): number {
  let n = 256;
  // Grow the batch until one batch takes at least a tenth of the round.
  for (;;) {
    const t0 = process.hrtime.bigint();
    sink ^= c.run(n);
    const took = Number(process.hrtime.bigint() - t0) / 1e6;
    if (took >= ms / 10) break;
    n *= 2;
  }
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms) {
    sink ^= c.run(n);
    ops += n;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (ops / elapsed) * 1000;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Measures every case `rounds` times (order rotating each round) and returns median rates per second. */
export function measure(cases: readonly BenchCase[], rounds = 7, ms = 300): Map<string, number> {
  for (const c of cases) rate(c, ms / 3); // warm-up: let the JIT settle
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + r) % cases.length];
      if (c) samples.get(c.name)?.push(rate(c, ms));
    }
  }
  if (sink === 0.5) console.log('');
  return new Map([...samples].map(([k, v]) => [k, median(v)]));
}

/**
 * Prints every result with its ratio and whether its target is met, and writes them to `file`,
 * each stamped with the bench script that measured it. A missed target does not change the exit
 * code here: scripts/collect-bench.mjs fails `pnpm bench` once every bench has run.
 */
export function report(results: readonly BenchResult[], file: URL): void {
  const bench = basename(process.argv[1] ?? 'unknown');
  const w = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const value = `${Math.round(r.value).toLocaleString('en-US')} ${r.unit}`;
    const ratio = r.ratio === undefined ? '' : `  ratio ${r.ratio.toFixed(3)} of ${r.baseline ?? ''}`;
    const missed = missedTarget(r);
    const target = hasTarget(r)
      ? `  target ${describeTarget(r)}: ${missed === undefined ? 'met' : `NOT MET (${missed})`}`
      : '';
    console.log(`${r.name.padEnd(w)}  ${value.padStart(18)}${ratio}${target}`);
  }
  mkdirSync(new URL('.', file), { recursive: true });
  const stamped = results.map((r) => ({ ...r, bench: r.bench ?? bench }));
  writeFileSync(file, `${JSON.stringify(stamped, null, 2)}\n`);
}
