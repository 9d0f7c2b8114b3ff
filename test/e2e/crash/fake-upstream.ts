// The gateway's upstream: an OTLP/HTTP receiver in the test process that records which
// operational seqs it accepted, and that can have an outage on demand: answer 503 with
// Retry-After (`unavailable`), or stop listening altogether (`down`), then come back on the
// same port.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type UpstreamMode = 'up' | 'unavailable' | 'down';

/** Operational records carry `op-seq:<n>;` in their body: forwarded byte for byte, so it can be found in any body. */
const OP_SEQ = /op-seq:(\d+);/g;

export class FakeUpstream {
  /** Copies of each operational seq in bodies answered 200. */
  readonly accepted = new Map<number, number>();
  requests = 0;
  private mode: UpstreamMode = 'up';
  private port = 0;
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get state(): UpstreamMode {
    return this.mode;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests++;
        if (this.mode !== 'up') {
          res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/x-protobuf' }).end();
          return;
        }
        for (const m of Buffer.concat(chunks).toString('latin1').matchAll(OP_SEQ)) {
          const seq = Number(m[1]);
          this.accepted.set(seq, (this.accepted.get(seq) ?? 0) + 1);
        }
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** `up`, `unavailable` (503 + Retry-After: 1) or `down` (not listening: connections refused). */
  async set(mode: UpstreamMode): Promise<void> {
    if (mode === this.mode) return;
    const wasDown = this.mode === 'down';
    this.mode = mode;
    if (mode === 'down') await this.stop();
    else if (wasDown) await this.start();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }
}
