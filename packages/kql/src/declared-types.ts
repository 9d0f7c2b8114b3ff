// Types written in a query: `col:type` in datatable, externaldata and function parameters.

import { child, firstToken, listElements, nameOf, type Reporter, type SyntaxNode } from './syntax.js';
import type { KqlType, SchemaColumn } from './types.js';

const TYPE_NAMES: ReadonlyMap<string, KqlType> = new Map<string, KqlType>([
  ['string', 'string'],
  ['int', 'int'],
  ['int32', 'int'],
  ['long', 'long'],
  ['int64', 'long'],
  ['real', 'real'],
  ['double', 'real'],
  ['decimal', 'real'],
  ['bool', 'bool'],
  ['boolean', 'bool'],
  ['datetime', 'datetime'],
  ['date', 'datetime'],
  ['timespan', 'timespan'],
  ['time', 'timespan'],
  ['dynamic', 'dynamic'],
  ['guid', 'guid'],
  ['uniqueid', 'guid'],
]);

/** A scalar type keyword (`string`, `long`, `datetime`, …) as the interpreter's type. */
export function declaredType(node: SyntaxNode, reporter: Reporter): KqlType {
  const token = node.kind === 'PrimitiveTypeExpression' ? child(node, 'Type') : firstToken(node);
  const type = token === undefined ? undefined : TYPE_NAMES.get(token.text.toLowerCase());
  if (type === undefined) throw reporter.unsupported(`Unsupported type '${reporter.snippet(node)}'`, node);
  return type;
}

/** `(a:string, b:long)` of datatable and externaldata, or a tabular parameter's schema. */
export function declaredColumns(schemaNode: SyntaxNode, reporter: Reporter): SchemaColumn[] | '*' {
  const out: SchemaColumn[] = [];
  for (const item of listElements(child(schemaNode, 'Columns'))) {
    if (item.kind === 'StarExpression') return '*';
    const name = nameOf(reporter.need(item, 'Name'));
    if (name === undefined)
      throw reporter.unsupported(`Unsupported column declaration '${reporter.snippet(item)}'`, item);
    out.push({ name, type: declaredType(reporter.need(item, 'Type'), reporter) });
  }
  return out;
}

/** Like `declaredColumns`, where `*` has no meaning (datatable, externaldata). */
export function fixedColumns(schemaNode: SyntaxNode, reporter: Reporter): SchemaColumn[] {
  const columns = declaredColumns(schemaNode, reporter);
  if (columns === '*') throw reporter.error('E_KQL_SYNTAX', 'A table needs named columns, not *', schemaNode);
  return columns;
}
