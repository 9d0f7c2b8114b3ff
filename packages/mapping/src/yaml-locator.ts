// Finds the line and column of a document path in parsed YAML/JSON, so problems found in the
// data can point at the text the user wrote.

import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node, Pair } from 'yaml';
import type { PathSegment } from './problems.js';

export interface Position {
  readonly line: number;
  readonly column: number;
  /** The file the position is in, when it is not the one being validated (a preset). */
  readonly file?: string;
}

export interface Locator {
  /** Position of the value at `path`, or of its key (`target: 'key'`); the nearest existing ancestor otherwise. */
  locate(path: readonly PathSegment[], target?: 'key' | 'value'): Position;
}

export const NO_POSITION: Position = { line: 0, column: 0 };

export const nullLocator: Locator = { locate: () => NO_POSITION };

export class YamlLocator implements Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number): Position {
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  locate(path: readonly PathSegment[], target: 'key' | 'value' = 'value'): Position {
    let node: unknown = this.doc.contents;
    let pair: Pair | undefined;
    let last: unknown = node;
    for (const seg of path) {
      pair = undefined;
      if (isMap(node)) {
        pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair === undefined) break;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        if (node === undefined) break;
      } else {
        break;
      }
      last = target === 'key' && pair !== undefined ? pair.key : node;
      if (node === null) break;
    }
    const range = (last as Node | null | undefined)?.range;
    return range ? this.at(range[0]) : { line: 1, column: 1 };
  }
}
