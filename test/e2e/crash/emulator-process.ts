// The emulator as a separate process (`otel-sentinel emulator`), so a run can kill it and start it
// again on the same port and data directory: its rows, CA and token key survive. Fault rules go
// through its admin endpoint; rows are read back through the real Log Analytics query client.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import { BIN, ROOT } from '../cli.js';
import { childEnv } from './child-processes.js';
import type { Child, ProcessRegistry } from './child-processes.js';

/** A fault rule as `POST /admin/faults` takes it (packages/emulator/docs/ingestion.md). */
export interface FaultRule {
  readonly kind: 'throttle' | 'throttle-no-retry-after' | 'error-500' | 'error-503' | 'reset' | 'delay';
  readonly count?: number;
  readonly rate?: number;
  readonly seconds?: number;
  readonly delayMs?: number;
}

export type Cell = string | number | boolean | null;

export class EmulatorProcess {
  private child: Child | undefined;
  private port = 0;
  private vars: Record<string, string> = {};
  private query: LogsQueryClient | undefined;
  /** Fault rules added: the emulator keeps them in memory, so a restart adds them again. */
  private faults: FaultRule[] = [];
  /** Times it was killed and started again. */
  restarts = 0;

  private constructor(
    private readonly registry: ProcessRegistry,
    readonly dataDir: string,
    readonly mapping: string,
  ) {}

  static async start(registry: ProcessRegistry, dataDir: string, mapping: string): Promise<EmulatorProcess> {
    const e = new EmulatorProcess(registry, dataDir, mapping);
    await e.launch();
    return e;
  }

  get origin(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get caPath(): string {
    return join(this.dataDir, 'tls', 'ca.pem');
  }

  /** What the emulator prints for clients: AZURE_*, SENTINEL_*, NODE_EXTRA_CA_CERTS. */
  env(): Record<string, string> {
    return { ...this.vars };
  }

  get running(): boolean {
    return this.child?.running === true;
  }

  /** SIGKILL: rows it answered 204 for must survive (SQLite WAL). */
  async kill(): Promise<void> {
    await this.child?.kill('SIGKILL');
  }

  /** Kills it and starts it again on the same port and data directory. */
  async restart(): Promise<void> {
    await this.kill();
    this.restarts++;
    await this.launch();
  }

  /** Starts it again after `kill()`. */
  async launch(): Promise<void> {
    const child = this.registry.spawn(
      'emulator',
      [
        BIN,
        'emulator',
        '--data',
        this.dataDir,
        '--port',
        String(this.port),
        '--mapping',
        this.mapping,
        '--strict',
      ],
      childEnv({}),
      ROOT,
    );
    this.child = child;
    const m = await child.waitFor(/listening on https:\/\/127\.0\.0\.1:(\d+)/);
    // The env lines come in the same write as the listening line, or just after it.
    await child.waitFor(/export SENTINEL_DCR_IMMUTABLE_ID=\S+\n/);
    this.port = Number(m[1]);
    this.vars = {};
    for (const line of child.stdout().split('\n')) {
      const v = /^export (\w+)=(.*)$/.exec(line);
      if (v?.[1] !== undefined && v[2] !== undefined) this.vars[v[1]] = v[2];
    }
    if (this.faults.length > 0) await this.postFaults(this.faults);
  }

  /** Adds fault rules (they fire in order, before any other check). */
  async addFaults(rules: readonly FaultRule[]): Promise<void> {
    this.faults.push(...rules);
    await this.postFaults(rules);
  }

  async clearFaults(): Promise<void> {
    this.faults = [];
    const r = await this.admin('DELETE', '/admin/faults');
    if (r.status !== 204) throw new Error(`DELETE /admin/faults answered ${r.status}: ${r.body}`);
  }

  /** Runs KQL through `LogsQueryClient` (the query API over TLS, with an Entra token). */
  async kql(query: string): Promise<{ columns: string[]; rows: Cell[][] }> {
    this.query ??= this.queryClient();
    const result = await this.query.queryWorkspace(this.vars.OTEL_SENTINEL_WORKSPACE_ID ?? '', query, {
      duration: 'P7D',
    });
    if (result.status !== LogsQueryResultStatus.Success)
      throw new Error(`query failed: ${query}\n${JSON.stringify(result)}`);
    const table = result.tables[0];
    if (table === undefined) throw new Error(`query returned no table: ${query}`);
    return { columns: table.columnDescriptors.map((c) => c.name), rows: table.rows as Cell[][] };
  }

  private async postFaults(rules: readonly FaultRule[]): Promise<void> {
    const r = await this.admin('POST', '/admin/faults', JSON.stringify(rules));
    if (r.status !== 201) throw new Error(`POST /admin/faults answered ${r.status}: ${r.body}`);
  }

  private queryClient(): LogsQueryClient {
    const ca = readFileSync(this.caPath, 'utf8');
    const credential = new ClientSecretCredential(
      this.vars.AZURE_TENANT_ID ?? '',
      this.vars.AZURE_CLIENT_ID ?? '',
      this.vars.AZURE_CLIENT_SECRET ?? '',
      { authorityHost: this.origin, disableInstanceDiscovery: true, tlsOptions: { ca } },
    );
    return new LogsQueryClient(credential, { endpoint: `${this.origin}/v1`, tlsOptions: { ca } });
  }

  private admin(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
    const ca = readFileSync(this.caPath, 'utf8');
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.origin}${path}`,
        { method, ca, headers: body !== undefined ? { 'content-type': 'application/json' } : {} },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: text });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
