// Account lockout: N failed sign-ins for one user name within a window lock it for a while. Kept
// per user name as typed, known or not, so a lock tells nobody whether an account exists.

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
  failures: number[];
  lockedUntil: number;
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
    const failures = entry.failures.length;
    if (failures < this.maxFailures) return { failures };
    entry.failures = [];
    entry.lockedUntil = now + this.lockMs;
    return { failures, lockedUntil: entry.lockedUntil };
  }

  recordSuccess(userId: string): void {
    this.entries.delete(userId);
  }

  private track(userId: string): Entry {
    if (this.entries.size >= this.maxTracked) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    const entry: Entry = { failures: [], lockedUntil: 0 };
    this.entries.set(userId, entry);
    return entry;
  }
}

function positive(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 1)
    throw new RangeError(`lockout.${option} must be ≥ 1, got ${value}`);
  return value;
}
