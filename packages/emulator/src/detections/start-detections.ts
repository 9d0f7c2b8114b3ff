// The emulator's detections from its options: rules read from the `Analytic Rules` folders of
// `definitions` and from `rules`, run by an engine the emulator starts once it listens.

import type { QuerySource } from '@otel-sentinel/kql';
import type { Store } from '../model.js';
import { DetectionEngine } from './detection-engine.js';
import type { DetectionsOptions } from './detections-options.js';
import { loadRules } from './load-rules.js';

export interface DetectionSources {
  readonly definitions?: readonly string[];
  readonly rules?: readonly string[];
  readonly detections?: DetectionsOptions;
  readonly log?: (line: string) => void;
}

export function createDetections(
  options: DetectionSources,
  deps: { source: QuerySource; store: Store; tenantId: string; workspaceId: string; origin: () => string },
): DetectionEngine {
  const loaded = loadRules(options.definitions ?? [], options.rules ?? []);
  return new DetectionEngine(loaded, options.detections ?? {}, {
    ...deps,
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
}
