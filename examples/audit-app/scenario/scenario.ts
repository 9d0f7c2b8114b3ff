// The scripted scenario `pnpm demo` and the end-to-end tests drive over HTTP: a morning of ordinary
// work at Contoso (ordinary-work.ts), then one incident for each OWASP detection
// (incident-scenes.ts), each caused by requests the app handles as it would any others.

import { playAsimScenes } from './asim-scenes.js';
import { playIncidents } from './incident-scenes.js';
import { ordinaryWork } from './ordinary-work.js';
import { Stage } from './stage.js';
import type { SceneResult } from './stage.js';

export type { Scene, SceneResult } from './stage.js';

export interface ScenarioResult {
  readonly scenes: readonly SceneResult[];
  /** The session ids the app issued, by user (the last one each signed in with): secrets to look for in the table. */
  readonly sessionIds: ReadonlyMap<string, string>;
  /** frank's API token: its id (safe to log) and its secret (never to be logged). */
  readonly token: { readonly tokenId: string; readonly secret: string };
}

export interface ScenarioOptions {
  /** Called after each scene, e.g. to print it. */
  readonly onScene?: (scene: SceneResult) => void;
  /** Also play the scenes for Microsoft's ASIM rules (asim-scenes.ts) after the incidents. Default false. */
  readonly asim?: boolean;
}

/** Runs the scenario against the app at `baseUrl`, which must trust this client's X-Forwarded-For. */
export async function runScenario(baseUrl: string, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const stage = new Stage(baseUrl, options.onScene);
  await ordinaryWork(stage);
  const token = await playIncidents(stage);
  if (options.asim === true) await playAsimScenes(stage);
  return { scenes: stage.scenes, sessionIds: stage.sessionIds, token };
}

/** Compact statuses for printing: `200×3 401 423×9`. */
export function statusSummary(statuses: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < statuses.length) {
    let j = i;
    while (j < statuses.length && statuses[j] === statuses[i]) j++;
    parts.push(j - i > 1 ? `${String(statuses[i])}×${j - i}` : String(statuses[i]));
    i = j;
  }
  return parts.join(' ');
}
