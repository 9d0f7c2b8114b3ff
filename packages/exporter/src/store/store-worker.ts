// The store's worker thread: every request that arrived while the last group was being committed
// (or in the same turn) is answered by one group, so concurrent callers share one fsync. Also
// writes the owner's heartbeat on its own timer, so a busy app thread never makes it look dead.

import { parentPort, workerData } from 'node:worker_threads';
import { RequestHandler } from './store-requests.ts';
import type { Envelope, WorkerAnswer, WorkerSetup } from './worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('store-worker runs as a worker thread of SqliteDeliveryStore');

const setup = workerData as WorkerSetup;
const handler = new RequestHandler(setup);
let pending: Envelope[] = [];
let scheduled = false;
/** Internal request ids are negative: their answers are not sent. */
let internal = 0;

function answer(): void {
  scheduled = false;
  const group = pending;
  pending = [];
  const closing = group.some((e) => e.request.op === 'close');
  const replies = handler.handle(group).filter(([id]) => id >= 0);
  const message: WorkerAnswer = { replies, stats: handler.stats() };
  port?.postMessage(message);
  if (closing) {
    clearInterval(heartbeat);
    port?.close();
  }
}

function take(envelopes: readonly Envelope[]): void {
  pending.push(...envelopes);
  if (scheduled) return;
  scheduled = true;
  // After the messages already queued are taken in: they all join this group.
  setImmediate(answer);
}

port.on('message', (envelopes: readonly Envelope[]) => {
  take(envelopes);
});

const heartbeat = setInterval(() => {
  if (handler.open) take([{ id: --internal, request: { op: 'heartbeat' } }]);
}, setup.heartbeatMs);
