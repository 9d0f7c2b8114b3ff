// Reads what the connector needs of an Azure-Sentinel analytic rule template (YAML) — its
// top-level keys and its requiredDataConnectors — and points those connectors at a solution's
// connector. The `yaml` library parses; the rewrite replaces only the connectorId values by their
// source ranges, so the rest of the file stays byte for byte.

import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';

export interface RequiredConnector {
  readonly connectorId: string;
  readonly dataTypes: readonly string[];
  /** Source offsets `[start, end)` of its connectorId value, or undefined when the entry has none. */
  readonly range: readonly [number, number] | undefined;
}

export interface RuleTemplate {
  /**
   * Each top-level key with its value: a scalar as text (a block scalar's text without its final
   * line breaks), or '' for a nested block (a list or a mapping).
   */
  readonly values: ReadonlyMap<string, string>;
  readonly connectors: readonly RequiredConnector[];
}

export type TemplateReading =
  | { readonly ok: true; readonly template: RuleTemplate }
  | { readonly ok: false; readonly problems: readonly string[] };

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.replace(/\n+$/, '');
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
}

function stringList(node: unknown): string[] {
  if (isSeq(node)) return node.items.map((i) => scalarText(i) ?? '').filter((t) => t !== '');
  const one = scalarText(node);
  return one === undefined || one === '' ? [] : [one];
}

function connectorsOf(node: unknown, problems: string[]): RequiredConnector[] {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    problems.push('requiredDataConnectors: expected a list of connectorId/dataTypes entries');
    return [];
  }
  const out: RequiredConnector[] = [];
  node.items.forEach((item, i) => {
    if (!isMap(item)) {
      problems.push(`requiredDataConnectors[${i}]: expected an entry with connectorId and dataTypes`);
      return;
    }
    const id = item.get('connectorId', true);
    const range = isScalar(id) && id.range ? ([id.range[0], id.range[1]] as const) : undefined;
    out.push({
      connectorId: scalarText(id) ?? '',
      dataTypes: stringList(item.get('dataTypes', true)),
      range,
    });
  });
  return out;
}

/** Reads the top-level keys and the required connectors of a rule template. */
export function readRuleTemplate(text: string): TemplateReading {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): string => `line ${lines.linePos(offset).line}`;
  if (doc.errors.length > 0)
    return {
      ok: false,
      problems: doc.errors.map((e) => `${at(e.pos[0])}: ${e.message.split('\n')[0] ?? e.message}`),
    };
  const root: Node | null = doc.contents;
  if (root === null) return { ok: false, problems: ['the file has no keys'] };
  if (!isMap(root)) return { ok: false, problems: ['the template is not a mapping of keys'] };
  const problems: string[] = [];
  const values = new Map<string, string>();
  let connectors: RequiredConnector[] = [];
  for (const pair of root.items) {
    const key = scalarText(pair.key);
    if (key === undefined) {
      problems.push('a top-level key is not a plain name');
      continue;
    }
    values.set(key, scalarText(pair.value) ?? '');
    if (key === 'requiredDataConnectors') connectors = connectorsOf(pair.value, problems);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, template: { values, connectors } };
}

/**
 * Sets the connectorId of every required connector whose dataTypes name one of `tables` to
 * `connectorId`, replacing only those values. Entries for other tables are kept as written.
 */
export function retargetConnectors(
  text: string,
  template: RuleTemplate,
  connectorId: string,
  tables: ReadonlySet<string>,
): string {
  const edits = template.connectors
    .filter((c) => c.range !== undefined && c.dataTypes.some((t) => tables.has(t)))
    .map((c) => c.range)
    .filter((r) => r !== undefined)
    .sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [start, end] of edits) out = out.slice(0, start) + connectorId + out.slice(end);
  return out;
}
