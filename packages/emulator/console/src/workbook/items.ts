// A workbook's items as the console renders them: markdown text (type 1), parameters (type 9),
// Log Analytics queries (type 3, queryType 0), and everything else as a placeholder naming what it
// is. Pure (no DOM).

import { isRecord, numberField, stringField, textOf } from './json-fields.js';
import { readParameters, type ParameterDef } from './parameter-model.js';

interface ItemBase {
  /** The item's place in the workbook's `items` (0-based): its data-testid is workbook-item-<index>. */
  readonly index: number;
  /** The item's `name`, when it has one. */
  readonly name?: string;
  /** The share of the row the item takes (`customWidth`, 1 to 100), when set. */
  readonly widthPercent?: number;
}

export interface MarkdownItem extends ItemBase {
  readonly kind: 'markdown';
  readonly markdown: string;
}

export interface ParametersItem extends ItemBase {
  readonly kind: 'parameters';
  readonly parameters: readonly ParameterDef[];
}

export interface QueryItem extends ItemBase {
  readonly kind: 'query';
  readonly title?: string;
  readonly query: string;
  /** As the workbook says: timechart, barchart, piechart, table, tiles, … (unset: table). */
  readonly visualization?: string;
  readonly timeParameter?: string;
  readonly timeContextMs?: number;
  readonly tileSettings?: unknown;
}

export interface UnsupportedItem extends ItemBase {
  readonly kind: 'unsupported';
  /** What the item is, in words: `group (type 12)`, `query of queryType 1 (Azure Resource Graph)`. */
  readonly what: string;
}

export type WorkbookItem = MarkdownItem | ParametersItem | QueryItem | UnsupportedItem;

/** Item types by number (Microsoft's workbook schema), for placeholders. */
const ITEM_TYPES: Readonly<Record<number, string>> = {
  1: 'text',
  2: 'text (legacy)',
  3: 'query',
  9: 'parameters',
  10: 'metric',
  11: 'links/tabs',
  12: 'group',
};

const QUERY_TYPES: Readonly<Record<number, string>> = {
  0: 'Log Analytics',
  1: 'Azure Resource Graph',
  8: 'Azure Resource Manager',
  10: 'Azure Resource Manager',
  12: 'merge',
};

/** The items of a workbook's content (`{ items: [...] }`); anything unreadable becomes a placeholder. */
export function workbookItems(content: unknown): WorkbookItem[] {
  const items = isRecord(content) && Array.isArray(content['items']) ? content['items'] : [];
  return items.map((item: unknown, index): WorkbookItem => {
    if (!isRecord(item)) return { kind: 'unsupported', index, what: 'an item that is not an object' };
    const base = itemBase(item, index);
    const body = isRecord(item['content']) ? item['content'] : {};
    const type = item['type'];
    if (type === 1) return { ...base, kind: 'markdown', markdown: stringField(body, 'json') ?? '' };
    if (type === 9) return { ...base, kind: 'parameters', parameters: readParameters(body) };
    if (type === 3) return queryItem(base, body);
    const label = typeof type === 'number' ? ITEM_TYPES[type] : undefined;
    const what = label === undefined ? `item type ${textOf(type)}` : `${label} (type ${textOf(type)})`;
    return { ...base, kind: 'unsupported', what };
  });
}

function itemBase(item: Readonly<Record<string, unknown>>, index: number): ItemBase {
  const name = stringField(item, 'name');
  const width = Number(stringField(item, 'customWidth') ?? Number.NaN);
  return {
    index,
    ...(name === undefined ? {} : { name }),
    ...(width > 0 && width <= 100 ? { widthPercent: width } : {}),
  };
}

function queryItem(base: ItemBase, body: Readonly<Record<string, unknown>>): WorkbookItem {
  const queryType = numberField(body, 'queryType') ?? 0;
  const query = stringField(body, 'query');
  if (queryType !== 0 || query === undefined) {
    const kind = QUERY_TYPES[queryType];
    const what =
      query === undefined
        ? 'query without a query text'
        : `query of queryType ${queryType}${kind === undefined ? '' : ` (${kind})`}`;
    return { ...base, kind: 'unsupported', what };
  }
  const title = stringField(body, 'title');
  const visualization = stringField(body, 'visualization');
  const timeParameter = stringField(body, 'timeContextFromParameter');
  const timeContextMs = isRecord(body['timeContext'])
    ? numberField(body['timeContext'], 'durationMs')
    : undefined;
  return {
    ...base,
    kind: 'query',
    query,
    ...(title !== undefined ? { title } : {}),
    ...(visualization !== undefined ? { visualization } : {}),
    ...(timeParameter !== undefined ? { timeParameter } : {}),
    ...(timeContextMs !== undefined ? { timeContextMs } : {}),
    ...(body['tileSettings'] !== undefined ? { tileSettings: body['tileSettings'] } : {}),
  };
}
