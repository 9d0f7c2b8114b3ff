// One crash run of the gateway: the emulator and the gateway as separate processes, an OTLP
// client in the test process recording which seqs were answered 200, the upstream in the test
// process too. The gateway is killed with SIGKILL at a random point (during an upstream outage,
// injected Sentinel faults or an emulator restart, depending on the scenario), started again on
// the same spool directory (and in some runs killed once more while it resumes), the client
// keeps sending, the gateway drains and stops, `otel-sentinel replay` runs, and what landed is
// compared with what was acknowledged.
import { HANG_MS } from './child-processes.js';
import { EmulatorProcess } from './emulator-process.js';
import type { FaultRule } from './emulator-process.js';
import { CRASH_MAPPING } from './exporter-run.js';
import { FakeUpstream } from './fake-upstream.js';
import type { UpstreamMode } from './fake-upstream.js';
import { CrashRun, drawFaults } from './crash-run.js';
import type { Ending } from './crash-run.js';
import { GatewayProcess } from './gateway-process.js';
import { OtlpSender } from './otlp-sender.js';
import type { SeededRandom } from './seeded-random.js';

export interface GatewayScenario {
  readonly name: string;
  /** An upstream outage around the kill: 503 + Retry-After, or not listening. */
  readonly upstreamOutage: 'none' | 'unavailable' | 'down';
  /** How long the outage lasts, ms (drawn between the two). */
  readonly outageMs?: readonly [number, number];
  /** 429/500/503/reset/delay faults on the emulator, a bounded number of each. */
  readonly sentinelFaults: boolean;
  readonly restartEmulator: boolean;
  /** The kill comes once this many records were acknowledged (drawn between the two). */
  readonly killAfterAcked: readonly [number, number];
}

export interface GatewayRunResult extends Ending {
  readonly scenario: GatewayScenario;
  readonly seed: number;
  readonly killAt: number;
  /** Records acknowledged when the kill came (the client's count). */
  readonly ackedAtKill: number;
  readonly upstreamAtKill: UpstreamMode;
  readonly outageMs: number;
  readonly faults: readonly FaultRule[];
  /** Kills of the gateway: the planned one, plus one during its resume in some runs. */
  readonly kills: number;
  readonly sender: OtlpSender;
  readonly upstream: FakeUpstream;
  readonly dropped: Record<string, number>;
  readonly stopCode: number | null;
  /** What the restarted gateways said they took over ("resuming … N security rows, M operational bodies"). */
  readonly resumedLines: readonly string[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `test()` holds, checked every 10 ms; fails as hung after HANG_MS. */
async function when(test: () => boolean, what: string): Promise<void> {
  const until = Date.now() + HANG_MS;
  while (!test()) {
    if (Date.now() > until) throw new Error(`no ${what} within ${HANG_MS} ms (hung?)`);
    await sleep(10);
  }
}

export class GatewayCrashRun extends CrashRun<GatewayScenario, GatewayRunResult> {
  protected readonly component = 'gateway';

  async run(): Promise<GatewayRunResult> {
    const s = this.scenario;
    const r = this.random;
    const spoolDir = this.spoolDir;
    const upstream = new FakeUpstream();
    await upstream.start();
    let gatewayUrl = '';
    const sender = new OtlpSender({
      url: () => gatewayUrl,
      batch: 20,
      securityShare: 0.6,
      concurrency: 2,
      random: () => r.next(),
    });
    try {
      return await this.runWith(s, r, spoolDir, upstream, sender, (url) => (gatewayUrl = url));
    } finally {
      sender.abandon();
      await upstream.stop();
    }
  }

  private async runWith(
    s: GatewayScenario,
    r: SeededRandom,
    spoolDir: string,
    upstream: FakeUpstream,
    sender: OtlpSender,
    setUrl: (url: string) => void,
  ): Promise<GatewayRunResult> {
    const emulator = await EmulatorProcess.start(this.registry, this.emulatorDir, CRASH_MAPPING);
    const gateway = new GatewayProcess(this.registry, {
      mapping: CRASH_MAPPING,
      spoolDir,
      upstream: upstream.url,
      durability: 'disk',
      emulator,
    });
    await gateway.start();
    await gateway.ready();
    const faults = s.sentinelFaults ? drawFaults(r, () => r.int(1, 6)) : [];
    if (faults.length > 0) await emulator.addFaults(faults);

    const killAt = r.int(s.killAfterAcked[0], s.killAfterAcked[1]);
    // The outage starts before the kill and lasts `outageMs`.
    const outageAt = s.upstreamOutage === 'none' ? undefined : r.int(Math.floor(killAt / 3), killAt);
    const outageMs = s.outageMs === undefined ? 0 : r.int(s.outageMs[0], s.outageMs[1]);
    const restartAt = s.restartEmulator && r.chance(0.6) ? r.int(1, killAt) : undefined;
    const restartAfterKill = s.restartEmulator && restartAt === undefined;
    const pauseMs = r.int(0, 500);
    const secondKillMs = r.chance(0.4) ? r.int(20, 1500) : undefined;
    const extraRecords = r.int(100, 600);

    setUrl(gateway.url);
    sender.start();
    const background: Promise<void>[] = [];
    const beside = (work: Promise<void>): void => {
      work.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
      background.push(work);
    };
    if (outageAt !== undefined) {
      await when(() => sender.acked >= outageAt, `${outageAt} records acknowledged`);
      await upstream.set(s.upstreamOutage === 'down' ? 'down' : 'unavailable');
      beside(sleep(outageMs).then(() => upstream.set('up')));
    }
    if (restartAt !== undefined)
      beside(
        when(() => sender.acked >= restartAt, `${restartAt} records acknowledged`).then(() =>
          emulator.restart(),
        ),
      );
    await when(() => sender.acked >= killAt, `${killAt} records acknowledged`);
    const upstreamAtKill = upstream.state;
    await gateway.kill();
    const ackedAtKill = sender.acked;
    let kills = 1;

    await sleep(pauseMs);
    if (restartAfterKill) await emulator.restart();
    if (secondKillMs !== undefined) {
      // Killed again while it starts and takes over what the first one left.
      const second = gateway.launch();
      await sleep(secondKillMs);
      if ((await second.kill('SIGKILL')).signal === 'SIGKILL') kills++;
    }
    await gateway.start();
    await Promise.all(background);
    await gateway.ready();
    const target = sender.acked + extraRecords;
    await when(() => sender.acked >= target, `${target} records acknowledged`);
    await sender.stop(HANG_MS);
    await upstream.set('up');
    await gateway.drained();
    const dropped = await gateway.dropped();
    const stopCode = await gateway.stop();
    const resumedLines = gateway.started.flatMap((c) =>
      [...c.stderr().matchAll(/resuming what an earlier run left[^\n]*/g)].map((m) => m[0]),
    );

    const ending = await this.replayAndCount(emulator);
    return {
      ...ending,
      scenario: s,
      seed: this.seed,
      killAt,
      ackedAtKill,
      upstreamAtKill,
      outageMs,
      faults,
      kills,
      sender,
      upstream,
      dropped,
      stopCode,
      resumedLines,
    };
  }
}
