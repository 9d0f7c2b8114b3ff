// An OTLP/HTTP client of the gateway, as an app or a Collector is: requests of security and
// operational records, each with a unique seq, encoded by OpenTelemetry's own protobuf
// serializer; a request that gets no 200 (503, a refused or cut connection while the gateway is
// dead) is sent again, unchanged, until it does. It records exactly which seqs were answered 200.
import { request } from 'node:http';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

export interface SenderOptions {
  /** The gateway's base URL, read at every attempt (it may move between runs). */
  readonly url: () => string;
  /** Records per request. */
  readonly batch: number;
  /** Share of security records in a request. */
  readonly securityShare: number;
  /** Requests in flight at once (one loop each). */
  readonly concurrency: number;
  /** Draws the record kinds. */
  readonly random: () => number;
}

export type Outcome = { readonly status: number; readonly rejected: number } | { readonly error: string };

/** Time between attempts of a request that got no 200 (an OTLP client backs off similarly). */
const RETRY_MS = 100;
/** Pause between requests of one loop: a steady load the 2-core test machine sustains beside the rest. */
const PACE_MS = 10;

export class OtlpSender {
  /** Seqs of security / operational records answered 200. */
  readonly ackedSecurity = new Set<number>();
  readonly ackedOperational = new Set<number>();
  /** Every seq put in a request. */
  readonly sentSecurity = new Set<number>();
  readonly sentOperational = new Set<number>();
  /** Answers by status (`error` when there was none). */
  readonly answers = new Map<string, number>();
  /** Records the gateway said it rejected (partialSuccess). */
  rejected = 0;
  private seq = 0;
  private stopping = false;
  private abandoned = false;
  private loops: Promise<void>[] = [];
  /** The records emitted for the request being built (the SDK's own records, as an exporter gets them). */
  private emitted: ReadWriteLogRecord[] = [];
  private readonly provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'crash-harness-client' }),
    processors: [
      {
        onEmit: (record: ReadWriteLogRecord) => {
          this.emitted.push(record);
        },
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  private readonly logger = this.provider.getLogger('crash-harness');

  constructor(private readonly options: SenderOptions) {}

  get acked(): number {
    return this.ackedSecurity.size + this.ackedOperational.size;
  }

  start(): void {
    this.stopping = false;
    this.loops = Array.from({ length: this.options.concurrency }, () => this.loop());
  }

  /**
   * Sends no new request; resolves once every request sent so far got its 200. Fails as hung when
   * that takes longer than `timeoutMs`.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new Error(
            `requests still without a 200 after ${timeoutMs} ms (hung?): ${JSON.stringify(Object.fromEntries(this.answers))}`,
          ),
        );
      }, timeoutMs);
    });
    try {
      await Promise.race([Promise.all(this.loops), hung]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Gives up: the loops end at their next attempt, acknowledged or not (a failed run's cleanup). */
  abandon(): void {
    this.stopping = true;
    this.abandoned = true;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const { body, security, operational } = this.next();
      while (!this.abandoned) {
        const outcome = await post(this.options.url(), body);
        const key = 'status' in outcome ? String(outcome.status) : 'error';
        this.answers.set(key, (this.answers.get(key) ?? 0) + 1);
        if ('status' in outcome && outcome.status === 200) {
          this.rejected += outcome.rejected;
          for (const s of security) this.ackedSecurity.add(s);
          for (const s of operational) this.ackedOperational.add(s);
          await sleep(PACE_MS);
          break;
        }
        if ('status' in outcome && outcome.status !== 503)
          throw new Error(`the gateway answered ${outcome.status}; only 200 and 503 are expected here`);
        await sleep(RETRY_MS);
      }
    }
  }

  /** One request's body: `batch` records, each security or operational at random. */
  private next(): { body: Uint8Array; security: number[]; operational: number[] } {
    const security: number[] = [];
    const operational: number[] = [];
    for (let i = 0; i < this.options.batch; i++) {
      const seq = ++this.seq;
      if (this.options.random() < this.options.securityShare) {
        security.push(seq);
        this.sentSecurity.add(seq);
        this.logger.emit({
          eventName: 'crash_probe',
          severityText: 'WARN',
          body: `gateway probe ${seq}`,
          attributes: { 'security.event': true, seq, origin: 'gateway' },
        });
      } else {
        operational.push(seq);
        this.sentOperational.add(seq);
        this.logger.emit({ body: `op-seq:${seq};`, attributes: { seq } });
      }
    }
    const records = this.emitted;
    this.emitted = [];
    const body = ProtobufLogsSerializer.serializeRequest(records);
    if (body === undefined) throw new Error('the OTLP serializer produced no body');
    return { body, security, operational };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One POST /v1/logs; never rejects. */
function post(base: string, body: Uint8Array): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      `${base}/v1/logs`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/x-protobuf' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (error) => {
          resolve({ error: error.message });
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          let rejected = 0;
          if (status === 200) {
            const answer = ProtobufLogsSerializer.deserializeResponse(Buffer.concat(chunks));
            rejected = answer.partialSuccess?.rejectedLogRecords ?? 0;
          }
          resolve({ status, rejected });
        });
      },
    );
    req.on('error', (error) => {
      resolve({ error: error.message });
    });
    req.end(body);
  });
}
