// scripts/collect-bench.mjs decides whether `pnpm bench` passes: run on a made-up repository
// whose packages hold hand-written results, it must fail naming each missed target, fail when a
// package with a bench script wrote nothing, and pass when every target is met.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';

const COLLECTOR = join(ROOT, 'scripts', 'collect-bench.mjs');

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly bench: string;
  readonly baseline?: string;
  readonly ratio?: number;
  readonly target?: number;
  readonly limit?: number;
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A repository with one package per entry: its name, whether it has a bench script, its results. */
function repository(packages: Record<string, { bench: boolean; results?: readonly Result[] }>): string {
  const root = mkdtempSync(join(tmpdir(), 'otel-sentinel-collect-bench-'));
  made.push(root);
  for (const [dir, p] of Object.entries(packages)) {
    const pkg = join(root, 'packages', dir);
    mkdirSync(join(pkg, '.bench'), { recursive: true });
    const scripts = p.bench ? { bench: 'node bench/x.bench.ts' } : {};
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: `@bench-test/${dir}`, scripts }));
    if (p.results) writeFileSync(join(pkg, '.bench', 'results.json'), JSON.stringify(p.results));
  }
  return root;
}

function collect(root: string): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [COLLECTOR, root], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout + r.stderr };
}

const floor: Result = { name: 'a.floor', value: 1000, unit: 'rows/s', bench: 'a.bench.ts' };
const met: Result = {
  name: 'a.ours',
  value: 600,
  unit: 'rows/s',
  bench: 'a.bench.ts',
  baseline: 'a.floor',
  ratio: 0.6,
  target: 0.5,
};
const underLimit: Result = {
  name: 'b.heap-growth',
  value: 3,
  unit: 'MB',
  bench: 'memory.bench.ts',
  baseline: 'the queue bytes',
  ratio: 0.75,
  limit: 4,
};

describe('collect-bench', () => {
  it('exits 0 and writes every result when every target is met', () => {
    const root = repository({
      a: { bench: true, results: [floor, met] },
      b: { bench: true, results: [underLimit] },
      c: { bench: false },
    });
    const r = collect(root);
    expect(r.stdout).not.toContain('MISSED');
    expect(r.status).toBe(0);
    const written = JSON.parse(readFileSync(join(root, 'bench-results.json'), 'utf8')) as Result[];
    expect(written.map((x) => x.name)).toEqual(['a.floor', 'a.ours', 'b.heap-growth']);
  });

  it('exits 1 and names the package, bench, figure and target of a ratio below its target', () => {
    const root = repository({
      a: { bench: true, results: [floor, { ...met, value: 380, ratio: 0.38, target: 0.4 }] },
      b: { bench: true, results: [underLimit] },
    });
    const r = collect(root);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /MISSED: @bench-test\/a a\.bench\.ts a\.ours: target ≥ 0\.4 of a\.floor, ratio 0\.380/,
    );
    expect(r.stdout).not.toContain('b.heap-growth:');
    // Every result is still written, the missed one included.
    const written = JSON.parse(readFileSync(join(root, 'bench-results.json'), 'utf8')) as Result[];
    expect(written).toHaveLength(3);
  });

  it('exits 1 when a figure passes the limit it must stay under', () => {
    const root = repository({ b: { bench: true, results: [{ ...underLimit, ratio: 4.5 }] } });
    const r = collect(root);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /MISSED: @bench-test\/b memory\.bench\.ts b\.heap-growth: target ≤ 4 .*ratio 4\.500 > limit 4/,
    );
  });

  it('exits 1 when a target has no ratio to judge (NaN, as 0 ÷ 0 gives)', () => {
    const noRatio: Result = { ...met, ratio: Number.NaN };
    const root = repository({ a: { bench: true, results: [floor, noRatio] } });
    const r = collect(root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('MISSED: @bench-test/a a.bench.ts a.ours');
  });

  it('exits 1 naming a package whose bench script wrote no results', () => {
    const root = repository({ a: { bench: true, results: [floor, met] }, d: { bench: true } });
    const r = collect(root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('NO RESULTS: @bench-test/d');
  });
});
