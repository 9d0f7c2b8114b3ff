// What the scenes play on: the HTTP client, the sessions the users signed in with, and the scenes
// played so far, each with the statuses the app answered.

import { Client } from './client.js';
import type { User } from './personas.js';
import { clearOfWindowEdge } from './windows.js';

export interface Scene {
  readonly title: string;
  /** The detection (file in @otel-sentinel/owasp's detections/) it should trip; none for benign traffic. */
  readonly rule?: string;
}

export interface SceneResult extends Scene {
  /** The statuses the app answered, in order. */
  readonly statuses: readonly number[];
  /** How long the scene waited for a detection window to start, in ms (usually 0). */
  readonly waitedMs: number;
}

// Longest a windowed burst may take on a slow machine: it starts only this far from a boundary.
const BURST_MARGIN_MS = 8_000;

export class Stage {
  readonly client: Client;
  readonly scenes: SceneResult[] = [];
  /** The session each user (by id) last signed in with. */
  readonly sessionIds = new Map<string, string>();
  private waitedMs = 0;

  constructor(
    baseUrl: string,
    private readonly onScene?: (scene: SceneResult) => void,
  ) {
    this.client = new Client(baseUrl);
  }

  /** Plays one scene and records what the app answered. */
  async scene(what: Scene, play: () => Promise<void>): Promise<void> {
    const from = this.client.statuses.length;
    this.waitedMs = 0;
    await play();
    const result: SceneResult = {
      ...what,
      statuses: this.client.statuses.slice(from),
      waitedMs: this.waitedMs,
    };
    this.scenes.push(result);
    this.onScene?.(result);
  }

  /** Signs `user` in from their own desk; returns (and remembers) the session id. */
  async signIn(user: User): Promise<string> {
    const id = await this.client.signIn(user, user.id, user.password);
    this.sessionIds.set(user.id, id);
    return id;
  }

  /** The session `userId` signed in with earlier in the scenario. */
  session(userId: string): string {
    const id = this.sessionIds.get(userId);
    if (id === undefined) throw new Error(`the scenario has not signed ${userId} in yet`);
    return id;
  }

  /** Before a burst that a rule counts in a window: starts it clear of the window's end. */
  async freshWindow(): Promise<void> {
    this.waitedMs += await clearOfWindowEdge(BURST_MARGIN_MS);
  }
}
