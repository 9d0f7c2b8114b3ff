// A stream's `match`: the conditions a security record must meet to be routed to it.

import type { PathSegment } from '../problems.js';
import type { MatchInput } from '../schema.js';
import { SEVERITY_NAMES } from '../schema.js';
import type { AttributeCondition, MatchConfig, Scalar } from '../types.js';
import type { SemanticContext } from './semantic-context.js';

function severityNumber(v: string | number): number {
  if (typeof v === 'number') return v;
  const i = (SEVERITY_NAMES as readonly string[]).indexOf(v);
  return i + 1;
}

function resolveCondition(v: unknown): AttributeCondition {
  if (typeof v === 'object' && v !== null) {
    if ('equals' in v) return { kind: 'equals', value: (v as { equals: Scalar }).equals };
    if ('in' in v) return { kind: 'in', values: (v as { in: Scalar[] }).in };
    return { kind: 'exists', exists: (v as { exists: boolean }).exists };
  }
  return { kind: 'equals', value: v as Scalar };
}

function resolveConditions(bag: Readonly<Record<string, unknown>>): Record<string, AttributeCondition> {
  return Object.fromEntries(Object.entries(bag).map(([k, v]) => [k, resolveCondition(v)]));
}

export function resolveMatch(m: MatchInput, path: readonly PathSegment[], ctx: SemanticContext): MatchConfig {
  const out: {
    eventName?: readonly string[];
    minSeverity?: number;
    attributes?: Record<string, AttributeCondition>;
    resource?: Record<string, AttributeCondition>;
  } = {};
  if (m.eventName !== undefined) out.eventName = eventNameGlobs(m.eventName, path, ctx);
  if (m.minSeverity !== undefined) out.minSeverity = severityNumber(m.minSeverity);
  if (m.attributes !== undefined) {
    out.attributes = resolveConditions(m.attributes);
    if (ctx.securityAttribute in m.attributes)
      ctx.problems.warn(
        'W_MATCH_SECURITY_ATTRIBUTE',
        [...path, 'attributes', ctx.securityAttribute],
        `matching on the security attribute ${ctx.securityAttribute} is redundant: only security records reach the streams`,
        'key',
      );
  }
  if (m.resource !== undefined) out.resource = resolveConditions(m.resource);
  if (Object.keys(out).length === 0)
    ctx.problems.warn(
      'W_EMPTY_MATCH',
      path,
      'match has no conditions, so this stream is a catch-all; remove match to say so',
    );
  return out;
}

/** The event-name globs, with a warning for each that looks like it carries parameters. */
function eventNameGlobs(
  written: string | readonly string[],
  path: readonly PathSegment[],
  ctx: SemanticContext,
): readonly string[] {
  const globs = typeof written === 'string' ? [written] : written;
  for (const g of globs) {
    if (g.includes(':'))
      ctx.problems.warn(
        'W_EVENT_NAME_PARAMS',
        [...path, 'eventName'],
        `event name glob "${g}" has a ":"; OpenTelemetry event names carry no parameters (put them in attributes)`,
      );
  }
  return globs;
}
