// An emulator with the app-events table, the given analytic rules (YAML written to a temp
// folder) and a manual clock, for the detections tests.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/index.js';
import { ManualClock } from './manual-clock.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const APP_EVENTS_MAPPING = join(FIXTURES, 'management/app-events.yaml');
export const DCR = 'dcr-0123456789abcdef0123456789abcdef';
export const T0 = '2026-12-01T10:00:00.000Z';

/** Failures per user in the window: one row per user with a failed request. */
export const FAILURES_BY_USER =
  'AppEvents_CL | where Status >= 400 | summarize Failures = count() by UserId | order by UserId asc';

/** A scheduled rule as template YAML: every 5 minutes over 5 minutes, gt 0, with `fields` over it. */
export function ruleYaml(id: string, fields: Record<string, unknown> = {}): string {
  return stringify({
    id,
    name: `Rule ${id}`,
    description: `Test rule ${id}`,
    severity: 'Medium',
    queryFrequency: '5m',
    queryPeriod: '5m',
    triggerOperator: 'gt',
    triggerThreshold: 0,
    tactics: ['CredentialAccess'],
    relevantTechniques: ['T1110'],
    query: FAILURES_BY_USER,
    kind: 'Scheduled',
    ...fields,
  });
}

export interface Rig {
  readonly emulator: RunningEmulator;
  readonly time: ManualClock;
  readonly folder: string;
  /** Stores a failed request by `user` at `minutes` after T0 (negative: before). */
  fail(user: string, minutes: number, status?: number): void;
}

const dataDir = mkdtempSync(join(tmpdir(), 'emulator-detections-'));

/** Starts an emulator at T0 with the rule files `{ name: yaml }`. */
export async function startRig(
  files: Readonly<Record<string, string>>,
  options: Partial<EmulatorOptions> = {},
): Promise<Rig> {
  const folder = mkdtempSync(join(tmpdir(), 'rules-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  const time = new ManualClock(T0);
  const emulator = await startEmulator({
    port: 0,
    inMemory: true,
    dataDir,
    mappings: [APP_EVENTS_MAPPING],
    env: { SENTINEL_DCR_IMMUTABLE_ID: DCR },
    ...options,
    rules: [folder, ...(options.rules ?? [])],
    detections: { clock: time.clock, setTimer: time.setTimer, ...options.detections },
  });
  return {
    emulator,
    time,
    folder,
    fail(user, minutes, status = 401) {
      emulator.store.insert(
        'AppEvents_CL',
        [{ TimeGenerated: ManualClock.at(T0, minutes), UserId: user, Status: status }],
        new Date(T0),
      );
    },
  };
}
