// An emulator serving its console (in memory, on a free port, in a temporary data directory) and
// headless Chromium trusting its certificate: what a browser test of the console starts, and closes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@otel-sentinel/emulator';
import type { EmulatorOptions, RunningEmulator } from '@otel-sentinel/emulator';
import { launchTrusting } from './browser.js';
import type { HeadlessBrowser } from './browser.js';

export interface ConsoleSession {
  readonly emulator: RunningEmulator;
  readonly browser: HeadlessBrowser;
  /** `https://127.0.0.1:<port>/console/`. */
  readonly url: string;
  /** Closes the browser, then the emulator, and removes the data directory. */
  close(): Promise<void>;
}

/** Starts the emulator with `options` and `console: true`, then Chromium trusting it. */
export async function openConsole(options: EmulatorOptions = {}): Promise<ConsoleSession> {
  const dataDir = mkdtempSync(join(tmpdir(), 'console-emulator-'));
  let emulator: RunningEmulator | undefined;
  try {
    emulator = await startEmulator({ ...options, port: 0, inMemory: true, dataDir, console: true });
    const browser = await launchTrusting(emulator.origin, emulator.caCertPem);
    const running = emulator;
    return {
      emulator: running,
      browser,
      url: `${running.origin}/console/`,
      close: async () => {
        try {
          await browser.close();
        } finally {
          await running.close();
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await emulator?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
