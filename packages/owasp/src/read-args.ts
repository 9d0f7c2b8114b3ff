// Reads a helper's arguments against its event's parameters: each valid value cleaned, each
// problem named (never with the value in it), so the record can go out with what is valid and
// the app hears, once, what to fix.

import type { CompiledEvent } from './compile-event.js';
import { cleanString, cleanStrings } from './hygiene.js';
import type { ParamType } from './vocabulary.js';

/** The argument every helper takes besides its event's own. */
export const SESSION_ARG = 'sessionId';
/** At most this many unexpected argument names are listed for one call. */
const MAX_UNKNOWN_ARGS = 16;
const MAX_ARG_NAME_LENGTH = 64;

export type ArgValue = string | number | string[];

export interface ReadArgs {
  /** The cleaned value of each parameter, by its index in `event.params`; undefined when absent or invalid. */
  readonly values: (ArgValue | undefined)[];
  /** The raw session id argument: it is only ever hashed. */
  readonly sessionId: string | undefined;
  /** What was wrong, one phrase per field; undefined when nothing was. */
  readonly problems: string[] | undefined;
  /** The fields at fault, for `owasp.invalid_args`. */
  readonly fields: string[] | undefined;
}

const EXPECTED: Readonly<Record<ParamType, string>> = {
  string: 'a string',
  int: 'an integer',
  'string[]': 'an array of strings',
};

export function readArgs(event: CompiledEvent, args: unknown): ReadArgs {
  const values = new Array<ArgValue | undefined>(event.params.length);
  let problems: string[] | undefined;
  let fields: string[] | undefined;
  const flag = (field: string, problem: string): void => {
    (fields ??= []).push(field);
    (problems ??= []).push(problem);
  };

  const bag = isArgsObject(args) ? args : undefined;
  if (args !== undefined && bag === undefined)
    flag('(arguments)', `the arguments must be an object, got ${describeType(args)}`);

  for (let i = 0; i < event.params.length; i++) {
    const param = event.params[i];
    if (param === undefined) continue;
    const raw = bag !== undefined && Object.hasOwn(bag, param.name) ? bag[param.name] : undefined;
    if (raw === undefined) {
      if (param.required) flag(param.name, `${param.name} is required (${param.type}) but missing`);
      continue;
    }
    const value = cleanArg(param.type, raw);
    if (value === undefined)
      flag(param.name, `${param.name} must be ${EXPECTED[param.type]}, got ${describeType(raw)}`);
    else values[i] = value;
  }

  const sessionId = bag === undefined ? undefined : readOtherKeys(event, bag, flag);
  return { values, sessionId, problems, fields };
}

/**
 * The keys of `bag` that are not parameters of the event: the session id, read here, and
 * unknown arguments, each flagged (the first few).
 */
function readOtherKeys(
  event: CompiledEvent,
  bag: Readonly<Record<string, unknown>>,
  flag: (field: string, problem: string) => void,
): string | undefined {
  let sessionId: string | undefined;
  let unknown = 0;
  for (const key of Object.keys(bag)) {
    if (event.paramIndex.has(key)) continue;
    const raw = bag[key];
    if (raw === undefined) continue;
    if (key === SESSION_ARG) {
      if (typeof raw === 'string') sessionId = raw;
      else flag(SESSION_ARG, `${SESSION_ARG} must be a string, got ${describeType(raw)}`);
    } else if (unknown++ < MAX_UNKNOWN_ARGS) {
      const shown = shortName(key);
      flag(shown, `${shown} is not an argument of ${event.name}`);
    }
  }
  return sessionId;
}

function cleanArg(type: ParamType, raw: unknown): ArgValue | undefined {
  switch (type) {
    case 'string':
      return typeof raw === 'string' ? cleanString(raw) : undefined;
    case 'int':
      return typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : undefined;
    case 'string[]':
      return Array.isArray(raw) && raw.every((v) => typeof v === 'string') ? cleanStrings(raw) : undefined;
  }
}

function isArgsObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    return Number.isNaN(value) ? 'NaN' : 'a non-integer number';
  return typeof value;
}

/** A caller-chosen name (an argument or event name), cleaned and kept short, fit for a report. */
export function shortName(name: string): string {
  const clean = cleanString(name);
  return clean.length > MAX_ARG_NAME_LENGTH ? `${clean.slice(0, MAX_ARG_NAME_LENGTH)}…` : clean;
}
