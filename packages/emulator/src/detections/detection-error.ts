// Why the detections cannot do what was asked: a rule file they cannot use (reported at start-up,
// the other rules still run), or a run asked for a rule or range they do not know.

import { OtelSentinelError } from '@otel-sentinel/mapping';

export type DetectionErrorCode =
  /** A rule file is not YAML, or a rule lacks a field or has one Sentinel would refuse: file:line:col and the field. */
  | 'E_RULE_FILE'
  /** `runRule` was given an id or name no loaded rule has. */
  | 'E_UNKNOWN_RULE'
  /** `runRule` was given a start or end that is not a date, or a start after the end. */
  | 'E_RUN_RANGE';

export class DetectionError extends OtelSentinelError {
  declare readonly code: DetectionErrorCode;
}
