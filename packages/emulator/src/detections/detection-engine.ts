// The emulator's detections: the loaded rules, each scheduled (first run at start, then every
// queryFrequency) over its window, on-demand runs, and the incidents and alerts they raise.

import { ConfigError } from '@otel-sentinel/mapping';
import type { QuerySource } from '@otel-sentinel/kql';
import type { Store } from '../model.js';
import type { AnalyticRule } from './analytic-rule.js';
import { DetectionError } from './detection-error.js';
import type {
  Alert,
  Detections,
  Incident,
  IncidentDetail,
  IncidentEvent,
  RuleSummary,
  RunOutcome,
  RunRecord,
} from './detection-types.js';
import { defaultSetTimer, type DetectionsOptions } from './detections-options.js';
import { IncidentBook } from './incident-book.js';
import type { LoadedRules } from './load-rules.js';
import { durationMs, isoDuration } from './rule-duration.js';
import { queryWindow, runRule, type RunnerDeps } from './rule-runner.js';
import { SECURITY_ALERT, SECURITY_INCIDENT } from './security-tables.js';

/** What the detections read and write. */
export interface EngineDeps {
  readonly source: QuerySource;
  readonly store: Store;
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly origin: () => string;
  readonly log?: (line: string) => void;
}

interface RuleState {
  readonly rule: AnalyticRule;
  readonly seen: Set<string>;
  lastRun?: RunRecord;
  nextRunAt?: Date;
  suppressedUntil?: Date;
  cancel?: () => void;
}

export class DetectionEngine implements Detections {
  readonly problems: readonly string[];
  private readonly states: RuleState[];
  private readonly listeners = new Set<(event: IncidentEvent) => void>();
  private readonly allAlerts: Alert[] = [];
  private readonly book: IncidentBook;
  private readonly runner: RunnerDeps;
  private readonly clock: () => Date;
  private readonly delayMs: number;
  private readonly frequencyMs: number | undefined;
  private readonly setTimer: (run: () => void, ms: number) => () => void;
  private stopped = false;

  constructor(
    loaded: LoadedRules,
    options: DetectionsOptions,
    private readonly deps: EngineDeps,
  ) {
    this.problems = loaded.problems;
    this.states = loaded.rules.map((rule) => ({ rule, seen: new Set<string>() }));
    this.clock = options.clock ?? (() => new Date());
    this.delayMs = optionDuration('detections.delay', options.delay) ?? 0;
    this.frequencyMs = optionDuration('detections.frequency', options.frequency);
    this.setTimer = options.setTimer ?? defaultSetTimer;
    deps.store.ensureTable(SECURITY_ALERT);
    deps.store.ensureTable(SECURITY_INCIDENT);
    this.book = new IncidentBook(
      { workspaceId: deps.workspaceId, origin: deps.origin },
      nextIncidentNumber(deps.store),
    );
    this.runner = {
      source: deps.source,
      store: deps.store,
      book: this.book,
      tenantId: deps.tenantId,
      workspaceId: deps.workspaceId,
      dedupe: options.dedupe !== false,
      emit: (event) => {
        this.emit(event);
      },
    };
  }

  /** Logs what was loaded and skipped, runs each runnable rule once and schedules the next runs. */
  start(): void {
    const log = this.deps.log;
    const runnable = this.states.filter((s) => runs(s.rule));
    log?.(
      `detections: ${this.states.length} analytic rules loaded, ${runnable.length} scheduled, ${this.problems.length} skipped`,
    );
    for (const problem of this.problems) log?.(`detections: skipped ${problem}`);
    for (const { rule } of this.states)
      if (!runs(rule))
        log?.(`detections: not running ${rule.name} (${rule.source}): ${rule.notRunning ?? 'disabled'}`);
    for (const state of runnable) this.tick(state);
  }

  /** Cancels every pending run; idempotent. */
  stop(): void {
    this.stopped = true;
    for (const state of this.states) state.cancel?.();
    this.listeners.clear();
  }

  rules(): RuleSummary[] {
    return this.states.map((state) => this.summary(state));
  }

  runRule(id: string, range: { start?: Date | string; end?: Date | string } = {}): RunOutcome {
    const state = this.states.find((s) => s.rule.id === id) ?? this.states.find((s) => s.rule.name === id);
    if (state === undefined)
      throw new DetectionError(
        'E_UNKNOWN_RULE',
        `no analytic rule has the id or name ${id}; GET /console/api/rules lists them`,
      );
    if (state.rule.kind !== 'Scheduled')
      throw new DetectionError(
        'E_UNKNOWN_RULE',
        `rule ${state.rule.name} is ${state.rule.kind}: only Scheduled rules run`,
      );
    const at = this.clock();
    const end = dateOf('end', range.end) ?? new Date(at.getTime() - this.delayMs);
    const start = dateOf('start', range.start) ?? new Date(end.getTime() - state.rule.queryPeriodMs);
    if (start.getTime() > end.getTime())
      throw new DetectionError(
        'E_RUN_RANGE',
        `start ${start.toISOString()} is after end ${end.toISOString()}: give a start before the end`,
      );
    const result = runRule(state.rule, { start, end, at, trigger: 'on demand' }, state.seen, this.runner);
    state.lastRun = result.record;
    this.allAlerts.push(...result.alerts);
    return {
      resultCount: result.record.resultCount,
      alerts: result.alerts,
      incidents: result.incidents,
      run: result.record,
    };
  }

