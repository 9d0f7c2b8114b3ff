// Crash harness, in-app exporter: an app with the SentinelLogRecordProcessor runs as its own
// process and is killed with SIGKILL at a random point, with and without injected 429/500/503/
// reset/delay faults and emulator restarts; a new start takes over what it left, then
// `otel-sentinel replay` sends the spool, and the emulator's table is counted seq by seq.
// - disk durability: no record the exporter had counted as persisted is lost;
// - memory durability: losses stay within maxQueueSize + maxSpoolBacklog (plus what the app
//   itself counted as lost), and the next start reports them.
// Duplicates are counted, and the documented dedup query removes them. One summary line per run
// (seed, kill point, figures); OTEL_SENTINEL_CRASH_SEED replays a run, OTEL_SENTINEL_CRASH_RUNS
// makes a soak (see test/README.md).
import { afterEach, describe, expect } from 'vitest';
import { ProcessRegistry } from './crash/child-processes.js';
import { crashTest } from './crash/crash-run.js';
import { ExporterCrashRun } from './crash/exporter-run.js';
import type { ExporterRunResult, ExporterScenario } from './crash/exporter-run.js';
import { missingOf, range, ranges } from './crash/landed-rows.js';

const registry = new ProcessRegistry();
afterEach(async () => {
  await registry.killAll();
});

const DISK_HEALTHY: ExporterScenario = {
  name: 'disk',
  durability: 'disk',
  faults: false,
  restartEmulator: false,
  maxQueueSize: 20_000,
  maxSpoolBacklog: 20_000,
  ratePerSecond: 1000,
  killAfter: [200, 2500],
};

/** No new start of the app: `otel-sentinel replay` alone sends what the killed one left in the queue. */
const DISK_REPLAY_ONLY: ExporterScenario = { ...DISK_HEALTHY, name: 'disk-replay-only', resume: false };

const DISK_FAULTS: ExporterScenario = {
  ...DISK_HEALTHY,
  name: 'disk-faults-restart',
  faults: true,
  restartEmulator: true,
};

/**
 * Small queues, so the bound bites. Killed once the store is open: a process killed before that
 * never registered in the spool directory, so no later start can know what it held.
 */
const MEMORY: ExporterScenario = {
  name: 'memory-faults',
  durability: 'memory',
  faults: true,
  restartEmulator: false,
  maxQueueSize: 300,
  maxSpoolBacklog: 200,
  ratePerSecond: 1000,
  killAfter: [1000, 3000],
  killAfterStoreOpen: true,
};

/** Default queue sizes and a healthy Sentinel: what memory holds is the batch waiting for its timer. */
const MEMORY_HEALTHY: ExporterScenario = {
  ...MEMORY,
  name: 'memory-healthy',
  faults: false,
  maxQueueSize: 10_000,
  maxSpoolBacklog: 100_000,
  killAfter: [1000, 4000],
};

/**
 * A burst at start (20,000 records/s), killed the moment the app sees its store open: what it held
 * then is lost, and the next start must say so.
 */
const MEMORY_EARLY: ExporterScenario = {
  ...MEMORY,
  name: 'memory-early',
  ratePerSecond: 20_000,
  killAfter: [1, 1],
};

function summary(r: ExporterRunResult, lost: number, lostAcknowledged: number): string {
  const window = r.atKill.emitted - r.atKill.persisted;
  return (
    `crash-exporter scenario=${r.scenario.name} seed=${r.seed} kill@emitted=${r.killAt} ` +
    `emitted=${r.atKill.emitted} persisted=${r.atKill.persisted} ` +
    (r.scenario.durability === 'disk' ? `window=${window} ` : '') +
    `landed=${r.landed.copies.size} rows=${r.landed.rows} duplicates=${r.landed.duplicates} lost=${lost} ` +
    `lostAcknowledged=${lostAcknowledged} countedLostWhileRunning=${r.atKill.lost} ` +
    `reportedLostAtStart=${r.resumed?.rowsLostInEarlierCrash ?? '-'} resumed=${r.resumed?.rowsResumed ?? '-'} ` +
    `replayed=${r.replay.delivered} replayKilled=${r.replayKilled} resumeKills=${r.resumeKills} emulatorRestarts=${r.emulatorRestarts} ` +
    `faults=${r.faults.map((f) => f.kind).join('+') || 'none'}`
  );
}

