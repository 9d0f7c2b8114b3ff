// Gathers each key's values across all samples, flattening nested objects into dotted attribute
// keys where their keys look like field names and keeping them whole where they look like data.

import { otlpSampleOf, realKeysOf } from './sample-text.js';
import { isRecord, show, UUID } from './values.js';
import type { JsonObject } from './values.js';
import { RESOURCE_COLUMNS } from './well-known-keys.js';

/** One attribute (or record field) as seen across the samples. */
export interface Field {
  readonly bag: 'attributes' | 'resource';
  readonly key: string;
  readonly values: unknown[];
  /** Some value was written as a fraction (`2.0`) or was an OTLP double. */
  real: boolean;
  /** An OTLP log-record field: `timestamp`, `eventName`, `severityText` or `body`. */
  otlpRecord: boolean;
  /** An attribute of an OTLP record: its name is its meaning, so no guessing from it. */
  otlpAttribute: boolean;
}

export interface Collected {
  readonly fields: Field[];
  readonly notes: string[];
}

export function collectFields(samples: readonly JsonObject[]): Collected {
  const notes: string[] = [];
  const keep = decideObjects(samples, notes);
  const fields = new Map<string, Field>();
  const field = (bag: Field['bag'], key: string): Field => {
    const id = `${bag}\u0000${key}`;
    let f = fields.get(id);
    if (f === undefined) {
      f = { bag, key, values: [], real: false, otlpRecord: false, otlpAttribute: false };
      fields.set(id, f);
    }
    return f;
  };
  const flattened = new Map<string, string[]>();
  for (const sample of samples) {
    const otlp = otlpSampleOf(sample);
    const reals = realKeysOf(sample);
    for (const [key, value] of Object.entries(sample)) {
      if (value === undefined) continue;
      if (otlp === undefined && isRecord(value) && keep.has(key)) {
        flatten(key, value, (path, v, real) => {
          const f = field('attributes', path);
          f.values.push(v);
          f.real ||= real;
          const list = flattened.get(key) ?? [];
          if (!list.includes(path)) list.push(path);
          flattened.set(key, list);
        });
        continue;
      }
      const f = field('attributes', key);
      f.values.push(value);
      f.real ||= reals?.has(key) === true;
      if (otlp?.recordKeys.has(key) === true) f.otlpRecord = true;
      else if (otlp !== undefined) f.otlpAttribute = true;
    }
    if (otlp !== undefined) {
      for (const key of RESOURCE_COLUMNS) {
        const v = otlp.resource[key];
        if (v !== undefined) field('resource', key).values.push(v);
      }
    }
  }
  notes.push(...flatteningNotes(flattened));
  return { fields: [...fields.values()], notes };
}

/** One note per nested object that was flattened, naming a few of its dotted keys. */
function flatteningNotes(flattened: ReadonlyMap<string, readonly string[]>): string[] {
  return [...flattened].map(([key, paths]) => {
    const shown = paths.slice(0, 3).map((p) => show(p));
    if (paths.length > 3) shown.push('…');
    return `Nested object ${show(key)} was flattened into dotted attributes (${shown.join(', ')}); if your app logs it as one map-valued attribute, use one dynamic column from attributes[${show(key)}] instead.`;
  });
}

/** Top-level keys whose object values are flattened into dotted attribute keys. */
function decideObjects(samples: readonly JsonObject[], notes: string[]): Set<string> {
  const flat = new Set<string>();
  const whole = new Map<string, string>();
  const scalar = new Set<string>();
  for (const sample of samples) {
    if (otlpSampleOf(sample) !== undefined) continue;
    for (const [key, value] of Object.entries(sample)) {
      if (isRecord(value)) {
        const why = whyNotFlat(value, 1);
        if (why !== undefined && !whole.has(key)) whole.set(key, why);
        flat.add(key);
      } else if (value !== null && value !== undefined) scalar.add(key);
    }
  }
  for (const key of flat) {
    const why =
      whole.get(key) ?? (scalar.has(key) ? 'it is an object in some samples and not in others' : undefined);
    if (why === undefined) continue;
    flat.delete(key);
    notes.push(`Nested object ${show(key)} is kept whole as one dynamic column because ${why}.`);
  }
  return flat;
}

function flatten(
  prefix: string,
  value: JsonObject,
  emit: (path: string, v: unknown, real: boolean) => void,
): void {
  const reals = realKeysOf(value);
  for (const [k, v] of Object.entries(value)) {
    const path = `${prefix}.${k}`;
    if (isRecord(v)) flatten(path, v, emit);
    else if (v !== undefined) emit(path, v, reals?.has(k) === true);
  }
}

/** Object keys that look like data rather than field names: ids, numbers, addresses, text. */
function looksLikeData(key: string): boolean {
  return (
    key === '' ||
    key.length > 64 ||
    /^[0-9]/.test(key) ||
    /[\s/:@\\]/.test(key) ||
    UUID.test(key) ||
    /^(?=.*[0-9])[0-9a-f]{8,}$/i.test(key)
  );
}

const MAX_FLAT_DEPTH = 3;
const MAX_FLAT_KEYS = 20;

/** Why a nested object must stay one dynamic column, or undefined when it can be flattened. */
function whyNotFlat(value: JsonObject, depth: number): string | undefined {
  const entries = Object.entries(value);
  if (entries.length === 0) return 'it is empty';
  if (entries.length > MAX_FLAT_KEYS) return `it has more than ${MAX_FLAT_KEYS} keys`;
  for (const [k, v] of entries) {
    if (looksLikeData(k)) return `its keys look like data (${show(k, 30)})`;
    if (isRecord(v)) {
      if (depth >= MAX_FLAT_DEPTH) return `it nests deeper than ${MAX_FLAT_DEPTH} levels`;
      const why = whyNotFlat(v, depth + 1);
      if (why !== undefined) return why;
    }
  }
  return undefined;
}