  incidents(): Incident[] {
    return this.book.list();
  }

  incident(incidentNumber: number): IncidentDetail | undefined {
    const incident = this.book.get(incidentNumber);
    if (incident === undefined) return undefined;
    let events;
    try {
      events = queryWindow(
        this.deps.source,
        incident.query,
        new Date(incident.queryStart),
        new Date(incident.queryEnd),
      );
    } catch {
      events = { name: 'PrimaryResult', columns: [], rows: [] };
    }
    return { incident, alerts: this.book.alerts(incidentNumber), events };
  }

  alerts(): Alert[] {
    return [...this.allAlerts];
  }

  onIncident(listener: (event: IncidentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** A scheduled run (unless suppressed), then the next one after the frequency. */
  private tick(state: RuleState): void {
    if (this.stopped) return;
    const now = this.clock();
    if (state.suppressedUntil === undefined || now.getTime() >= state.suppressedUntil.getTime()) {
      try {
        this.scheduledRun(state, now);
      } catch (error: unknown) {
        // Writing the alerts failed (a closed store): the next run still comes.
        this.deps.log?.(
          `detections: ${state.rule.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const every = this.frequencyMs ?? state.rule.queryFrequencyMs;
    state.nextRunAt = new Date(now.getTime() + every);
    state.cancel = this.setTimer(() => {
      this.tick(state);
    }, every);
  }

  private scheduledRun(state: RuleState, now: Date): void {
    const end = new Date(now.getTime() - this.delayMs);
    const start = new Date(end.getTime() - state.rule.queryPeriodMs);
    const result = runRule(
      state.rule,
      { start, end, at: now, trigger: 'scheduled' },
      state.seen,
      this.runner,
    );
    state.lastRun = result.record;
    this.allAlerts.push(...result.alerts);
    if (result.alerts.length > 0 && state.rule.suppressionMs > 0)
      state.suppressedUntil = new Date(now.getTime() + state.rule.suppressionMs);
    if (result.record.status === 'error')
      this.deps.log?.(`detections: ${state.rule.name} failed: ${result.record.error ?? ''}`);
  }

  private summary(state: RuleState): RuleSummary {
    const { rule } = state;
    const frequency = this.frequencyMs ?? rule.queryFrequencyMs;
    return {
      id: rule.id,
      name: rule.name,
      severity: rule.severity,
      enabled: rule.enabled,
      kind: rule.kind,
      queryFrequency: rule.kind === 'Scheduled' ? isoDuration(frequency) : '',
      queryPeriod: rule.kind === 'Scheduled' ? isoDuration(rule.queryPeriodMs) : '',
      triggerOperator: rule.triggerOperator,
      triggerThreshold: rule.triggerThreshold,
      source: rule.source,
      ...(rule.notRunning !== undefined
        ? { notRunning: rule.notRunning }
        : rule.enabled
          ? {}
          : { notRunning: 'disabled (enabled: false)' }),
      ...(state.lastRun !== undefined ? { lastRun: state.lastRun } : {}),
      ...(state.nextRunAt !== undefined ? { nextRunAt: state.nextRunAt.toISOString() } : {}),
      ...(state.suppressedUntil !== undefined
        ? { suppressedUntil: state.suppressedUntil.toISOString() }
        : {}),
    };
  }

  private emit(event: IncidentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error: unknown) {
        this.deps.log?.(
          `detections: an incident listener threw: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}

function runs(rule: AnalyticRule): boolean {
  return rule.enabled && rule.notRunning === undefined;
}

function optionDuration(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = durationMs(text);
  if (ms === undefined || (option === 'detections.frequency' && ms <= 0))
    throw new ConfigError(
      'E_DETECTIONS_CONFIG',
      option,
      `${option} ${text} is not a duration: write an ISO 8601 duration such as PT20S or PT5M`,
    );
  return ms;
}

function dateOf(name: string, value: Date | string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime()))
    throw new DetectionError(
      'E_RUN_RANGE',
      `${name} ${String(value)} is not a date: give an ISO 8601 UTC time such as 2026-12-01T10:00:00Z`,
    );
  return date;
}

/** One more than the highest IncidentNumber the store already holds (a store kept across restarts). */
function nextIncidentNumber(store: Store): number {
  let highest = 0;
  for (const row of store.scan(SECURITY_INCIDENT.name)) {
    const n = row['IncidentNumber'];
    if (typeof n === 'number' && n > highest) highest = n;
  }
  return highest + 1;
}
