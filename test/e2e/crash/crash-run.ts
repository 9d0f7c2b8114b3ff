// What every crash run shares: its seed and random choices, a fresh directory (kept when the run
// fails, for a look at the spool), the fault rules it may inject, and the test that runs a
// scenario once per seed, one run after the other, killing whatever is left after each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import type { ProcessRegistry } from './child-processes.js';
import type { EmulatorProcess, FaultRule } from './emulator-process.js';
import { readLanded } from './landed-rows.js';
import type { Landed } from './landed-rows.js';
import { replay } from './replay-cli.js';
import type { ReplayRun } from './replay-cli.js';
import { runSeeds, SEED_ENV, SeededRandom } from './seeded-random.js';

/** What every run ends with. */
export interface Ending {
  /** The replay that ran to its end. */
  readonly replay: ReplayRun;
  /** A replay before it was killed part-way (before it ended by itself). */
  readonly replayKilled: boolean;
  readonly landed: Landed;
  /** Times the emulator was killed and started again during the run. */
  readonly emulatorRestarts: number;
}

export abstract class CrashRun<S extends { readonly name: string }, R> {
  protected readonly random: SeededRandom;
  /** `exporter` or `gateway`: the start of the run's directory name. */
  protected abstract readonly component: string;
  private dir: string | undefined;

  constructor(
    protected readonly registry: ProcessRegistry,
    readonly scenario: S,
    readonly seed: number,
  ) {
    this.random = new SeededRandom(seed);
  }

  /** The run's own directory, made at first use: the emulator's data and the spool directory live here. */
  get directory(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), `crash-${this.component}-${this.scenario.name}-`));
    return this.dir;
  }

  /** The spool directory of the app or the gateway: its write-ahead queue and spool. */
  get spoolDir(): string {
    return join(this.directory, 'spool');
  }

  /** The emulator's data directory: its rows, CA and token key survive its restarts. */
  get emulatorDir(): string {
    return join(this.directory, 'emulator');
  }

  abstract run(): Promise<R>;

  /**
   * The end of every run, as an operator would do it: the cause of the failures is fixed (the
   * faults cleared), `otel-sentinel replay` sends the spool, then the table is read back.
   */
  protected async replayAndCount(emulator: EmulatorProcess): Promise<Ending> {
    await emulator.clearFaults();
    // In some runs replay itself is killed part-way, and run again: what it had claimed goes back.
    const replayKillMs = this.random.chance(0.4) ? this.random.int(50, 1500) : undefined;
    const killedReplay =
      replayKillMs === undefined
        ? undefined
        : await replay(this.registry, this.spoolDir, emulator, replayKillMs);
    const replayed = await replay(this.registry, this.spoolDir, emulator);
    const landed = await readLanded(emulator);
    await emulator.kill();
    return {
      replay: replayed,
      replayKilled: killedReplay !== undefined && killedReplay.code === null,
      landed,
      emulatorRestarts: emulator.restarts,
    };
  }

  discard(): void {
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Fault rules for the emulator: each kind with probability 0.6 (at least one). `count` bounds
 * each rule; without it, each fires on a share of requests until the faults are cleared.
 */
export function drawFaults(random: SeededRandom, count?: () => number): FaultRule[] {
  const when = (rate: number): { count: number } | { rate: number } =>
    count === undefined ? { rate } : { count: count() };
  const all: FaultRule[] = [
    { kind: 'throttle', seconds: 1, ...when(0.15) },
    { kind: 'throttle-no-retry-after', ...when(0.05) },
    { kind: 'error-500', ...when(0.1) },
    { kind: 'error-503', ...when(0.1) },
    { kind: 'reset', ...when(0.1) },
    { kind: 'delay', delayMs: random.int(200, 1500), ...when(0.2) },
  ];
  const chosen = all.filter(() => random.chance(0.6));
  return chosen.length > 0 ? chosen : [random.pick(all)];
}

export interface CrashTest<S extends { readonly name: string }, R> {
  readonly registry: ProcessRegistry;
  readonly scenario: S;
  /** Runs without OTEL_SENTINEL_CRASH_RUNS (or OTEL_SENTINEL_CRASH_SEED, which makes one). */
  readonly runs: number;
  /** Test time limit per run; a hung process fails the run well before it (HANG_MS). */
  readonly msPerRun: number;
  readonly start: (scenario: S, seed: number) => CrashRun<S, R>;
  /** Prints the run's summary line and asserts; throws on a failed run. */
  readonly check: (result: R) => void;
}

/**
 * Declares a test that runs the scenario once per seed, every seed even after a failure (a soak
 * reports all its failing seeds); a failure names its seed and keeps its directory.
 */
export function crashTest<S extends { readonly name: string }, R>(title: string, t: CrashTest<S, R>): void {
  const seeds = runSeeds(t.runs);
  it(
    title,
    async () => {
      const failures: Error[] = [];
      for (const seed of seeds) {
        const run = t.start(t.scenario, seed);
        try {
          t.check(await run.run());
          run.discard();
        } catch (error) {
          failures.push(
            new Error(
              `crash run scenario=${t.scenario.name} seed=${seed} failed (run it again: ${SEED_ENV}=${seed}); ` +
                `its files are in ${run.directory}`,
              { cause: error },
            ),
          );
        } finally {
          await t.registry.killAll();
        }
      }
      const first = failures[0];
      if (first === undefined) return;
      if (failures.length > 1)
        throw new Error(
          `${failures.length} of ${seeds.length} runs failed:\n${failures.map((f) => f.message).join('\n')}`,
          {
            cause: first.cause,
          },
        );
      throw first;
    },
    seeds.length * t.msPerRun,
  );
}
