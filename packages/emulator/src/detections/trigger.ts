// A rule's trigger: its operator and threshold applied to the number of result rows of one run.

import type { TriggerOperator } from './analytic-rule.js';

export function triggers(operator: TriggerOperator, threshold: number, resultCount: number): boolean {
  switch (operator) {
    case 'gt':
      return resultCount > threshold;
    case 'lt':
      return resultCount < threshold;
    case 'eq':
      return resultCount === threshold;
    case 'ne':
      return resultCount !== threshold;
  }
}
