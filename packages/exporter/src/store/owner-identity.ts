// Who an owner is, and how to tell whether one is gone. An owner is one open store: a random
// token plus where it runs. Tokens of the stores open in this process are kept in a registry on
// `globalThis`, so two copies of this package in one process agree on which owners are alive.

import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';

/** Where an owner runs; recorded with its row, compared by `isEnded`. */
export interface OwnerPlace {
  readonly pid: number;
  readonly host: string;
  /** The pid namespace (`/proc/self/ns/pid`): pids of another namespace say nothing here. */
  readonly pidScope: string;
  /** The thread that opened the store: the registry of one thread knows only its own owners. */
  readonly thread: number;
  /** When this process started, ms since the epoch: a new process with a reused pid differs. */
  readonly processStart: number;
}

export interface OwnerIdentity extends OwnerPlace {
  readonly token: string;
  /** When the token entered the registry, ms since the epoch: the owner's `started`. */
  readonly registeredAt: number;
}

/** An owner row as the liveness check needs it. */
export interface OwnerRecord extends OwnerPlace {
  readonly token: string;
  readonly started: number;
  readonly heartbeat: number;
  readonly ended: number | null;
}

/** The tokens alive in this thread at `at` (read after `at`, so a later one started after it). */
export interface LiveSnapshot {
  readonly at: number;
  readonly tokens: readonly string[];
}

/** The observer: this thread's place, the tokens alive in it, the clock and the stale limit. */
export interface LivenessView extends OwnerPlace {
  readonly live: LiveSnapshot;
  readonly now: number;
  readonly staleMs: number;
}

const REGISTRY = Symbol.for('otel-sentinel.store.live-owners');
/** Two readings of one process's start differ by clock adjustments only; a restart by more. */
const SAME_PROCESS_TOLERANCE_MS = 2000;

function registry(): Set<string> {
  const holder = globalThis as Record<symbol, unknown>;
  const known = holder[REGISTRY];
  if (known instanceof Set) return known as Set<string>;
  const created = new Set<string>();
  holder[REGISTRY] = created;
  return created;
}

let place: OwnerPlace | undefined;

/** This thread's place; computed once (the pid scope is a syscall). */
export function currentPlace(): OwnerPlace {
  place ??= {
    pid: process.pid,
    host: hostname(),
    pidScope: pidScope(),
    thread: threadId,
    processStart: Math.round(Date.now() - process.uptime() * 1000),
  };
  return place;
}

/** A new owner of this thread, registered as alive until `releaseOwner`. */
export function newOwner(): OwnerIdentity {
  const token = randomBytes(16).toString('hex');
  const registeredAt = Date.now();
  registry().add(token);
  return { token, registeredAt, ...currentPlace() };
}

export function releaseOwner(token: string): void {
  registry().delete(token);
}

/** The tokens alive now. The time is read first: a token added meanwhile has a later `started`. */
export function liveSnapshot(): LiveSnapshot {
  const at = Date.now();
  return { at, tokens: [...registry()] };
}

/**
 * True when the owner is gone: it ended cleanly; or it ran on this host, in this pid namespace,
 * and its process is gone (no such pid, or a later process reusing the pid), or it is an owner of
 * this very thread that this thread no longer held when the snapshot was taken (one registered
 * since is alive: the snapshot may be older than the row); or its heartbeat is older than the
 * stale limit (other hosts, and the cases above that cannot be told otherwise).
 */
export function isEnded(owner: OwnerRecord, view: LivenessView): boolean {
  if (owner.ended !== null) return true;
  if (owner.host === view.host && owner.pidScope === view.pidScope) {
    if (owner.pid !== view.pid) {
      if (!pidAlive(owner.pid)) return true;
    } else if (Math.abs(owner.processStart - view.processStart) > SAME_PROCESS_TOLERANCE_MS) {
      return true; // a container restarted with the same pid
    } else if (
      owner.thread === view.thread &&
      owner.started < view.live.at &&
      !view.live.tokens.includes(owner.token)
    ) {
      return true;
    }
  }
  return view.now - owner.heartbeat > view.staleMs;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists and belongs to someone else.
    return (error as { code?: unknown }).code !== 'ESRCH';
  }
}

function pidScope(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    // Not Linux: no pid namespaces to tell apart; the host name alone decides.
    return '';
  }
}
