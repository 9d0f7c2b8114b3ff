// What the detections hand to their callers (the Node API, the console routes, automation):
// analytic rules as loaded, their runs, and the alerts and incidents the runs raise, in the
// shape of Sentinel's ARM resources (IncidentProperties) with the emulator's extra fields.

import type { QueryTable } from '@otel-sentinel/kql';

export type Severity = 'Informational' | 'Low' | 'Medium' | 'High';

/** An entity of an alert or incident, as Sentinel's `relatedEntities`: `{ kind, properties }`. */
export interface Entity {
  /** The rule's entityType: `Account`, `IP`, `Host`, `URL`, … */
  readonly kind: string;
  /** identifier → value, e.g. `{ Address: '203.0.113.7' }`, plus `friendlyName`. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** One alert a rule raised, as the SecurityAlert row holds it. */
export interface Alert {
  /** `SystemAlertId`: a GUID. */
  readonly id: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly displayName: string;
  readonly description: string;
  readonly severity: Severity;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly entities: readonly Entity[];
  /** customDetails, column values by key. */
  readonly customDetails: Readonly<Record<string, unknown>>;
  /** The result rows behind the alert, as `column → value` objects. */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** The query window of the run that raised it. */
  readonly startTime: string;
  readonly endTime: string;
  /** When it was raised (the run's clock). */
  readonly timeGenerated: string;
  /** `scheduled`, or `on demand` when `runRule` raised it. */
  readonly trigger: 'scheduled' | 'on demand';
  /** Set when 150 alerts were reached in one run and this one stands for the remaining rows. */
  readonly summarises?: number;
  /** The incident it was grouped into, when the rule creates incidents. */
  incidentNumber?: number;
}

/** An incident: ARM IncidentProperties plus the rule, entities and query behind it. */
export interface Incident {
  /** ARM resource id `/subscriptions/…/providers/Microsoft.SecurityInsights/Incidents/<name>`. */
  readonly id: string;
  /** The resource name: a GUID. */
  readonly name: string;
  readonly incidentNumber: number;
  title: string;
  description: string;
  severity: Severity;
  status: 'New' | 'Active' | 'Closed';
  readonly classification?: string;
  readonly owner: { objectId: null; email: null; assignedTo: null; userPrincipalName: null };
  readonly labels: readonly { labelName: string; labelType: string }[];
  firstActivityTimeUtc: string;
  lastActivityTimeUtc: string;
  lastModifiedTimeUtc: string;
  readonly createdTimeUtc: string;
  readonly incidentUrl: string;
  additionalData: {
    alertsCount: number;
    bookmarksCount: number;
    commentsCount: number;
    alertProductNames: string[];
    tactics: string[];
    techniques: string[];
  };
  readonly relatedAnalyticRuleIds: readonly string[];
  readonly providerName: 'Azure Sentinel';
  readonly providerIncidentId: string;
  readonly ruleId: string;
  readonly ruleName: string;
  entities: Entity[];
  /** The alerts' SystemAlertIds. */
  alertIds: string[];
  readonly query: string;
  readonly queryStart: string;
  queryEnd: string;
}

/** A rule as the console lists it. */
export interface RuleSummary {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly enabled: boolean;
  /** `Scheduled`, or the kind that keeps it from running. */
  readonly kind: string;
  /** ISO 8601 durations as the emulator runs them (after a `frequency` override). */
  readonly queryFrequency: string;
  readonly queryPeriod: string;
  readonly triggerOperator: string;
  readonly triggerThreshold: number;
  /** The file the rule was read from. */
  readonly source: string;
  /** Why the rule does not run, when it does not (another kind, a limit). */
  readonly notRunning?: string;
  readonly lastRun?: RunRecord;
  readonly nextRunAt?: string;
  /** Until when the rule's suppression keeps it from running. */
  readonly suppressedUntil?: string;
}

/** What one run did. */
export interface RunRecord {
  readonly at: string;
  readonly status: 'ok' | 'error';
  readonly trigger: 'scheduled' | 'on demand';
  readonly start: string;
  readonly end: string;
  readonly resultCount: number;
  /** Alerts raised. */
  readonly alerts: number;
  /** Result rows left out because an earlier run of the rule already alerted on them. */
  readonly duplicateRows: number;
  /** Whether the trigger (operator, threshold) held on the result count. */
  readonly triggered: boolean;
  readonly error?: string;
}

/** What `runRule` returns. */
export interface RunOutcome {
  readonly resultCount: number;
  readonly alerts: readonly Alert[];
  readonly incidents: readonly Incident[];
  readonly run: RunRecord;
}

/** What an incident listener hears: a new incident, or one an alert was added to. */
export interface IncidentEvent {
  readonly change: 'created' | 'updated';
  readonly incident: Incident;
  /** Every alert of the incident, in the order they were raised. */
  readonly alerts: readonly Alert[];
}

/** `GET /console/api/incidents/:number`: the incident, its alerts and the events behind them. */
export interface IncidentDetail {
  readonly incident: Incident;
  readonly alerts: readonly Alert[];
  readonly events: QueryTable;
}

/** The detections of a running emulator (`emulator.detections`). */
export interface Detections {
  /** Every loaded rule, with its schedule, last run and next run. */
  rules(): RuleSummary[];
  /**
   * Runs a rule now over `[start, end]` (default: its queryPeriod up to now − delay), raising
   * alerts and incidents as a scheduled run would; its alerts say they were raised on demand.
   * Throws a `DetectionError` (`E_UNKNOWN_RULE`) for an id or name it does not know.
   */
  runRule(id: string, range?: { start?: Date | string; end?: Date | string }): RunOutcome;
  /** Every incident, newest first. */
  incidents(): Incident[];
  /** An incident with its alerts and the events behind it, or undefined. */
  incident(incidentNumber: number): IncidentDetail | undefined;
  /** Every alert, oldest first. */
  alerts(): Alert[];
  /** Calls `listener` for each new incident and each alert added to one; returns an unsubscribe. */
  onIncident(listener: (event: IncidentEvent) => void): () => void;
  /** Rules skipped at load (bad YAML, a missing field), one line each naming file:line:col. */
  readonly problems: readonly string[];
}
