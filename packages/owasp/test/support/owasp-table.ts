// OwaspSecurityEvents_CL as the owasp preset defines it, for the detection tests (the detections
// test checks this against packages/mapping/presets/owasp.yaml, column for column).
import type { ColumnDef } from '@otel-sentinel/kql';

export const TABLE = 'OwaspSecurityEvents_CL';

export const STRING_COLUMNS = [
  'EventOriginalType',
  'OwaspCategory',
  'EventSeverity',
  'EventOriginalSeverity',
  'EventResult',
  'EventResultDetails',
  'EventMessage',
  'ActorUserId',
  'TargetUserId',
  'SrcIpAddr',
  'HttpUserAgent',
  'HttpRequestMethod',
  'Url',
  'HttpReferrer',
  'SrcGeoCountry',
  'DvcHostname',
  'TargetAppName',
  'CorrelationId',
  'TraceId',
  'SessionHash',
  'Object',
  'OldValue',
  'NewValue',
  'TokenId',
  'ThreatName',
  'RuleName',
] as const;

export const COLUMNS: readonly ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  ...STRING_COLUMNS.map((name): ColumnDef => ({ name, type: 'string' })),
  { name: 'Limit', type: 'int' },
  { name: 'Retries', type: 'int' },
  { name: 'HttpStatusCode', type: 'int' },
  { name: 'AdditionalFields', type: 'dynamic' },
  { name: 'RowId', type: 'string' },
];
