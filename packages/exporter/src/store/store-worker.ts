// The store's worker thread: every request that arrived while the last group was being committed
// (or in the same turn) is answered by one group, so concurrent callers share one fsync. Also
// writes the owner's heartbeat on its own timer, so a busy app thread never makes it look dead,
// and gives back the space of delivered rows.

import { parentPort, workerData } from 'node:worker_threads';
import { RequestHandler } from './store-requests.ts';
import type { Envelope, WorkerAnswer, WorkerSetup } from './worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('store-worker runs as a worker thread of SqliteDeliveryStore');

const setup = workerData as WorkerSetup;
const handler = new RequestHandler(setup);
let pending: Envelope[] = [];
let scheduled = false;
/** How often a change of the records held in memory only is looked for. */
const HELD_CHECK_MS = 250;
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

// The heartbeat is written every `heartbeatMs`, and sooner when the count of records held in
// memory only has changed: after a crash, the next start reports what was lost from this figure.
// Each heartbeat also looks after the file: when it is mostly free pages that the last minute did
// not need (the queue was delivered), they are given back a bounded step per tick.
const held = new BigInt64Array(setup.held);
let lastHeld = 0n;
let lastBeat = Date.now();
const heartbeat = setInterval(
  () => {
    if (!handler.open) return;
    const now = Date.now();
    const count = Atomics.load(held, 0);
    const due = now - lastBeat >= setup.heartbeatMs;
    if (due || handler.shrinking) take([{ id: --internal, request: { op: 'maintain', heartbeat: due } }]);
    if (count === lastHeld && !due) return;
    lastHeld = count;
    lastBeat = now;
    take([{ id: --internal, request: { op: 'heartbeat' } }]);
  },
  Math.min(setup.heartbeatMs, HELD_CHECK_MS),
);
