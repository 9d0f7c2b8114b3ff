// Account lockout: N failed sign-ins for one user name within a window lock it for a while, until
// the lock runs out or an admin lifts it. Kept per user name as typed, known or not, so a lock tells
// nobody whether an account exists. It also counts the failures since the last success, which a
// successful sign-in reports (authn_login_successafterfail).

export interface LockoutOptions {
  /** Failures within `windowMs` that lock the account. Default 3. */
  readonly maxFailures?: number;
  /** The window failures are counted in. Default 15 minutes. */
  readonly windowMs?: number;
  /** How long a lock lasts. Default 15 minutes. */
  readonly lockMs?: number;
  /** Most user names tracked at once; the oldest is forgotten past it. Default 10000. */
  readonly maxTracked?: number;
}

interface Entry {
  /** Failure times within the current window. */
  failures: number[];
  lockedUntil: number;
  /** Failures since the last successful sign-in, across windows and locks. */
  sinceSuccess: number;
}

/** What one more failure did. */
export interface FailureOutcome {
  /** Failures in the current window, this one included. */
  readonly failures: number;
  /** When the account is now locked until (ms since the epoch), if this failure locked it. */
  readonly lockedUntil?: number;
}

export class Lockout {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
  private readonly maxTracked: number;
  private readonly entries = new Map<string, Entry>();

  constructor(options: LockoutOptions = {}) {
    this.maxFailures = positive('maxFailures', options.maxFailures ?? 3);
    this.windowMs = positive('windowMs', options.windowMs ?? 15 * 60_000);
    this.lockMs = positive('lockMs', options.lockMs ?? 15 * 60_000);
    this.maxTracked = positive('maxTracked', options.maxTracked ?? 10_000);
  }

  /** Until when the user name is locked (ms since the epoch), or `undefined` when it is not. */
  lockedUntil(userId: string, now: number): number | undefined {
    const entry = this.entries.get(userId);
    return entry !== undefined && entry.lockedUntil > now ? entry.lockedUntil : undefined;
  }

  recordFailure(userId: string, now: number): FailureOutcome {
    const entry = this.entries.get(userId) ?? this.track(userId);
    entry.failures = entry.failures.filter((t) => now - t < this.windowMs);
    entry.failures.push(now);
    entry.sinceSuccess++;
    const failures = entry.failures.length;
    if (failures < this.maxFailures) return { failures };
    entry.failures = [];
    entry.lockedUntil = now + this.lockMs;
    return { failures, lockedUntil: entry.lockedUntil };
  }

  /** Counts a sign-in refused because the account is locked: a failure, though not one that extends the lock. */
  recordRefused(userId: string): void {
    const entry = this.entries.get(userId);
    if (entry !== undefined) entry.sinceSuccess++;
  }

  /** Forgets the user name's failures; returns how many there were since the last success. */
  recordSuccess(userId: string): number {
    const retries = this.entries.get(userId)?.sinceSuccess ?? 0;
    this.entries.delete(userId);
    return retries;
  }

  /** Lifts a lock (an admin's decision) and starts a new window; returns whether it was locked. */
  unlock(userId: string, now: number): boolean {
    const entry = this.entries.get(userId);
    if (entry === undefined) return false;
    const wasLocked = entry.lockedUntil > now;
    entry.lockedUntil = 0;
    entry.failures = [];
    return wasLocked;
  }

  private track(userId: string): Entry {
    if (this.entries.size >= this.maxTracked) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    const entry: Entry = { failures: [], lockedUntil: 0, sinceSuccess: 0 };
    this.entries.set(userId, entry);
    return entry;
  }
}

function positive(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 1)
    throw new RangeError(`lockout.${option} must be ≥ 1, got ${value}`);
  return value;
}
