// The workspace's incidents: numbered in sequence, created per alert or grouped into an open one
// as the rule's groupingConfiguration says (lookback, AllEntities / AnyAlert / Selected), at most
// 150 alerts each (then a new incident with the same details), as Sentinel does.

import { randomUUID } from 'node:crypto';
import { stringifyExactJson } from '@otel-sentinel/kql';
import type { AnalyticRule, GroupingConfiguration } from './analytic-rule.js';
import type { Alert, Entity, Incident, Severity } from './detection-types.js';
import { MAX_ALERTS_PER_INCIDENT } from './rule-limits.js';

/** Where the incidents live, for their ARM ids and URLs. */
export interface IncidentScope {
  readonly workspaceId: string;
  readonly origin: () => string;
}

const RANK: Readonly<Record<Severity, number>> = { Informational: 0, Low: 1, Medium: 2, High: 3 };
const ARM_PREFIX =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.OperationalInsights/workspaces';

export class IncidentBook {
  private readonly incidents: Incident[] = [];
  private readonly alertsOf = new Map<number, Alert[]>();
  private next: number;

  constructor(
    private readonly scope: IncidentScope,
    firstNumber: number,
  ) {
    this.next = firstNumber;
  }

  /** Every incident, newest first. */
  list(): Incident[] {
    return [...this.incidents].reverse();
  }

  get(incidentNumber: number): Incident | undefined {
    return this.incidents.find((i) => i.incidentNumber === incidentNumber);
  }

  alerts(incidentNumber: number): readonly Alert[] {
    return this.alertsOf.get(incidentNumber) ?? [];
  }

  /** Files `alert` in an incident (a grouping match, or a new one); says which and whether new. */
  file(rule: AnalyticRule, alert: Alert, now: Date): { incident: Incident; created: boolean } {
    const open = rule.grouping === undefined ? undefined : this.match(rule.grouping, rule, alert, now);
    if (open !== undefined) {
      this.add(open, alert, now);
      return { incident: open, created: false };
    }
    const incident = this.create(rule, alert, now);
    this.incidents.push(incident);
    this.alertsOf.set(incident.incidentNumber, [alert]);
    alert.incidentNumber = incident.incidentNumber;
    return { incident, created: true };
  }

  private match(
    grouping: GroupingConfiguration,
    rule: AnalyticRule,
    alert: Alert,
    now: Date,
  ): Incident | undefined {
    const since = now.getTime() - grouping.lookbackMs;
    for (let i = this.incidents.length - 1; i >= 0; i--) {
      const incident = this.incidents[i];
      if (incident === undefined || incident.ruleId !== rule.id || incident.status === 'Closed') continue;
      if (Date.parse(incident.createdTimeUtc) < since) continue;
      if (incident.additionalData.alertsCount >= MAX_ALERTS_PER_INCIDENT) continue;
      const first = this.alertsOf.get(incident.incidentNumber)?.[0];
      if (first !== undefined && sameGroup(grouping, first, alert)) return incident;
    }
    return undefined;
  }

  private add(incident: Incident, alert: Alert, now: Date): void {
    this.alertsOf.get(incident.incidentNumber)?.push(alert);
    alert.incidentNumber = incident.incidentNumber;
    incident.alertIds.push(alert.id);
    incident.additionalData.alertsCount += 1;
    incident.additionalData.tactics = union(incident.additionalData.tactics, alert.tactics);
    incident.additionalData.techniques = union(incident.additionalData.techniques, alert.techniques);
    incident.entities = unionEntities(incident.entities, alert.entities);
    if (RANK[alert.severity] > RANK[incident.severity]) incident.severity = alert.severity;
    if (alert.startTime < incident.firstActivityTimeUtc) incident.firstActivityTimeUtc = alert.startTime;
    if (alert.endTime > incident.lastActivityTimeUtc) incident.lastActivityTimeUtc = alert.endTime;
    if (alert.endTime > incident.queryEnd) incident.queryEnd = alert.endTime;
    incident.lastModifiedTimeUtc = now.toISOString();
  }

  private create(rule: AnalyticRule, alert: Alert, now: Date): Incident {
    const name = randomUUID();
    const incidentNumber = this.next++;
    const id = `${ARM_PREFIX}/${this.scope.workspaceId}/providers/Microsoft.SecurityInsights/Incidents/${name}`;
    return {
      id,
      name,
      incidentNumber,
      title: alert.displayName,
      description: alert.description,
      severity: alert.severity,
      status: 'New',
      owner: { objectId: null, email: null, assignedTo: null, userPrincipalName: null },
      labels: [],
      firstActivityTimeUtc: alert.startTime,
      lastActivityTimeUtc: alert.endTime,
      lastModifiedTimeUtc: now.toISOString(),
      createdTimeUtc: now.toISOString(),
      incidentUrl: `${this.scope.origin()}/console/#incidents/${incidentNumber}`,
      additionalData: {
        alertsCount: 1,
        bookmarksCount: 0,
        commentsCount: 0,
        alertProductNames: ['Azure Sentinel'],
        tactics: [...alert.tactics],
        techniques: [...alert.techniques],
      },
      relatedAnalyticRuleIds: [rule.id],
      providerName: 'Azure Sentinel',
      providerIncidentId: String(incidentNumber),
      ruleId: rule.id,
      ruleName: rule.name,
      entities: [...alert.entities],
      alertIds: [alert.id],
      query: rule.query,
      queryStart: alert.startTime,
      queryEnd: alert.endTime,
    };
  }
}

/** Whether `alert` joins the incident whose first alert is `first`. */
function sameGroup(grouping: GroupingConfiguration, first: Alert, alert: Alert): boolean {
  switch (grouping.matchingMethod) {
    case 'AnyAlert':
      return true;
    case 'AllEntities':
      return entityKey(first.entities) === entityKey(alert.entities);
    case 'Selected':
      return selectedMatch(grouping, first, alert);
  }
}

function selectedMatch(grouping: GroupingConfiguration, first: Alert, alert: Alert): boolean {
  for (const kind of grouping.groupByEntities) {
    const of = (a: Alert): string => entityKey(a.entities.filter((e) => e.kind === kind));
    if (of(first) !== of(alert)) return false;
  }
  for (const detail of grouping.groupByAlertDetails) {
    if (detail === 'DisplayName' && first.displayName !== alert.displayName) return false;
    if (detail === 'Severity' && first.severity !== alert.severity) return false;
  }
  for (const key of grouping.groupByCustomDetails)
    if (stringifyExactJson(first.customDetails[key]) !== stringifyExactJson(alert.customDetails[key]))
      return false;
  return true;
}

function entityKey(entities: readonly Entity[]): string {
  return entities
    .map((e) => stringifyExactJson(e) ?? '')
    .sort()
    .join('\n');
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function unionEntities(a: readonly Entity[], b: readonly Entity[]): Entity[] {
  const keys = new Set(a.map((e) => stringifyExactJson(e)));
  return [...a, ...b.filter((e) => !keys.has(stringifyExactJson(e)))];
}
