// Writes parameter values into a query or a text: `{Name}` and `{Name:format}`, as workbooks do.
// A reference to a name that is not a parameter stays as written (KQL has braces of its own); a
// parameter with no value, or a format this console does not know, is reported. Pure (no DOM).

import { formatValue, type ParameterValue, type SubstitutionContext } from './parameter-values.js';

export interface Substituted {
  readonly text: string;
  /** `Name` or `Name:format` references to parameters that could not be written. */
  readonly unresolved: readonly string[];
}

const REFERENCE = /\{([A-Za-z_][\w]*)(?::([A-Za-z$][\w$.]*))?\}/g;

export function substitute(
  text: string,
  values: ReadonlyMap<string, ParameterValue | undefined>,
  context: SubstitutionContext,
  now: Date,
): Substituted {
  const unresolved: string[] = [];
  const out = text.replace(REFERENCE, (whole, name: string, format: string | undefined) => {
    if (!values.has(name)) return whole;
    const value = values.get(name);
    const written = value === undefined ? undefined : formatValue(value, format, context, now);
    if (written === undefined) {
      unresolved.push(format === undefined ? name : `${name}:${format}`);
      return whole;
    }
    return written;
  });
  return { text: out, unresolved };
}

/** The parameter names a text refers to (`{Name}` or `{Name:format}`), for re-running on change. */
export function referencedNames(text: string): Set<string> {
  return new Set([...text.matchAll(REFERENCE)].map((m) => m[1] ?? ''));
}
