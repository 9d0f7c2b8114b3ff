// An analytic rule as the detections run it: Sentinel's scheduled-rule properties read from
// template YAML (Azure-Sentinel's files, our generated ones) or ARM-style YAML, durations in ms.

import type { Severity } from './detection-types.js';

export type TriggerOperator = 'gt' | 'lt' | 'eq' | 'ne';

export interface EntityMapping {
  readonly entityType: string;
  readonly fieldMappings: readonly { readonly identifier: string; readonly columnName: string }[];
}

export interface AlertDetailsOverride {
  readonly alertDisplayNameFormat?: string;
  readonly alertDescriptionFormat?: string;
  readonly alertSeverityColumnName?: string;
  readonly alertTacticsColumnName?: string;
}

export interface GroupingConfiguration {
  readonly enabled: boolean;
  readonly lookbackMs: number;
  readonly matchingMethod: 'AllEntities' | 'AnyAlert' | 'Selected';
  readonly groupByEntities: readonly string[];
  readonly groupByAlertDetails: readonly string[];
  readonly groupByCustomDetails: readonly string[];
}

export interface AnalyticRule {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly severity: Severity;
  /** `Scheduled`, `NRT`, `Fusion`, …: only Scheduled rules run. */
  readonly kind: string;
  readonly enabled: boolean;
  readonly queryFrequencyMs: number;
  readonly queryPeriodMs: number;
  readonly triggerOperator: TriggerOperator;
  readonly triggerThreshold: number;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly query: string;
  readonly entityMappings: readonly EntityMapping[];
  readonly customDetails: Readonly<Record<string, string>>;
  readonly alertDetailsOverride: AlertDetailsOverride;
  readonly aggregationKind: 'SingleAlert' | 'AlertPerResult';
  /** 0 when suppression is off. */
  readonly suppressionMs: number;
  readonly createIncident: boolean;
  readonly grouping: GroupingConfiguration | undefined;
  /** The file it was read from. */
  readonly source: string;
  /** Why it does not run (another kind, a limit Sentinel would refuse), when it does not. */
  readonly notRunning?: string;
}
