// Sample keys that are log-record fields rather than attributes (time, event name, severity,
// message), and the column each becomes, read from the record field the app should set.

import type { Field } from './collect-fields.js';
import { pascalName } from './column-names.js';
import { isEpoch, typeOfValue } from './infer-types.js';
import type { Planned } from './planned-column.js';
import { isRecord, show } from './values.js';

export type Role = 'time' | 'event' | 'severity' | 'body';

function keysFor(role: Role, keys: string): [string, Role][] {
  return keys.split(' ').map((k) => [k, role]);
}

const ROLE_KEYS = new Map<string, Role>([
  ...keysFor('time', 'timestamp time datetime @timestamp ts eventtime event_time timegenerated'),
  ...keysFor('event', 'event eventname event_name event.name'),
  ...keysFor('severity', 'level severity severitytext'),
  ...keysFor('body', 'message msg description body'),
]);

const OTLP_RECORD_ROLES = new Map<string, Role>([
  ...keysFor('time', 'timestamp'),
  ...keysFor('event', 'eventName'),
  ...keysFor('severity', 'severityText'),
  ...keysFor('body', 'body'),
]);

const ROLE_FIELD: Readonly<Record<Role, string>> = {
  time: 'timestamp',
  event: 'eventName',
  severity: 'severityText',
  body: 'body',
};

const ROLE_WORDS: Readonly<Record<Role, string>> = {
  time: 'timestamp',
  event: 'event name',
  severity: 'severity text',
  body: 'body',
};

/** Which role a field plays, if its key names one and its values fit it. */
export function roleOf(f: Field): Role | undefined {
  if (f.bag !== 'attributes' || f.otlpAttribute) return undefined;
  if (f.otlpRecord) return OTLP_RECORD_ROLES.get(f.key);
  const role = ROLE_KEYS.get(f.key.toLowerCase());
  if (role === undefined) return undefined;
  const present = f.values.filter((v) => v !== null && v !== '');
  if (present.length === 0) return undefined;
  return valuesFitRole(role, f.key, present) ? role : undefined;
}

/** Whether the (non-empty) values of a key can fill the role its name suggests. */
function valuesFitRole(role: Role, key: string, present: readonly unknown[]): boolean {
  switch (role) {
    case 'time':
      return (
        present.every((v) => typeof v === 'string' && typeOfValue('', v, false) === 'datetime') ||
        present.every(isEpoch)
      );
    case 'event':
    case 'severity':
      return present.every((v) => typeof v === 'string');
    case 'body':
      return present.every((v) => typeof v === 'string') || (key === 'body' && present.every(isRecord));
  }
}

export function planRole(role: Role, f: Field, notes: string[]): Planned {
  const from = ROLE_FIELD[role];
  const fromSample = f.otlpRecord ? '' : `sample key ${show(f.key)}`;
  if (!f.otlpRecord)
    notes.push(
      `Set the log record's ${ROLE_WORDS[role]} from ${show(f.key)}, not an attribute (the ${from} source reads it).`,
    );
  switch (role) {
    case 'time': {
      const epoch = f.values.some((v) => typeof v === 'number');
      const what = f.otlpRecord
        ? 'the record timestamp'
        : `the record timestamp (${fromSample}${epoch ? ', an epoch number' : ''})`;
      return { base: 'TimeGenerated', name: '', from, type: 'datetime', notes: [what], foldable: false };
    }
    case 'event':
      return {
        base: 'EventName',
        name: '',
        from,
        type: 'string',
        required: true,
        notes: [f.otlpRecord ? 'the record event name' : `the record event name (${fromSample})`],
        foldable: false,
      };
    case 'severity':
      return {
        base: pascalName(f.key),
        name: '',
        from,
        type: 'string',
        notes: [f.otlpRecord ? 'the record severity text' : `the record severity text (${fromSample})`],
        foldable: false,
      };
    case 'body':
      return planBody(f, from, fromSample);
  }
}

/** The body column: dynamic when any value is structured, else a string. */
function planBody(f: Field, from: string, fromSample: string): Planned {
  const structured = f.values.some((v) => typeof v !== 'string' && v !== null);
  return {
    base: f.key.toLowerCase() === 'description' ? 'Description' : structured ? 'Body' : 'Message',
    name: '',
    from,
    type: structured ? 'dynamic' : 'string',
    notes: [
      structured
        ? "structured body; body['k'] picks one key as a typed column"
        : f.otlpRecord
          ? 'the record body'
          : `the record body (${fromSample})`,
    ],
    foldable: false,
  };
}

/**
 * For an OWASP `name:params` event value, notes that the name goes in eventName and the parameters
 * in attributes, and returns the name.
 */
export function owaspEventName(f: Field, event: Planned, notes: string[]): string | undefined {
  const value = f.values.find((v): v is string => typeof v === 'string' && /^[A-Za-z][\w.-]*:./.test(v));
  if (value === undefined) return undefined;
  const at = value.indexOf(':');
  const name = value.slice(0, at);
  event.notes.push('OWASP "name:params" value: emit only the name, params as attributes');
  notes.push(
    `Event value ${show(value)} carries parameters after ":". OpenTelemetry event names must not hold dynamic values: emit event name ${show(name)} and put ${show(value.slice(at + 1))} in attributes (e.g. user.id).`,
  );
  return name;
}
