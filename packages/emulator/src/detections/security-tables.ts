// SecurityAlert and SecurityIncident as Log Analytics has them (Learn's table reference): the
// store always holds both, so KQL and the console's schema see them, and each alert and each
// incident change is a row (an incident has one row per change, as ModifiedBy records).

import type { ColumnDef, TableDef } from '../model.js';
import type { AnalyticRule } from './analytic-rule.js';
import type { Alert, Incident } from './detection-types.js';

const s = (name: string): ColumnDef => ({ name, type: 'string' });
const d = (name: string): ColumnDef => ({ name, type: 'datetime' });
const j = (name: string): ColumnDef => ({ name, type: 'dynamic' });

export const SECURITY_ALERT: TableDef = {
  name: 'SecurityAlert',
  columns: [
    d('TimeGenerated'),
    s('TenantId'),
    s('DisplayName'),
    s('AlertName'),
    s('AlertSeverity'),
    s('Description'),
    s('ProviderName'),
    s('VendorName'),
    s('VendorOriginalId'),
    s('SystemAlertId'),
    s('ResourceId'),
    s('SourceComputerId'),
    s('AlertType'),
    s('ConfidenceLevel'),
    { name: 'ConfidenceScore', type: 'real' },
    { name: 'IsIncident', type: 'boolean' },
    d('StartTime'),
    d('EndTime'),
    d('ProcessingEndTime'),
    s('RemediationSteps'),
    s('ExtendedProperties'),
    s('Entities'),
    s('SourceSystem'),
    s('WorkspaceSubscriptionId'),
    s('WorkspaceResourceGroup'),
    s('ExtendedLinks'),
    s('ProductName'),
    s('ProductComponentName'),
    s('AlertLink'),
    s('Status'),
    s('CompromisedEntity'),
    s('Tactics'),
    s('Techniques'),
    s('SubTechniques'),
  ],
};

export const SECURITY_INCIDENT: TableDef = {
  name: 'SecurityIncident',
  columns: [
    d('TimeGenerated'),
    s('TenantId'),
    s('IncidentName'),
    s('Title'),
    s('Description'),
    s('Severity'),
    s('Status'),
    s('Classification'),
    s('ClassificationComment'),
    s('ClassificationReason'),
    j('Owner'),
    s('ProviderName'),
    s('ProviderIncidentId'),
    d('FirstActivityTime'),
    d('LastActivityTime'),
    d('FirstModifiedTime'),
    d('LastModifiedTime'),
    d('CreatedTime'),
    d('ClosedTime'),
    { name: 'IncidentNumber', type: 'int' },
    j('RelatedAnalyticRuleIds'),
    j('AlertIds'),
    j('BookmarkIds'),
    j('Comments'),
    j('Tasks'),
    j('Labels'),
    s('IncidentUrl'),
    j('AdditionalData'),
    s('ModifiedBy'),
    s('SourceSystem'),
  ],
};

/** The SecurityAlert row of `alert`. ExtendedProperties holds the run's facts, as Sentinel's does. */
export function alertRow(
  alert: Alert,
  rule: AnalyticRule,
  tenantId: string,
  workspaceId: string,
): Record<string, unknown> {
  const extended: Record<string, unknown> = {
    Query: rule.query,
    'Query Start Time UTC': alert.startTime,
    'Query End Time UTC': alert.endTime,
    'Analytic Rule Ids': JSON.stringify([rule.id]),
    'Analytic Rule Name': rule.name,
    'Event Grouping': rule.aggregationKind,
    'Search Query Results Overall Count': String(alert.summarises ?? alert.rows.length),
    'Alert generation': alert.trigger === 'on demand' ? 'On demand (otel-sentinel emulator)' : 'Scheduled',
    ...(Object.keys(alert.customDetails).length > 0
      ? { 'Custom Details': JSON.stringify(alert.customDetails) }
      : {}),
  };
  return {
    TimeGenerated: alert.timeGenerated,
    TenantId: tenantId,
    DisplayName: alert.displayName,
    AlertName: alert.displayName,
    AlertSeverity: alert.severity,
    Description: alert.description,
    ProviderName: 'ASI Scheduled Alerts',
    VendorName: 'Microsoft',
    VendorOriginalId: alert.id,
    SystemAlertId: alert.id,
    AlertType: `${workspaceId}_${rule.id}`,
    ConfidenceLevel: 'Unknown',
    IsIncident: false,
    StartTime: alert.startTime,
    EndTime: alert.endTime,
    ProcessingEndTime: alert.timeGenerated,
    ExtendedProperties: JSON.stringify(extended),
    Entities: JSON.stringify(
      alert.entities.map((e, i) => ({ $id: String(i + 2), Type: e.kind.toLowerCase(), ...e.properties })),
    ),
    SourceSystem: 'Detection',
    ProductName: 'Azure Sentinel',
    ProductComponentName: 'Scheduled Alerts',
    Status: 'New',
    Tactics: alert.tactics.join(', '),
    Techniques: alert.techniques.join(', '),
  };
}

/** The SecurityIncident row of `incident` as it is now. */
export function incidentRow(
  incident: Incident,
  tenantId: string,
  modifiedBy: string,
): Record<string, unknown> {
  return {
    TimeGenerated: incident.lastModifiedTimeUtc,
    TenantId: tenantId,
    IncidentName: incident.name,
    Title: incident.title,
    Description: incident.description,
    Severity: incident.severity,
    Status: incident.status,
    Owner: incident.owner,
    ProviderName: incident.providerName,
    ProviderIncidentId: incident.providerIncidentId,
    FirstActivityTime: incident.firstActivityTimeUtc,
    LastActivityTime: incident.lastActivityTimeUtc,
    FirstModifiedTime: incident.createdTimeUtc,
    LastModifiedTime: incident.lastModifiedTimeUtc,
    CreatedTime: incident.createdTimeUtc,
    IncidentNumber: incident.incidentNumber,
    RelatedAnalyticRuleIds: incident.relatedAnalyticRuleIds,
    AlertIds: incident.alertIds,
    BookmarkIds: [],
    Comments: [],
    Tasks: [],
    Labels: incident.labels,
    IncidentUrl: incident.incidentUrl,
    AdditionalData: incident.additionalData,
    ModifiedBy: modifiedBy,
    SourceSystem: 'Azure',
  };
}
