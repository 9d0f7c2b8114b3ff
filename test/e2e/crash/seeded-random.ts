// Seeded randomness for the crash runs: every choice a run makes (kill point, faults, outage)
// comes from one printed seed, so `OTEL_SENTINEL_CRASH_SEED=<seed>` replays that run's choices.
// (Timing still differs between machines: the seed fixes what is done, not when the OS does it.)

export const SEED_ENV = 'OTEL_SENTINEL_CRASH_SEED';
export const RUNS_ENV = 'OTEL_SENTINEL_CRASH_RUNS';

/** mulberry32: small, fast, and good enough to pick kill points. */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/**
 * The seeds of a test's runs: `OTEL_SENTINEL_CRASH_SEED` alone replays exactly that run (one run);
 * otherwise `runs` seeds (`OTEL_SENTINEL_CRASH_RUNS` overrides the count, for a soak), drawn
 * from a base seed that is itself random and printed.
 */
export function runSeeds(defaultRuns: number, env: NodeJS.ProcessEnv = process.env): number[] {
  const fixed = env[SEED_ENV];
  if (fixed !== undefined && fixed !== '') {
    const seed = Number(fixed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new Error(`${SEED_ENV} must be a whole number from 0 to 4294967295, got "${fixed}"`);
    return [seed];
  }
  const rawRuns = env[RUNS_ENV];
  const runs = rawRuns !== undefined && rawRuns !== '' ? Number(rawRuns) : defaultRuns;
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`${RUNS_ENV} must be a whole number ≥ 1, got "${rawRuns ?? ''}"`);
  const base = new SeededRandom((Math.random() * 0x100000000) >>> 0);
  return Array.from({ length: runs }, () => base.int(0, 0xffffffff));
}
