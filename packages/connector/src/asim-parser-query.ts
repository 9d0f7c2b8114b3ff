// The KQL of a generated ASIM parser, in the shape of Microsoft's: `let parser = (params) { table
// | where not(disabled) | pre-filters on the table's columns | extend fields | filters on fields |
// extend the rest | project-away };` then a call of `parser` with the function's own parameters.
// A parameter still at its default filters nothing.

import type { AsimSchemaName } from '@otel-sentinel/mapping';
import { kqlName, stringList } from './asim-kql-text.js';
import { parserFields, type FieldExprs, type ParserFields, type ParserSource } from './asim-parser-fields.js';
import { parserParams, STANDARD_PARAMS, type ParserParam, type StandardParam } from './asim-parser-params.js';

const INDENT = '    ';

/** The condition of one filter parameter, reading each field through `read` (undefined: not there). */
function condition(p: StandardParam, read: (field: string) => string | undefined): string | undefined {
  const f = p.filter;
  if (f.kind === 'time') return undefined;
  if (f.kind === 'equals') {
    const field = read(f.fields[0] ?? '');
    return field === undefined ? `${p.name} == '*'` : `(${p.name} == '*' or ${field} =~ ${p.name})`;
  }
  const fields = f.fields.map(read).filter((x): x is string => x !== undefined);
  const test = f.kind === 'matching' ? f.test : f.kind;
  const one = (field: string): string =>
    test === 'prefix'
      ? `has_any_ipv4_prefix(${field}, ${p.name})`
      : test === 'in'
        ? `${field} in~ (${p.name})`
        : `${field} has_any (${p.name})`;
  const empty = `array_length(${p.name}) == 0`;
  return fields.length === 0 ? empty : `(${empty} or ${fields.map(one).join(' or ')})`;
}

/** Can a filter run on the table's columns before extending (all its fields straight columns)? */
function isDirect(p: StandardParam, fields: ParserFields): boolean {
  const f = p.filter;
  if (f.kind === 'time') return false;
  return f.fields.every((x) => fields.direct.has(x) || !fields.own.has(x));
}

function whereLines(conditions: readonly string[]): string[] {
  if (conditions.length === 0) return [];
  return [`| where ${conditions[0] ?? ''}`, ...conditions.slice(1).map((c) => `${INDENT}and ${c}`)];
}

function extendLines(exprs: FieldExprs): string[] {
  const items = [...exprs].filter(([name, expr]) => name !== expr);
  if (items.length === 0) return [];
  return [
    '| extend',
    ...items.map(
      ([name, expr], i) => `${INDENT}${kqlName(name)} = ${expr}${i < items.length - 1 ? ',' : ''}`,
    ),
  ];
}

/** The filters of a filtering parser: before extending (on columns) and after (on fields). */
function filterLines(schema: AsimSchemaName, fields: ParserFields): { pre: string[]; post: string[] } {
  const params = STANDARD_PARAMS[schema];
  const pre = [
    '(isnull(starttime) or TimeGenerated >= starttime)',
    '(isnull(endtime) or TimeGenerated <= endtime)',
  ];
  const post: string[] = [];
  for (const p of params) {
    if (isDirect(p, fields)) {
      const c = condition(p, (f) => {
        const column = fields.direct.get(f);
        return column === undefined ? undefined : kqlName(column);
      });
      if (c !== undefined) pre.push(c);
    } else {
      const c = condition(p, (f) => (fields.own.has(f) ? f : undefined));
      if (c !== undefined) post.push(c);
    }
  }
  return { pre: whereLines(pre), post: whereLines(post) };
}

