// Process-level hooks so that a process ending without a clean shutdown does not take the
// security rows held in memory with it. One set of listeners serves every pipeline:
// - `beforeExit` (the event loop ran dry, e.g. a script that logged and returned): send what is
//   held, once more for as long as that makes progress;
// - `exit` (process.exit(), an uncaught exception, the end of the loop): write what is still held
//   to the write-ahead queue, synchronously — the next start or `otel-sentinel replay` sends it;
// - SIGTERM, SIGINT, SIGHUP when the app has no listener of its own: the same write, then the
//   signal is raised again so the process ends exactly as it would have without us. When the app
//   listens itself, it owns the ending (it will shut us down or exit, and `exit` covers that).
// Only SIGKILL, an OOM kill or a power cut skip all of this; `durability: 'disk'` covers those.

export interface ExitParticipant {
  /** Synchronous: writes what is held in memory to the store. Must never throw. */
  saveOnExit(): void;
  /** The loop ran dry with rows still held: send them (keeping the loop alive), or do nothing. */
  onBeforeExit(): void;
}

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
type ExitSignal = (typeof SIGNALS)[number];

const participants = new Set<ExitParticipant>();
let installed = false;

function saveAll(): void {
  for (const p of participants) {
    try {
      p.saveOnExit();
    } catch {
      // saveOnExit never throws by contract; this keeps one broken participant from stopping the rest.
    }
  }
}

function onExit(): void {
  saveAll();
}

function onBeforeExit(): void {
  for (const p of participants) p.onBeforeExit();
}

function onSignal(signal: ExitSignal): void {
  // The app listens too: it decides how the process ends, and the `exit` hook covers the end.
  if (process.listenerCount(signal) > 1) return;
  saveAll();
  uninstall();
  // Nothing listens any more: the default action ends the process as if we had never listened.
  process.kill(process.pid, signal);
}

const signalListeners = new Map<ExitSignal, () => void>(
  SIGNALS.map((signal) => [
    signal,
    () => {
      onSignal(signal);
    },
  ]),
);

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  process.on('beforeExit', onBeforeExit);
  for (const [signal, listener] of signalListeners) process.on(signal, listener);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  process.off('beforeExit', onBeforeExit);
  for (const [signal, listener] of signalListeners) process.off(signal, listener);
}

/** Registers a participant (installing the listeners with the first); returns its removal. */
export function registerExitParticipant(participant: ExitParticipant): () => void {
  participants.add(participant);
  install();
  return () => {
    participants.delete(participant);
    if (participants.size === 0) uninstall();
  };
}
