// A stream's `match` in words, for the validate summary.

import { SEVERITY_NAMES } from '@otel-sentinel/mapping';
import type { AttributeCondition, MatchConfig } from '@otel-sentinel/mapping';

export function matchInWords(match: MatchConfig | undefined): string {
  if (match === undefined) return 'every security record (catch-all)';
  const parts: string[] = [];
  if (match.eventName !== undefined) parts.push(`event name is ${anyOf(match.eventName)}`);
  if (match.minSeverity !== undefined) parts.push(`severity at least ${severityName(match.minSeverity)}`);
  for (const [key, c] of Object.entries(match.attributes ?? {})) parts.push(condition(`attribute ${key}`, c));
  for (const [key, c] of Object.entries(match.resource ?? {})) parts.push(condition(`resource ${key}`, c));
  return parts.length === 0 ? 'every security record (empty match)' : parts.join(' and ');
}

function anyOf(globs: readonly string[]): string {
  if (globs.length === 1) return globs[0] ?? '';
  return `${globs.slice(0, -1).join(', ')} or ${globs[globs.length - 1] ?? ''}`;
}

function severityName(n: number): string {
  const name = SEVERITY_NAMES[n - 1];
  return name === undefined ? String(n) : `${name} (${n})`;
}

function condition(subject: string, c: AttributeCondition): string {
  switch (c.kind) {
    case 'equals':
      return `${subject} = ${JSON.stringify(c.value)}`;
    case 'in':
      return `${subject} in [${c.values.map((v) => JSON.stringify(v)).join(', ')}]`;
    case 'exists':
      return c.exists ? `${subject} is set` : `${subject} is not set`;
  }
}
