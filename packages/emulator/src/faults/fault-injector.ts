// Fault injection for tests: rules that make the next N ingestion requests, or a fraction of
// them, fail with a throttle, a 5xx, a reset connection, or a delay.

import type { FaultRule } from '../model.js';
import { checkFaultRule, DEFAULT_DELAY_MS, DEFAULT_RETRY_AFTER_SECONDS } from './fault-rule.js';

interface ActiveRule {
  /** With defaults filled in: `seconds` for throttle, `delayMs` for delay, `count` unless `rate`. */
  readonly rule: FaultRule;
  /** Faults left; undefined for a rate rule without a count (until cleared). */
  remaining: number | undefined;
}

export interface FaultInjectorOptions {
  /** Draws for `rate` rules, uniform in [0, 1). Default `Math.random`; tests pass a fixed sequence. */
  readonly random?: () => number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private readonly random: () => number;

  constructor(options: FaultInjectorOptions = {}) {
    this.random = options.random ?? Math.random;
  }

  /**
   * Adds a rule after the existing ones. Without `rate` it fires on the next `count` (default 1)
   * matching requests; with `rate` on that fraction of them, `count` times at most if given.
   * Throws `FaultRuleError` for a malformed rule.
   */
  add(rule: FaultRule): void {
    const checked = checkFaultRule(rule);
    const filled: FaultRule = {
      ...checked,
      ...(checked.rate === undefined && checked.count === undefined ? { count: 1 } : {}),
      ...(checked.kind === 'throttle' && checked.seconds === undefined
        ? { seconds: DEFAULT_RETRY_AFTER_SECONDS }
        : {}),
      ...(checked.kind === 'delay' && checked.delayMs === undefined ? { delayMs: DEFAULT_DELAY_MS } : {}),
    };
    this.rules.push({ rule: filled, remaining: filled.count });
  }

  clear(): void {
    this.rules = [];
  }

  /** The rule to apply to a request for `path` (the first that fires), consuming one of its count. */
  take(path: string): FaultRule | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.pathPrefix !== undefined && !path.startsWith(rule.pathPrefix)) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      if (active.remaining !== undefined) {
        active.remaining--;
        if (active.remaining <= 0) this.rules = this.rules.filter((r) => r !== active);
      }
      return rule;
    }
    return undefined;
  }

  /** The rules still active; `count` is what is left of it. */
  list(): readonly FaultRule[] {
    return this.rules.map(({ rule, remaining }) =>
      remaining === undefined ? rule : { ...rule, count: remaining },
    );
  }
}
