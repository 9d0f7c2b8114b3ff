// The detections count bursts in clock-aligned windows — bin(TimeGenerated, 10m), 15m, 30m — so a
// burst that straddled a boundary would be counted in two halves and could stay under a threshold.
// All those windows are multiples of 5 minutes, so a burst starts only when the next 5-minute
// boundary is further away than the burst can take.

import { setTimeout as sleep } from 'node:timers/promises';

const GRID_MS = 5 * 60_000;

/**
 * Waits, when a window boundary is less than `marginMs` away, until just past it; returns how
 * long it waited (usually 0).
 */
export async function clearOfWindowEdge(marginMs: number, now: () => number = Date.now): Promise<number> {
  const toEdge = GRID_MS - (now() % GRID_MS);
  if (toEdge > marginMs) return 0;
  const wait = toEdge + 100;
  await sleep(wait);
  return wait;
}