/** `ASimMatchingUsername` / `ASimMatchingIpAddr`: which of the two fields the list matched. */
function matchingLines(schema: AsimSchemaName, fields: ParserFields): string[] {
  const lines: string[] = [];
  for (const p of STANDARD_PARAMS[schema]) {
    const f = p.filter;
    if (f.kind !== 'matching') continue;
    const [a, b] = f.fields.map((x) => (fields.own.has(x) ? x : undefined));
    const test = (x: string): string =>
      f.test === 'prefix' ? `has_any_ipv4_prefix(${x}, ${p.name})` : `${x} has_any (${p.name})`;
    const arms = [`array_length(${p.name}) == 0, '-'`];
    if (a !== undefined && b !== undefined) arms.push(`${test(a)} and ${test(b)}, 'Both'`);
    if (a !== undefined) arms.push(`${test(a)}, '${a}'`);
    if (b !== undefined) arms.push(`${test(b)}, '${b}'`);
    lines.push(`| extend ${f.sets} = case(${arms.join(', ')}, 'No match')`);
  }
  return lines;
}

/**
 * Table columns the parser does not emit as ASIM fields: packed into AdditionalFields on request,
 * then projected away, as Microsoft's parsers keep only schema fields.
 */
function extraColumns(src: ParserSource, fields: ParserFields): string[] {
  const emitted = new Set([
    ...fields.own.keys(),
    ...fields.standard.keys(),
    ...fields.derived.keys(),
    ...fields.companions.keys(),
  ]);
  // TimeGenerated is the table's own, an ASIM field without a role; AdditionalFields is where
  // the others go.
  return src.table.columns
    .map((c) => c.name)
    .filter((n) => !emitted.has(n) && n !== 'TimeGenerated' && n !== 'AdditionalFields');
}

function packLines(extra: readonly string[], hasAdditional: boolean): string[] {
  if (extra.length === 0) return [];
  const bag = `bag_pack(${extra.map((c) => `'${c}', ${kqlName(c)}`).join(', ')})`;
  const packed = hasAdditional ? `bag_merge(AdditionalFields, ${bag})` : bag;
  return [
    `| extend AdditionalFields = iff(pack, ${packed}, ${hasAdditional ? 'AdditionalFields' : 'dynamic(null)'})`,
    `| project-away ${extra.map(kqlName).join(', ')}`,
  ];
}

/** The parser's body lines, inside `let parser = (…) { … }`. */
function bodyLines(src: ParserSource, filtering: boolean): string[] {
  const fields = parserFields(src);
  const schema = src.schema.schema;
  const events = src.schema.events.map((e) => e.name);
  const filters = filtering ? filterLines(schema, fields) : { pre: [], post: [] };
  const extra = extraColumns(src, fields);
  const hasAdditional =
    fields.own.has('AdditionalFields') ||
    src.table.columns.some((c) => c.name === 'AdditionalFields' && c.type === 'dynamic');
  return [
    kqlName(src.table.name),
    '| where not(disabled)',
    `| where ${kqlName(src.spec.eventColumn)} in (${stringList(events)})`,
    ...filters.pre,
    ...extendLines(fields.own),
    ...filters.post,
    ...(filtering ? matchingLines(schema, fields) : []),
    ...extendLines(fields.standard),
    ...extendLines(fields.derived),
    ...extendLines(fields.companions),
    ...packLines(extra, hasAdditional),
  ];
}

function header(params: readonly ParserParam[]): string {
  return `(\n${params.map((p) => `${INDENT}${p.name}: ${p.type} = ${p.default}`).join(',\n')}\n)`;
}

/** The `ParserQuery` of a parser over one table. */
export function parserQuery(src: ParserSource, filtering: boolean): string {
  const params = parserParams(src.schema.schema, filtering ? 'filtering' : 'parameterless');
  const body = bodyLines(src, filtering).map((l) => `${INDENT}${l}`);
  const call = params.map((p) => `${p.name}=${p.name}`).join(', ');
  return [`let parser = ${header(params)}`, '{', ...body, '};', `parser(${call})`, ''].join('\n');
}

/** The query of a custom unifier: every stream's parser of the schema, in one fuzzy union. */
export function unifierQuery(parserNames: readonly string[], params: readonly ParserParam[]): string {
  const call = params.map((p) => `${p.name}=${p.name}`).join(', ');
  return ['union isfuzzy=true', parserNames.map((n) => `${INDENT}${n}(${call})`).join(',\n'), ''].join('\n');
}
