// `otel-sentinel replay <spool-dir>` as an operator runs it after a crash, with the emulator's
// credential in AZURE_* and its CA in NODE_EXTRA_CA_CERTS.
import { BIN, ROOT } from '../cli.js';
import { childEnv } from './child-processes.js';
import type { ProcessRegistry } from './child-processes.js';
import type { EmulatorProcess } from './emulator-process.js';

export interface ReplayRun {
  readonly code: number | null;
  /** "delivered and removed" of its summary. */
  readonly delivered: number;
  readonly output: string;
}

/** Runs replay to its end; with `killAfterMs`, SIGKILLs it then (a crash during replay) instead. */
export async function replay(
  registry: ProcessRegistry,
  spoolDir: string,
  emulator: EmulatorProcess,
  killAfterMs?: number,
): Promise<ReplayRun> {
  const child = registry.spawn('replay', [BIN, 'replay', spoolDir], childEnv(emulator.env()), ROOT);
  if (killAfterMs !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    await child.kill('SIGKILL');
  }
  const exit = await child.ended();
  const output = `${child.stdout()}${child.stderr()}`;
  const delivered = /delivered and removed\s+(\d+)/.exec(output)?.[1];
  return { code: exit.code, delivered: delivered === undefined ? 0 : Number(delivered), output };
}
