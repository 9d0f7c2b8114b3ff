// One crash run of the in-app exporter: the emulator and the app as separate processes, the app
// killed with SIGKILL at a random point, started again to take over what the killed one left
// (itself killed once more in some runs), then `otel-sentinel replay`, then the table is read.
import { fileURLToPath } from 'node:url';
import { ROOT } from '../cli.js';
import { childEnv, describeExit } from './child-processes.js';
import type { Child } from './child-processes.js';
import { EmulatorProcess } from './emulator-process.js';
import type { FaultRule } from './emulator-process.js';
import type { ExporterAppConfig } from './exporter-app.js';
import { CrashRun, drawFaults } from './crash-run.js';
import type { Ending } from './crash-run.js';

export const CRASH_MAPPING = fileURLToPath(new URL('crash-mapping.yaml', import.meta.url));
const APP = fileURLToPath(new URL('exporter-app.ts', import.meta.url));

export interface ExporterScenario {
  readonly name: string;
  readonly durability: 'disk' | 'memory';
  /** Inject 429/500/503/reset/delay faults while the app runs (drawn from the seed). */
  readonly faults: boolean;
  /** Kill and restart the emulator while the app runs, or between the kill and the resume. */
  readonly restartEmulator: boolean;
  readonly maxQueueSize: number;
  readonly maxSpoolBacklog: number;
  readonly ratePerSecond: number;
  /** The kill comes once this many records are emitted (drawn between the two). */
  readonly killAfter: readonly [number, number];
  /**
   * Kill only once the store is open (a process killed before that never registered in it, so
   * no later start can know what it held). Default false.
   */
  readonly killAfterStoreOpen?: boolean;
  /** Start the app again to take over what the killed one left (default); false: `replay` alone does. */
  readonly resume?: boolean;
}

/** The progress line of the emit mode. */
export interface Progress {
  readonly emitted: number;
  readonly persisted: number;
  readonly lost: number;
}

export interface AppStats {
  readonly rowsPersisted: number;
  readonly rowsResumed: number;
  readonly rowsLostInEarlierCrash: number;
  readonly rowsExported: number;
  readonly rowsSpooled: number;
  readonly rowsUndelivered: Readonly<Record<string, number>>;
}

export interface ExporterRunResult extends Ending {
  readonly scenario: ExporterScenario;
  readonly seed: number;
  readonly killAt: number;
  readonly faults: readonly FaultRule[];
  /** The last progress line the killed app wrote. */
  readonly atKill: Progress;
  /** Records the killed app may have emitted: its last line, plus the tick the kill cut short. */
  readonly emittedUpTo: number;
  readonly perTick: number;
  /** Resume processes killed as well (a second crash, while taking over). */
  readonly resumeKills: number;
  /** How many times the app was started to take over (a first start may be killed, or finish first). */
  readonly resumeStarts: number;
  /** The stats of the resume that shut down cleanly (none without a resume); the diag lines of every resume. */
  readonly resumed: AppStats | undefined;
  readonly resumeDiag: string;
}

const PROGRESS = /emitted=(\d+) persisted=(\d+) lost=(\d+)\n/g;

export function lastProgress(stdout: string): Progress {
  let last: Progress = { emitted: 0, persisted: 0, lost: 0 };
  for (const m of stdout.matchAll(PROGRESS))
    last = { emitted: Number(m[1]), persisted: Number(m[2]), lost: Number(m[3]) };
  return last;
}

export class ExporterCrashRun extends CrashRun<ExporterScenario, ExporterRunResult> {
  protected readonly component = 'exporter';

