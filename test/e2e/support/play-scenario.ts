// Runs the built example app against an emulator and plays its scenario over HTTP: what the demo
// and the ASIM proof both do before they query what the app sent.
import { join } from 'node:path';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { runScenario, startAppProcess } from '@otel-sentinel/example-audit-app/scenario';
import type { AppExit, ScenarioOptions, ScenarioResult } from '@otel-sentinel/example-audit-app/scenario';

export interface Played {
  readonly scenario: ScenarioResult;
  /** How the app exited once stopped (it flushes every event first). */
  readonly exit: AppExit;
}

/**
 * Starts the app with the emulator's variables, `work` as its home and spool, and `env`, plays,
 * stops it.
 */
export async function playScenarioOn(
  emulator: RunningEmulator,
  work: string,
  hashKey: string,
  options: ScenarioOptions = {},
  env: Readonly<Record<string, string>> = {},
): Promise<Played> {
  const app = await startAppProcess({
    ...emulator.env(),
    HOME: work,
    OTEL_SENTINEL_HASH_KEY: hashKey,
    OTEL_SENTINEL_SPOOL_DIR: join(work, 'spool'),
    ...env,
  });
  let scenario: ScenarioResult;
  let exit: AppExit;
  try {
    scenario = await runScenario(app.baseUrl, options);
  } finally {
    exit = await app.stop();
  }
  return { scenario, exit };
}
