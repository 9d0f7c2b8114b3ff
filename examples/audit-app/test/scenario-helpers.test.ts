import { describe, expect, it } from 'vitest';
import { clearOfWindowEdge } from '../scenario/windows.js';
import { statusSummary } from '../scenario/scenario.js';

describe('clearOfWindowEdge', () => {
  const edge = Date.parse('2025-01-01T08:10:00Z');

  it('does not wait when the next 5-minute boundary is further away than the margin', async () => {
    expect(await clearOfWindowEdge(8_000, () => edge - 60_000)).toBe(0);
    expect(await clearOfWindowEdge(8_000, () => edge)).toBe(0);
  });

  it('waits until just past a boundary that is closer than the margin', async () => {
    expect(await clearOfWindowEdge(8_000, () => edge - 50)).toBe(150);
  });
});

describe('statusSummary', () => {
  it('counts runs of the same status', () => {
    expect(statusSummary([401, 401, 401, 423, 200, 200])).toBe('401×3 423 200×2');
    expect(statusSummary([])).toBe('');
  });
});