  async run(): Promise<ExporterRunResult> {
    const s = this.scenario;
    const r = this.random;
    const spoolDir = this.spoolDir;
    const emulator = await EmulatorProcess.start(this.registry, this.emulatorDir, CRASH_MAPPING);
    const faults = s.faults ? drawFaults(r) : [];
    if (faults.length > 0) await emulator.addFaults(faults);

    const killAt = r.int(s.killAfter[0], s.killAfter[1]);
    // When the emulator is restarted: while the app runs (at this many records), or after the kill.
    const restartAt = s.restartEmulator && r.chance(0.6) ? r.int(1, killAt) : undefined;
    const restartAfterKill = s.restartEmulator && restartAt === undefined;
    const scheduledDelayMillis = r.pick([100, 300, 1000]);
    const resumeKillMs = r.chance(0.4) ? r.int(50, 1500) : undefined;

    const config = (mode: 'emit' | 'resume'): ExporterAppConfig => {
      const v = emulator.env();
      return {
        mode,
        durability: s.durability,
        spoolDir,
        mapping: CRASH_MAPPING,
        origin: emulator.origin,
        caPath: emulator.caPath,
        tenantId: v.AZURE_TENANT_ID ?? '',
        clientId: v.AZURE_CLIENT_ID ?? '',
        clientSecret: v.AZURE_CLIENT_SECRET ?? '',
        dcrImmutableId: v.SENTINEL_DCR_IMMUTABLE_ID ?? '',
        ratePerSecond: s.ratePerSecond,
        maxRecords: s.killAfter[1] * 4 + s.ratePerSecond,
        maxQueueSize: s.maxQueueSize,
        maxSpoolBacklog: s.maxSpoolBacklog,
        scheduledDelayMillis,
        retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 400, maxElapsedMs: 3000 },
      };
    };

    const app = this.app(config('emit'));
    const ready = await app.waitFor(/ready pid=\d+ perTick=(\d+)\n/);
    const perTick = Number(ready[1]);
    const emittedAtLeast = (n: number): Promise<true> =>
      app.until(() => (lastProgress(app.stdout()).emitted >= n ? true : undefined), `emitted ≥ ${n}`);
    // The restart runs beside the app: the kill still comes at its own point, during it or after.
    const restarted =
      restartAt === undefined ? undefined : emittedAtLeast(restartAt).then(() => emulator.restart());
    restarted?.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    await emittedAtLeast(killAt);
    if (s.killAfterStoreOpen === true) await app.waitFor(/store-open emitted=\d+\n/);
    const exit = await app.kill('SIGKILL');
    if (exit.signal !== 'SIGKILL')
      throw new Error(`the app ended before its kill (${describeExit(exit)})\n${app.tail()}`);
    const atKill = lastProgress(app.stdout());
    await restarted;
    if (restartAfterKill) await emulator.restart();

    const taken =
      s.resume === false ? undefined : await this.resume(() => this.app(config('resume')), resumeKillMs);
    const ending = await this.replayAndCount(emulator);
    return {
      ...ending,
      scenario: s,
      seed: this.seed,
      killAt,
      faults,
      atKill,
      emittedUpTo: atKill.emitted + perTick,
      perTick,
      resumeKills: taken?.kills ?? 0,
      resumeStarts: taken?.starts ?? 0,
      resumed: taken?.stats,
      resumeDiag: taken?.diag ?? '',
    };
  }

  /**
   * Takes over what the killed app left: a start that is itself killed after `killMs` (when
   * given), then one that delivers it all and shuts down cleanly.
   */
  private async resume(
    start: () => Child,
    killMs: number | undefined,
  ): Promise<{ stats: AppStats; diag: string; kills: number; starts: number }> {
    let kills = 0;
    let diag = '';
    if (killMs !== undefined) {
      const first = start();
      await new Promise((resolve) => setTimeout(resolve, killMs));
      if ((await first.kill('SIGKILL')).signal === 'SIGKILL') kills++;
      diag += first.stderr();
    }
    const app = start();
    const statsLine = await app.waitFor(/^stats (.*)$/m);
    const exit = await app.ended();
    diag += app.stderr();
    if (exit.code !== 0) throw new Error(`the resume ended with ${describeExit(exit)}\n${app.tail()}`);
    const starts = killMs === undefined ? 1 : 2;
    return { stats: JSON.parse(statsLine[1] ?? '{}') as AppStats, diag, kills, starts };
  }

  private app(config: ExporterAppConfig): Child {
    return this.registry.spawn(`app (${config.mode})`, [APP, JSON.stringify(config)], childEnv({}), ROOT);
  }
}
