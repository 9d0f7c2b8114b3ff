// Valid arguments for any vocabulary event, derived from its parameter table, and the record the
// documentation says such a call produces, computed independently of the package's emitter.

import { createHmac } from 'node:crypto';

import type { OwaspEvent, OwaspParam } from '../../src/index.js';

export type SampleValue = string | number | readonly string[];
export type SampleArgs = Record<string, SampleValue>;

const SEVERITY_NUMBERS = { INFO: 9, WARN: 13, CRITICAL: 18 } as const;

export function sampleValue(event: OwaspEvent, param: OwaspParam): SampleValue {
  if (event.name === 'upload_validation' && param.name === 'result') return 'passed';
  switch (param.type) {
    case 'int':
      return 7;
    case 'string[]':
      return [`${param.name}-one`, `${param.name}-two`];
    case 'string':
      return `${param.name}-${event.name}`;
  }
}

/** Every parameter, or only the required ones. */
export function sampleArgs(event: OwaspEvent, which: 'all' | 'required'): SampleArgs {
  const args: SampleArgs = {};
  for (const param of event.params)
    if (which === 'all' || param.required) args[param.name] = sampleValue(event, param);
  return args;
}

/** The documented body: the description with each {name} from the arguments, else the context. */
export function expectedBody(
  event: OwaspEvent,
  args: SampleArgs,
  context: Readonly<Record<string, string>> = {},
): string {
  return event.description.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = args[name] ?? context[name];
    if (value === undefined) return 'unknown';
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

export function expectedSeverity(level: 'INFO' | 'WARN' | 'CRITICAL'): number {
  return SEVERITY_NUMBERS[level];
}

/** Each argument at its attribute. */
export function expectedParamAttributes(event: OwaspEvent, args: SampleArgs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const param of event.params) {
    const value = args[param.name];
    if (value !== undefined) out[param.attribute] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}

export function hmacHex(key: string, value: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(value, 'utf8').digest('hex');
}
