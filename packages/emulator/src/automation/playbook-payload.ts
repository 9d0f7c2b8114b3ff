// The body a playbook's "Microsoft Sentinel incident" trigger receives, built from an incident
// and its alerts. Which keys public playbooks confirm and which are our reading is in the README
// ("Automation"); Microsoft publishes no schema of this body.

import { createHash } from 'node:crypto';
import type { Alert, Entity, Incident, IncidentEvent } from '../detections/detection-types.js';

/** Where the incident lives, as the trigger body's `workspaceInfo` names it. */
export interface WorkspaceInfo {
  readonly SubscriptionId: string;
  readonly ResourceGroupName: string;
  readonly WorkspaceName: string;
}

const INCIDENT_ID =
  /^(\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+))\//i;
const ENTITY_TYPE = 'Microsoft.SecurityInsights/Entities';

/** The trigger body for `event`, as JSON-ready data; `eventUniqueId` is the delivery's id. */
export function playbookPayload(
  event: IncidentEvent,
  workspaceId: string,
  eventUniqueId: string,
): Record<string, unknown> {
  const { incident, alerts } = event;
  const match = INCIDENT_ID.exec(incident.id);
  const workspaceResource = match?.[1] ?? '';
  const workspaceInfo: WorkspaceInfo = {
    SubscriptionId: match?.[2] ?? '',
    ResourceGroupName: match?.[3] ?? '',
    WorkspaceName: match?.[4] ?? '',
  };
  return {
    eventUniqueId,
    objectSchemaType: 'Incident',
    objectEventType: event.change === 'created' ? 'Create' : 'Update',
    workspaceInfo,
    workspaceId,
    object: {
      id: incident.id,
      name: incident.name,
      type: 'Microsoft.SecurityInsights/Incidents',
      properties: {
        ...incidentProperties(incident),
        relatedEntities: incident.entities.map((e) => relatedEntity(e, workspaceResource)),
        Alerts: alerts.map((a) => alertEntity(a, workspaceResource, workspaceId)),
        bookmarks: [],
        comments: [],
      },
    },
  };
}

/** IncidentProperties as the ARM API names them (Sentinel's incident resource). */
function incidentProperties(incident: Incident): Record<string, unknown> {
  return {
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    status: incident.status,
    ...(incident.classification !== undefined ? { classification: incident.classification } : {}),
    owner: incident.owner,
    labels: incident.labels,
    firstActivityTimeUtc: incident.firstActivityTimeUtc,
    lastActivityTimeUtc: incident.lastActivityTimeUtc,
    lastModifiedTimeUtc: incident.lastModifiedTimeUtc,
    createdTimeUtc: incident.createdTimeUtc,
    incidentNumber: incident.incidentNumber,
    additionalData: incident.additionalData,
    relatedAnalyticRuleIds: incident.relatedAnalyticRuleIds,
    incidentUrl: incident.incidentUrl,
    providerName: incident.providerName,
    providerIncidentId: incident.providerIncidentId,
  };
}

/** `{ id, name, type, kind, properties }`; `properties.friendlyName` is always there. */
function relatedEntity(entity: Entity, workspaceResource: string): Record<string, unknown> {
  const name = guidOf(`${entity.kind}|${JSON.stringify(entity.properties)}`);
  return {
    id: `${workspaceResource}/providers/${ENTITY_TYPE}/${name}`,
    name,
    type: ENTITY_TYPE,
    kind: entity.kind,
    properties: { ...entity.properties, friendlyName: friendlyName(entity) },
  };
}

function alertEntity(alert: Alert, workspaceResource: string, workspaceId: string): Record<string, unknown> {
  return {
    id: `${workspaceResource}/providers/${ENTITY_TYPE}/${alert.id}`,
    name: alert.id,
    type: ENTITY_TYPE,
    kind: 'SecurityAlert',
    properties: {
      systemAlertId: alert.id,
      alertDisplayName: alert.displayName,
      friendlyName: alert.displayName,
      description: alert.description,
      severity: alert.severity,
      status: 'New',
      confidenceLevel: 'Unknown',
      tactics: alert.tactics,
      techniques: alert.techniques,
      vendorName: 'Microsoft',
      productName: 'Azure Sentinel',
      productComponentName: 'Scheduled Alerts',
      alertType: `${workspaceId}_${alert.ruleId}`,
      startTimeUtc: alert.startTime,
      endTimeUtc: alert.endTime,
      timeGenerated: alert.timeGenerated,
      processingEndTime: alert.timeGenerated,
      resourceIdentifiers: [{ type: 'LogAnalytics', workspaceId }],
      additionalData: {
        'Analytic Rule Ids': JSON.stringify([alert.ruleId]),
        'Analytic Rule Name': alert.ruleName,
        'Query Start Time UTC': alert.startTime,
        'Query End Time UTC': alert.endTime,
        ...(Object.keys(alert.customDetails).length > 0
          ? { 'Custom Details': JSON.stringify(alert.customDetails) }
          : {}),
      },
      relatedEntities: alert.entities.map((e) => relatedEntity(e, workspaceResource)),
    },
  };
}

/** The entity's own friendlyName, else its first identifier's value, else its kind. */
function friendlyName(entity: Entity): string {
  const own = entity.properties.friendlyName;
  if (typeof own === 'string' && own !== '') return own;
  for (const value of Object.values(entity.properties)) {
    if (typeof value === 'string' && value !== '') return value;
  }
  return entity.kind;
}

/** A GUID-shaped id, the same for the same text (an entity keeps its id across deliveries). */
function guidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
