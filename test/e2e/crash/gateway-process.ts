// `otel-sentinel gateway` as its own process, on a port that stays the same across kills and
// restarts (so its clients keep their URL), with its readiness and queue gauges read over HTTP.
import { BIN, ROOT } from '../cli.js';
import { childEnv, HANG_MS } from './child-processes.js';
import type { Child, ProcessRegistry } from './child-processes.js';
import type { EmulatorProcess } from './emulator-process.js';

export interface GatewaySettings {
  readonly mapping: string;
  readonly spoolDir: string;
  readonly upstream: string;
  readonly durability: 'disk' | 'memory';
  readonly emulator: EmulatorProcess;
}

export class GatewayProcess {
  private port = 0;
  private child: Child | undefined;
  /** Every process started, in order (their output is the run's log). */
  readonly started: Child[] = [];

  constructor(
    private readonly registry: ProcessRegistry,
    private readonly settings: GatewaySettings,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get current(): Child | undefined {
    return this.child;
  }

  /** Starts it (again, on the same port and spool directory) and waits until it listens. */
  async start(): Promise<Child> {
    const child = this.launch();
    const m = await child.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
    this.port = Number(m[1]);
    return child;
  }

  /** Starts it without waiting: it may be killed while it takes over what the last one left. */
  launch(): Child {
    const s = this.settings;
    const child = this.registry.spawn(
      'gateway',
      [
        BIN,
        'gateway',
        '--mapping',
        s.mapping,
        '--spool-dir',
        s.spoolDir,
        '--durability',
        s.durability,
        '--upstream',
        s.upstream,
        '--port',
        String(this.port),
      ],
      // Batches every 200 ms keep a run short; the credential and CA come from the emulator's variables.
      childEnv({ ...s.emulator.env(), OTEL_SENTINEL_SCHEDULED_DELAY: '200' }),
      ROOT,
    );
    this.child = child;
    this.started.push(child);
    return child;
  }

  async kill(): Promise<void> {
    await this.child?.kill('SIGKILL');
  }

  /** Polls /readyz until it answers 200 (the earlier run's backlog sent, a token had). */
  async ready(timeoutMs = HANG_MS): Promise<void> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      if (this.child?.running !== true)
        throw new Error(`the gateway ended while waiting for /readyz\n${this.tail()}`);
      try {
        const r = await fetch(`${this.url}/readyz`);
        last = await r.text();
        if (r.status === 200) return;
      } catch (error) {
        last = String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`/readyz did not answer 200 within ${timeoutMs} ms (hung?): ${last}\n${this.tail()}`);
  }

  /** Waits until nothing is held: no security row, no operational record, nothing left to resume. */
  async drained(timeoutMs = HANG_MS): Promise<void> {
    const until = Date.now() + timeoutMs;
    let gauges: Record<string, number> = {};
    while (Date.now() < until) {
      gauges = await this.gauges();
      if (gauges.security_queue_records === 0 && gauges.upstream_queue_records === 0 && gauges.ready === 1)
        return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(
      `the gateway did not drain within ${timeoutMs} ms (hung?): ${JSON.stringify(gauges)}\n${this.tail()}`,
    );
  }

  /** The unlabelled `otel_sentinel_gateway_*` gauges and counters of /metrics. */
  async gauges(): Promise<Record<string, number>> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const out: Record<string, number> = {};
    for (const m of text.matchAll(/^otel_sentinel_gateway_(\w+) (\S+)$/gm))
      if (m[1] !== undefined) out[m[1]] = Number(m[2]);
    return out;
  }

  /** Operational records it counted as dropped, by reason (from /metrics). */
  async dropped(): Promise<Record<string, number>> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const out: Record<string, number> = {};
    for (const m of text.matchAll(
      /^otel_sentinel_gateway_upstream_records_dropped_total\{reason="([^"]+)"\} (\S+)$/gm,
    ))
      if (m[1] !== undefined) out[m[1]] = Number(m[2]);
    return out;
  }

  /** SIGTERM: it drains and stops; resolves with its exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (child === undefined) return null;
    child.process.kill('SIGTERM');
    return (await child.ended()).code;
  }

  tail(): string {
    return this.child?.tail() ?? '';
  }
}
