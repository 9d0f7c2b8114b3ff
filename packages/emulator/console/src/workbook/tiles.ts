// A query item drawn as tiles: one tile per row with a title, a subtitle and a big value, from the
// item's tileSettings (titleContent, subtitleContent, leftContent: columnMatch) or else from the
// column types. Values are plain strings, shown with textContent. Pure (no DOM).

import { isRecord, stringField, textOf as text } from './json-fields.js';
import type { ResultShape } from './visualize.js';

export interface Tile {
  readonly title: string;
  readonly subtitle?: string;
  readonly value?: string;
}

const NUMERIC = new Set(['int', 'long', 'real', 'double', 'decimal']);
const MAX_TILES = 100;

export function tilesOf(result: ResultShape, tileSettings: unknown): Tile[] {
  const named = (key: string): number => {
    const settings = isRecord(tileSettings) ? tileSettings : {};
    const content = isRecord(settings[key]) ? settings[key] : {};
    const column = stringField(content, 'columnMatch');
    return column === undefined ? -1 : result.columns.findIndex((c) => c.name === column);
  };
  const texts = result.columns.flatMap((c, i) => (NUMERIC.has(c.type) ? [] : [i]));
  const numbers = result.columns.flatMap((c, i) => (NUMERIC.has(c.type) ? [i] : []));
  const titleAt = pick(named('titleContent'), texts[0]);
  const subtitleAt = pick(
    named('subtitleContent'),
    texts.find((i) => i !== titleAt),
  );
  const valueAt = pick(named('leftContent'), numbers[0]);
  return result.rows.slice(0, MAX_TILES).map((row) => {
    const tile: { title: string; subtitle?: string; value?: string } = {
      title: titleAt === undefined ? '' : text(row[titleAt]),
    };
    if (subtitleAt !== undefined) tile.subtitle = text(row[subtitleAt]);
    if (valueAt !== undefined) tile.value = text(row[valueAt]);
    return tile;
  });
}

function pick(named: number, fallback: number | undefined): number | undefined {
  return named >= 0 ? named : fallback;
}
