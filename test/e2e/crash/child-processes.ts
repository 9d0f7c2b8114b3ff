// The processes a crash run starts (emulator, app, gateway, replay), each a separate OS process
// with its output captured, and one registry that kills whatever is still running at cleanup,
// whether the test passed or not.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How long a wait for a process may take before the run fails as hung (not a performance bound). */
export const HANG_MS = 90_000;

export class Child {
  readonly exited: Promise<Exit>;
  private out = '';
  private err = '';
  private exit: Exit | undefined;
  private readonly watchers = new Set<() => void>();

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    process.stdout?.on('data', (c: Buffer) => {
      this.out += c.toString();
      this.notify();
    });
    process.stderr?.on('data', (c: Buffer) => {
      this.err += c.toString();
      this.notify();
    });
    // 'close' comes after the pipes are drained: what the process wrote before it died is all here.
    this.exited = new Promise<Exit>((resolve) => {
      process.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  stdout(): string {
    return this.out;
  }

  stderr(): string {
    return this.err;
  }

  /** Resolves with the first match of `pattern` in stdout (or stderr); rejects if the process ends first. */
  waitFor(
    pattern: RegExp,
    where: 'stdout' | 'stderr' = 'stdout',
    timeoutMs = HANG_MS,
  ): Promise<RegExpExecArray> {
    return this.until(
      () => pattern.exec(where === 'stdout' ? this.out : this.err) ?? undefined,
      `${pattern.source} in ${where}`,
      timeoutMs,
    );
  }

  /** Resolves with `test()`'s first defined answer, checked whenever the process writes. */
  until<T>(test: () => T | undefined, what: string, timeoutMs = HANG_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const found = test();
        if (found !== undefined) {
          finish();
          resolve(found);
        } else if (this.exit !== undefined) {
          finish();
          reject(new Error(`${this.name} ended (${describeExit(this.exit)}) before ${what}\n${this.tail()}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms (hung?)\n${this.tail()}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.watchers.delete(check);
      };
      this.watchers.add(check);
      check();
    });
  }

  /** SIGKILL (or `signal`) and wait until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> {
    if (this.exit === undefined) this.process.kill(signal);
    return this.exited;
  }

  /** Waits for the end, failing as hung after `timeoutMs`. */
  async ended(timeoutMs = HANG_MS): Promise<Exit> {
    await this.until(() => this.exit, 'its exit', timeoutMs);
    return this.exited;
  }

  /** The last lines of both outputs, for failure messages. */
  tail(lines = 30): string {
    const last = (s: string): string => s.split('\n').slice(-lines).join('\n');
    return `--- ${this.name} stdout ---\n${last(this.out)}\n--- ${this.name} stderr ---\n${last(this.err)}`;
  }

  private notify(): void {
    for (const w of [...this.watchers]) w();
  }
}

export function describeExit(exit: Exit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `code ${String(exit.code)}`;
}

/** Every process a test started; `killAll()` in afterEach. */
export class ProcessRegistry {
  private readonly children = new Set<Child>();

  spawn(name: string, args: readonly string[], env: Record<string, string>, cwd: string): Child {
    const child = new Child(
      name,
      spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    this.children.add(child);
    void child.exited.then(() => this.children.delete(child));
    return child;
  }

  async killAll(): Promise<void> {
    const running = [...this.children];
    for (const c of running) if (c.running) c.process.kill('SIGKILL');
    await Promise.all(running.map((c) => c.exited));
  }
}

/** The environment of a child: PATH and HOME only, plus `extra` (no variable of the test runner leaks in). */
export function childEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NO_COLOR: '1',
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}
