// A column on its way into the inferred mapping, before its final name is known, and how its
// source is written so the mapping loader reads it back as the same text.

import type { ColumnType } from '../types.js';

export interface Planned {
  base: string;
  name: string;
  from: string;
  type: ColumnType;
  required?: true;
  transform?: 'hmac-sha256';
  exclude?: string[];
  notes: string[];
  /** The attribute key the column reads, for the exclude list of AdditionalFields. */
  attribute?: string;
  /** May be folded into AdditionalFields when there are too many columns. */
  foldable: boolean;
}

/** A keyed source as the file writes it; see `literal`. */
export function sourceOf(bag: 'attributes' | 'resource', key: string): string {
  return literal(`${bag}['${key.replace(/[\\']/g, '\\$&')}']`);
}

/** Text the loader must not interpolate: it reads `${` as a variable and `$${` as a literal `${`. */
export function literal(text: string): string {
  return text.replace(/\$\{/g, () => '$${');
}
