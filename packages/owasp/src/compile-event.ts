// Turns each vocabulary entry into what an emit needs, once per process: the fixed attributes,
// the description split into text and placeholders, and where each argument goes, so an emit is a
// straight pass over arrays with nothing parsed or built from the table.

import { OtelSentinelError } from '@otel-sentinel/mapping';
import { CONTEXT_FIELDS } from './context.js';
import type { ContextField } from './context.js';
import { OWASP_EVENTS, resultOf } from './vocabulary.js';
import type { OwaspCategory, OwaspEvent, OwaspLevel, OwaspParam, OwaspResult } from './vocabulary.js';

/** A piece of an event's body: fixed text, or a placeholder read from an argument and/or the context. */
export type TemplatePart =
  | { readonly text: string; readonly param: -1; readonly field: undefined }
  | { readonly text: ''; readonly param: number; readonly field: ContextField | undefined };

/** How an event's level and result change with an argument (`upload_validation`'s FAILED). */
interface Escalation {
  readonly param: number;
  /** The argument value, lower-cased, that escalates. */
  readonly value: string;
  readonly level: OwaspLevel;
  readonly result: OwaspResult;
}

export interface CompiledEvent {
  readonly name: string;
  readonly category: OwaspCategory;
  readonly level: OwaspLevel;
  readonly result: OwaspResult;
  readonly params: readonly OwaspParam[];
  /** Argument name → index in `params`. */
  readonly paramIndex: ReadonlyMap<string, number>;
  readonly template: readonly TemplatePart[];
  readonly escalation: Escalation | undefined;
}

/** Thrown at start-up when a description names a placeholder that is neither a parameter nor a context field. */
export class VocabularyError extends OtelSentinelError {
  declare readonly code: 'E_VOCABULARY';
  constructor(message: string) {
    super('E_VOCABULARY', message);
  }
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

export function compileEvent(event: OwaspEvent): CompiledEvent {
  const paramIndex = new Map(event.params.map((p, i) => [p.name, i] as const));
  const escalation = escalationOf(event, paramIndex);
  return {
    name: event.name,
    category: event.category,
    level: event.level,
    result: resultOf(event),
    params: event.params,
    paramIndex,
    template: compileTemplate(event, paramIndex),
    escalation,
  };
}

function compileTemplate(event: OwaspEvent, paramIndex: ReadonlyMap<string, number>): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of event.description.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? '';
    const param = paramIndex.get(name) ?? -1;
    const field = CONTEXT_FIELDS.find((f) => f === name);
    if (param < 0 && field === undefined)
      throw new VocabularyError(
        `${event.name}: the description's {${name}} is neither a parameter nor a context field`,
      );
    if (m.index > last)
      parts.push({ text: event.description.slice(last, m.index), param: -1, field: undefined });
    parts.push({ text: '', param, field });
    last = m.index + m[0].length;
  }
  if (last < event.description.length)
    parts.push({ text: event.description.slice(last), param: -1, field: undefined });
  return parts;
}

// The vocabulary's one level that depends on a value: upload_validation is CRITICAL when FAILED.
function escalationOf(event: OwaspEvent, paramIndex: ReadonlyMap<string, number>): Escalation | undefined {
  if (event.name !== 'upload_validation') return undefined;
  const param = paramIndex.get('result');
  if (param === undefined) throw new VocabularyError('upload_validation: the result parameter is missing');
  return { param, value: 'failed', level: 'CRITICAL', result: 'Failure' };
}

let compiled: ReadonlyMap<string, CompiledEvent> | undefined;

/** Every vocabulary event, compiled once per process, by OWASP name. */
export function compiledEvents(): ReadonlyMap<string, CompiledEvent> {
  compiled ??= new Map(OWASP_EVENTS.map((e) => [e.name, compileEvent(e)] as const));
  return compiled;
}
