// The calling thread's end of the store's worker: requests made in one turn go in one message,
// each answer settles its request. The worker keeps the process alive only while a request is
// waiting for its answer (so an awaited write is never cut off), never while idle.

import { Worker } from 'node:worker_threads';
import type {
  Envelope,
  StoreReply,
  StoreRequest,
  WorkerAnswer,
  WorkerSetup,
  WorkerStats,
} from './worker-protocol.ts';

// Beside this module: `store-worker.js` in dist; `store-worker.ts` when the sources run as they
// are (vitest, or Node stripping types), where this module's own URL ends in `.ts`.
const WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './store-worker.ts' : './store-worker.js',
  import.meta.url,
);

export class WorkerClient {
  readonly #setup: WorkerSetup;
  readonly #onStats: (stats: WorkerStats) => void;
  readonly #waiting = new Map<number, (reply: StoreReply) => void>();
  #worker: Worker | undefined;
  #outbox: Envelope[] = [];
  #nextId = 0;
  /** Why the worker is gone, once it is: every later request gets this. */
  #gone: string | undefined;
  #exited: Promise<void> = Promise.resolve();

  constructor(setup: WorkerSetup, onStats: (stats: WorkerStats) => void) {
    this.#setup = setup;
    this.#onStats = onStats;
  }

  start(): void {
    // No inherited execArgv: a parent started with `-e <script>` or `--eval` would hand that
    // script to the worker in place of the worker file.
    const worker = new Worker(WORKER_URL, { workerData: this.#setup, execArgv: [] });
    this.#worker = worker;
    worker.unref();
    worker.on('message', (answer: WorkerAnswer) => {
      this.#answered(answer);
    });
    worker.on('error', (error: Error) => {
      this.#end(`the store's worker failed: ${error.message}`);
    });
    this.#exited = new Promise((resolve) => {
      worker.once('exit', () => {
        this.#end("the store's worker has ended");
        resolve();
      });
    });
  }

  send(request: StoreRequest): Promise<StoreReply> {
    if (this.#gone !== undefined || this.#worker === undefined) return Promise.resolve(this.#goneReply());
    return new Promise((resolve) => {
      const id = this.#nextId++;
      this.#waiting.set(id, resolve);
      this.#outbox.push({ id, request });
      if (this.#outbox.length === 1)
        queueMicrotask(() => {
          this.#post();
        });
    });
  }

  /**
   * Ends the worker. Called once the `close` request was answered (the database is closed) or
   * when it was never opened, so nothing is cut off; kept alive until the thread has stopped.
   */
  async stop(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    worker.ref();
    await worker.terminate();
    await this.#exited;
    this.#end("the store's worker has ended");
  }

  #post(): void {
    const envelopes = this.#outbox;
    this.#outbox = [];
    if (envelopes.length === 0) return;
    const worker = this.#worker;
    if (worker === undefined || this.#gone !== undefined) {
      for (const e of envelopes) this.#settle(e.id, this.#goneReply());
      return;
    }
    worker.ref();
    worker.postMessage(envelopes);
  }

  #answered(answer: WorkerAnswer): void {
    this.#onStats(answer.stats);
    for (const [id, reply] of answer.replies) this.#settle(id, reply);
  }

  #settle(id: number, reply: StoreReply): void {
    const resolve = this.#waiting.get(id);
    this.#waiting.delete(id);
    if (this.#waiting.size === 0) this.#worker?.unref();
    resolve?.(reply);
  }

  #end(why: string): void {
    this.#gone ??= why;
    for (const id of [...this.#waiting.keys()]) this.#settle(id, this.#goneReply());
  }

  #goneReply(): StoreReply {
    const { path } = this.#setup.config;
    const message = this.#gone ?? 'the store is not open; call open() first';
    return { ok: false, failure: { kind: 'io', operation: 'write to', path, code: undefined, message } };
  }
}
