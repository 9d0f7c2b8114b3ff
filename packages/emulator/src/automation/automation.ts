// Automation: each new incident that matches an automation target is POSTed to its URL, as a
// Sentinel automation rule running a playbook would, with retries (retry-policy.ts); every
// delivery and attempt is kept in the store's log, so it outlives a restart.

import { randomUUID } from 'node:crypto';
import type { Store } from '../model.js';
import type { AutomationClock } from './automation-clock.js';
import { realClock } from './automation-clock.js';
import { AutomationError } from './automation-error.js';
import type { AutomationTarget, ResolvedTarget } from './automation-options.js';
import { resolveTargets, targetMatches } from './automation-options.js';
import type { Delivery, DeliveryAttempt, DeliveryWithPayload } from './delivery.js';
import { parseDelivery, withoutPayload } from './delivery.js';
import type { Detections, IncidentEvent, Severity } from '../detections/detection-types.js';
import { playbookPayload } from './playbook-payload.js';
import type { NextStep } from './retry-policy.js';
import { nextStep, stoppedCause } from './retry-policy.js';
import type { AttemptOutcome } from './send-webhook.js';
import { sendWebhook, trustedCas } from './send-webhook.js';

/** An automation target as the console and `emulator.automation.targets()` show it. */
export interface AutomationTargetSummary {
  /** Its place in the `automation` option. */
  readonly index: number;
  /** Without userinfo and query string. */
  readonly url: string;
  /** Rule ids or names it is limited to; absent for every rule. */
  readonly rules?: readonly string[];
  /** The lowest severity it receives. */
  readonly minSeverity: Severity;
  /** Header names only: values may be secrets. */
  readonly headers: readonly string[];
  /** Attempts per delivery, default filled in. */
  readonly maxAttempts: number;
  /** How long one attempt may take (ms), default filled in. */
  readonly timeoutMs: number;
}

/** The running emulator's automation (`emulator.automation`). */
export interface EmulatorAutomation {
  /** The automation targets, as configured. */
  targets(): AutomationTargetSummary[];
  /** Every delivery, oldest first, with its attempts (without the payload). */
  deliveries(): Delivery[];
  /** One delivery with the payload it posts, or undefined. */
  delivery(id: string): DeliveryWithPayload | undefined;
  /**
   * Sends a finished delivery's payload again, as a new delivery (its `redeliveryOf` names the
   * old one) to the target with the same URL. Throws an AutomationError: `E_UNKNOWN_DELIVERY`,
   * `E_DELIVERY_PENDING`, `E_TARGET_GONE`, `E_AUTOMATION_CLOSED`.
   */
  redeliver(id: string): Delivery;
  /** Resolves when no delivery is pending (at once when none is). */
  whenIdle(): Promise<void>;
}

export interface AutomationDeps {
  readonly targets: readonly ResolvedTarget[];
  readonly store: Store;
  /** The workspace id the payload names (`workspaceId`). */
  readonly workspaceId: string;
  /** CAs HTTPS targets are verified against (send-webhook.ts `trustedCas`). */
  readonly ca: readonly string[];
  readonly clock?: AutomationClock;
  readonly log?: (line: string) => void;
}

export class Automation implements EmulatorAutomation {
  private readonly records = new Map<string, DeliveryWithPayload>();
  private readonly running = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private readonly clock: AutomationClock;
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(private readonly deps: AutomationDeps) {
    this.clock = deps.clock ?? realClock;
    for (const text of deps.store.recordedDeliveries()) {
      const d = parseDelivery(text);
      if (d === undefined) continue;
      // Pending at start-up: the last process ended without close() (killed); say so, once.
      this.records.set(d.id, d);
      if (d.state === 'pending') this.save(this.interrupted(d));
    }
  }

  /** Delivers the incidents `source` raises from now on. */
  listen(source: Pick<Detections, 'onIncident'>): void {
    this.unsubscribe?.();
    this.unsubscribe = source.onIncident((event) => {
      this.onIncident(event);
    });
  }

  targets(): AutomationTargetSummary[] {
    return this.deps.targets.map((t) => ({
      index: t.index,
      url: t.shown,
      ...(t.rules !== undefined ? { rules: t.rules } : {}),
      minSeverity: t.minSeverity,
      headers: Object.keys(t.headers),
      maxAttempts: t.maxAttempts,
      timeoutMs: t.timeoutMs,
    }));
  }

  deliveries(): Delivery[] {
    return [...this.records.values()].map(withoutPayload);
  }

  delivery(id: string): DeliveryWithPayload | undefined {
    return this.records.get(id);
  }

  redeliver(id: string): Delivery {
    const old = this.records.get(id);
    if (old === undefined) throw new AutomationError('E_UNKNOWN_DELIVERY', `no delivery has the id ${id}`);
    if (this.closed)
      throw new AutomationError('E_AUTOMATION_CLOSED', 'the emulator is closing: nothing is sent');
    if (old.state === 'pending') {
      throw new AutomationError(
        'E_DELIVERY_PENDING',
        `delivery ${id} is still pending; redeliver it once it has finished`,
      );
    }
    const target =
      this.deps.targets.find((t) => t.index === old.target && t.shown === old.url) ??
      this.deps.targets.find((t) => t.shown === old.url);
    if (target === undefined) {
      throw new AutomationError(
        'E_TARGET_GONE',
        `no automation target has the URL ${old.url} any more; add it to the emulator's automation to redeliver`,
      );
    }
    const newId = randomUUID();
    const payload = { ...(old.payload as Record<string, unknown>), eventUniqueId: newId };
    const { incidentNumber, ruleId, ruleName, severity } = old;
    const d = this.begin(target, newId, { incidentNumber, ruleId, ruleName, severity }, payload, id);
    return withoutPayload(d);
  }