function checkCommon(r: ExporterRunResult): void {
  // Replay delivered everything the spool held (faults are cleared before it runs).
  expect(r.replay.code, r.replay.output).toBe(0);
  // No row that was never emitted, and every row can be deduplicated by the documented query.
  const beyond = [...r.landed.copies.keys()].filter((seq) => seq < 1 || seq > r.emittedUpTo);
  expect(beyond, 'rows with seqs the app never emitted').toEqual([]);
  expect(r.landed.withoutRowId).toBe(0);
  expect(r.landed.dedupCount).toBe(r.landed.copies.size);
}

function checkDisk(r: ExporterRunResult): void {
  const lostAcknowledged = missingOf(range(1, r.atKill.persisted), r.landed);
  const lost = missingOf(range(1, r.atKill.emitted), r.landed);
  console.log(summary(r, lost.length, lostAcknowledged.length));
  expect(ranges(lostAcknowledged), 'persisted seqs missing from the table').toBe('');
  checkCommon(r);
}

function checkMemory(r: ExporterRunResult): void {
  const lost = missingOf(range(1, r.atKill.emitted), r.landed);
  console.log(summary(r, lost.length, 0));
  const window = r.scenario.maxQueueSize + r.scenario.maxSpoolBacklog;
  // What the app counted as lost while it ran (queue and spool backlog both full) is not the crash's.
  const lostInCrash = lost.length - r.atKill.lost;
  expect(lostInCrash, `lost ${ranges(lost)}`).toBeLessThanOrEqual(window);
  if (lostInCrash > 0) {
    expect(r.resumeDiag, 'the diag line of the next start').toMatch(
      /ended without a clean stop while holding about \d+ security record\(s\) in memory only/,
    );
    // With two starts, the first one (killed, or done before its kill) reported it: its line is above.
    if (r.resumeStarts === 1) expect(r.resumed?.rowsLostInEarlierCrash).toBeGreaterThan(0);
  }
  checkCommon(r);
}

const CASES: readonly (readonly [string, ExporterScenario, number, (r: ExporterRunResult) => void])[] = [
  ["loses no record it had persisted (durability 'disk', a healthy Sentinel)", DISK_HEALTHY, 1, checkDisk],
  [
    "loses no record it had persisted when replay alone takes over what the killed app left (durability 'disk')",
    DISK_REPLAY_ONLY,
    1,
    checkDisk,
  ],
  [
    "loses no record it had persisted under 429/500/503/resets/delays and emulator restarts (durability 'disk')",
    DISK_FAULTS,
    1,
    checkDisk,
  ],
  [
    "loses at most maxQueueSize + maxSpoolBacklog records, and the next start reports the loss (durability 'memory')",
    MEMORY,
    1,
    checkMemory,
  ],
  [
    "reports at the next start what a crash lost, with the default queue sizes (durability 'memory')",
    MEMORY_HEALTHY,
    1,
    checkMemory,
  ],
  [
    "reports at the next start what a kill right after its store opened lost (durability 'memory')",
    MEMORY_EARLY,
    1,
    checkMemory,
  ],
];

describe('the in-app exporter killed with SIGKILL (separate processes, the emulator over TLS)', () => {
  const start = (scenario: ExporterScenario, seed: number): ExporterCrashRun =>
    new ExporterCrashRun(registry, scenario, seed);
  for (const [title, scenario, runs, check] of CASES)
    crashTest(title, { registry, scenario, runs, msPerRun: 150_000, start, check });
});
