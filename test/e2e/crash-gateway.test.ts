// Crash harness, gateway: `otel-sentinel gateway` (durability disk, the default) runs as its own
// process with an OTLP client and an upstream in the test process, and is killed with SIGKILL at
// a random point: with a healthy path, during an upstream outage, under injected Sentinel faults
// with the emulator restarted. It is started again on the same spool directory (killed once more
// while it resumes, in some runs), drains, stops, and `otel-sentinel replay` runs. Then every
// seq it answered 200 for must be in the table (security) or have reached the upstream
// (operational); duplicates are counted, and the documented dedup query removes them.
// One summary line per run; OTEL_SENTINEL_CRASH_SEED replays a run, OTEL_SENTINEL_CRASH_RUNS
// makes a soak (see test/README.md).
import { afterEach, describe, expect } from 'vitest';
import { ProcessRegistry } from './crash/child-processes.js';
import { crashTest } from './crash/crash-run.js';
import { GatewayCrashRun } from './crash/gateway-run.js';
import type { GatewayRunResult, GatewayScenario } from './crash/gateway-run.js';
import { missingOf, ranges } from './crash/landed-rows.js';

const registry = new ProcessRegistry();
afterEach(async () => {
  await registry.killAll();
});

const HEALTHY: GatewayScenario = {
  name: 'healthy',
  upstreamOutage: 'none',
  sentinelFaults: false,
  restartEmulator: false,
  killAfterAcked: [100, 2000],
};

/**
 * 503 with Retry-After: 1 for at most 2.5 s: within the gateway's upstream retry budget (5
 * attempts, at least 4 s apart with that Retry-After).
 */
const UPSTREAM_OUTAGE: GatewayScenario = {
  ...HEALTHY,
  name: 'upstream-503',
  upstreamOutage: 'unavailable',
  outageMs: [500, 2500],
};

/** Connections refused: retried with jittered backoff (which can be short), so at most 500 ms. */
const UPSTREAM_DOWN: GatewayScenario = {
  ...HEALTHY,
  name: 'upstream-down',
  upstreamOutage: 'down',
  outageMs: [100, 500],
};

/**
 * An outage longer than the upstream retry budget (a Collector restarted, a rollout), around the
 * kill: what was answered 200 must still reach the upstream once it is back.
 */
const UPSTREAM_LONG_OUTAGE: GatewayScenario = {
  ...HEALTHY,
  name: 'upstream-long-outage',
  upstreamOutage: 'unavailable',
  outageMs: [9000, 12_000],
};

const SENTINEL_FAULTS: GatewayScenario = {
  ...HEALTHY,
  name: 'sentinel-faults-restart',
  sentinelFaults: true,
  restartEmulator: true,
};

function summary(r: GatewayRunResult, lostSecurity: number, lostOperational: number): string {
  const s = r.sender;
  const forwardedCopies = [...r.upstream.accepted.values()].reduce((n, c) => n + c, 0);
  return (
    `crash-gateway scenario=${r.scenario.name} seed=${r.seed} kill@acked=${r.killAt} ackedAtKill=${r.ackedAtKill} ` +
    `kills=${r.kills} upstreamAtKill=${r.upstreamAtKill} outageMs=${r.outageMs} ` +
    `security: sent=${s.sentSecurity.size} acked=${s.ackedSecurity.size} landed=${r.landed.copies.size} ` +
    `rows=${r.landed.rows} duplicates=${r.landed.duplicates} lostAcknowledged=${lostSecurity} ` +
    `operational: sent=${s.sentOperational.size} acked=${s.ackedOperational.size} forwarded=${r.upstream.accepted.size} ` +
    `duplicates=${forwardedCopies - r.upstream.accepted.size} lostAcknowledged=${lostOperational} ` +
    `dropped=${JSON.stringify(r.dropped)} answers=${JSON.stringify(Object.fromEntries(s.answers))} ` +
    `replayed=${r.replay.delivered} replayKilled=${r.replayKilled} emulatorRestarts=${r.emulatorRestarts} ` +
    `faults=${r.faults.map((f) => `${f.kind}x${f.count ?? 1}`).join('+') || 'none'} resumed=[${r.resumedLines
      .map((l) => /(\d+) security rows, (\d+) operational bodies/.exec(l)?.slice(1, 3).join('/') ?? '?')
      .join(' ')}]`
  );
}

function check(r: GatewayRunResult): void {
  const lostSecurity = missingOf(
    [...r.sender.ackedSecurity].sort((a, b) => a - b),
    r.landed,
  );
  const lostOperational = [...r.sender.ackedOperational].filter((seq) => !r.upstream.accepted.has(seq));
  console.log(summary(r, lostSecurity.length, lostOperational.length));
  expect(ranges(lostSecurity), 'security seqs answered 200 and missing from the table').toBe('');
  expect(
    ranges(lostOperational.sort((a, b) => a - b)),
    'operational seqs answered 200 and never forwarded',
  ).toBe('');
  // Nothing that was not sent, nothing in the wrong place, nothing rejected.
  expect([...r.landed.copies.keys()].filter((seq) => !r.sender.sentSecurity.has(seq))).toEqual([]);
  expect([...r.upstream.accepted.keys()].filter((seq) => !r.sender.sentOperational.has(seq))).toEqual([]);
  expect(r.sender.rejected).toBe(0);
  // A clean stop after the drain, a replay that delivers everything, and duplicates the query removes.
  expect(r.stopCode).toBe(0);
  expect(r.replay.code, r.replay.output).toBe(0);
  expect(r.landed.withoutRowId).toBe(0);
  expect(r.landed.dedupCount).toBe(r.landed.copies.size);
}

const CASES: readonly (readonly [string, GatewayScenario])[] = [
  ['loses no record it answered 200 for (a healthy path)', HEALTHY],
  [
    'loses no record it answered 200 for when killed during an upstream outage (503 + Retry-After)',
    UPSTREAM_OUTAGE,
  ],
  ['loses no record it answered 200 for when killed while the upstream refuses connections', UPSTREAM_DOWN],
  [
    'loses no record it answered 200 for when killed during an upstream outage longer than its retry budget',
    UPSTREAM_LONG_OUTAGE,
  ],
  [
    'loses no record it answered 200 for under 429/500/503/resets/delays and emulator restarts',
    SENTINEL_FAULTS,
  ],
];

describe('the gateway killed with SIGKILL (durability disk, separate processes)', () => {
  const start = (scenario: GatewayScenario, seed: number): GatewayCrashRun =>
    new GatewayCrashRun(registry, scenario, seed);
  for (const [title, scenario] of CASES)
    crashTest(title, { registry, scenario, runs: 1, msPerRun: 200_000, start, check });
});