  async whenIdle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Stops: in-flight attempts are cut, pending deliveries are marked failed with that cause. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.stop.abort();
    await this.whenIdle();
  }

  private onIncident(event: IncidentEvent): void {
    // Sentinel's automation rules trigger on creation here; an alert added later is no new incident.
    if (this.closed || event.change !== 'created') return;
    const { incident } = event;
    for (const target of this.deps.targets) {
      if (!targetMatches(target, incident)) continue;
      const id = randomUUID();
      const { incidentNumber, ruleId, ruleName, severity } = incident;
      const payload = playbookPayload(event, this.deps.workspaceId, id);
      this.begin(target, id, { incidentNumber, ruleId, ruleName, severity }, payload, undefined);
    }
  }

  private begin(
    target: ResolvedTarget,
    id: string,
    about: Pick<Delivery, 'incidentNumber' | 'ruleId' | 'ruleName' | 'severity'>,
    payload: unknown,
    redeliveryOf: string | undefined,
  ): DeliveryWithPayload {
    const d: DeliveryWithPayload = {
      id,
      ...about,
      target: target.index,
      url: target.shown,
      state: 'pending',
      createdAt: new Date(this.clock.now()).toISOString(),
      maxAttempts: target.maxAttempts,
      attempts: [],
      ...(redeliveryOf !== undefined ? { redeliveryOf } : {}),
      payload,
    };
    this.save(d);
    const run = this.attempts(d, target).finally(() => this.running.delete(run));
    this.running.add(run);
    return d;
  }

  private async attempts(first: DeliveryWithPayload, target: ResolvedTarget): Promise<void> {
    const body = JSON.stringify(first.payload);
    let d = first;
    for (let attempt = 1; ; attempt++) {
      const started = this.clock.now();
      const outcome: AttemptOutcome = this.closed
        ? { code: 'ABORTED' }
        : await sendWebhook(target, body, this.deps.ca, this.stop.signal);
      const ended = this.clock.now();
      const step = nextStep(outcome, attempt, target.maxAttempts, ended, () => this.clock.random());
      d = this.save(withAttempt(d, { attempt, started, ended, outcome, step }));
      this.logAttempt(d, step);
      if (step.kind !== 'retry') return;
      await this.clock.sleep(step.waitMs, this.stop.signal);
      if (this.closed) {
        this.save(finished(d, stoppedCause(attempt, target.maxAttempts), this.clock.now()));
        this.deps.log?.(
          `automation: delivery ${d.id} to ${d.url} stopped while pending (the emulator closed)`,
        );
        return;
      }
    }
  }

  private interrupted(d: DeliveryWithPayload): DeliveryWithPayload {
    const cause =
      `interrupted: the emulator stopped without closing after ${d.attempts.length} of ${d.maxAttempts} ` +
      'attempts; redeliver it to send it again';
    return finished(d, cause, this.clock.now());
  }

  private save(d: DeliveryWithPayload): DeliveryWithPayload {
    this.records.set(d.id, d);
    this.deps.store.recordDelivery(d.id, JSON.stringify(d));
    return d;
  }

  private logAttempt(d: Delivery, step: NextStep): void {
    const last = d.attempts.at(-1);
    const result = last?.status !== undefined ? `HTTP ${last.status}` : (last?.error ?? '');
    const what =
      step.kind === 'retry'
        ? `retrying in ${step.waitMs} ms${step.fromRetryAfter ? ' (Retry-After)' : ''}`
        : step.kind === 'delivered'
          ? 'delivered'
          : `failed: ${step.cause}`;
    this.deps.log?.(
      `automation: incident #${d.incidentNumber} → ${d.url} attempt ${last?.number ?? 0}/${d.maxAttempts}: ${result}; ${what}`,
    );
  }
}

interface AttemptFacts {
  readonly attempt: number;
  readonly started: number;
  readonly ended: number;
  readonly outcome: AttemptOutcome;
  readonly step: NextStep;
}

/** `d` with one more attempt, and its state and cause as the step says. */
function withAttempt(d: DeliveryWithPayload, facts: AttemptFacts): DeliveryWithPayload {
  const { attempt, started, ended, outcome, step } = facts;
  const record: DeliveryAttempt = {
    number: attempt,
    at: new Date(started).toISOString(),
    durationMs: Math.max(0, ended - started),
    ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    ...(step.kind === 'retry' ? { waitMs: step.waitMs, waitFromRetryAfter: step.fromRetryAfter } : {}),
  };
  const next: DeliveryWithPayload = {
    ...d,
    attempts: [...d.attempts, record],
    ...(outcome.status !== undefined ? { lastStatus: outcome.status } : {}),
  };
  if (step.kind === 'delivered')
    return { ...next, state: 'delivered', finishedAt: new Date(ended).toISOString() };
  if (step.kind === 'failed') return finished(next, step.cause, ended);
  return next;
}

function finished(d: DeliveryWithPayload, cause: string, at: number): DeliveryWithPayload {
  return { ...d, state: 'failed', cause, finishedAt: new Date(at).toISOString() };
}

/** The emulator's automation over its store, sending to the `automation` targets (checked again here). */
export function createAutomation(
  options: {
    readonly automation?: readonly AutomationTarget[] | undefined;
    readonly log?: ((line: string) => void) | undefined;
  },
  store: Store,
  workspaceId: string,
  caCertPem: string,
): Automation {
  return new Automation({
    targets: resolveTargets(options.automation),
    store,
    workspaceId,
    ca: trustedCas(caCertPem),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
}
