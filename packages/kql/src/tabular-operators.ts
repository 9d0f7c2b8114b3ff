// The query operators that read other tables or reshape rows into several: join, lookup, union,
// mv-expand, mv-apply, getschema, project-reorder, serialize and as. Queries only: a DCR
// transform has no other table, so these are refused there.

import type { QueryContext, Scope } from './compiled.js';
import { join, lookup } from './join.js';
import { mvApply, mvExpand } from './mv-expand.js';
import { getSchema, passThrough, projectReorder } from './schema-operators.js';
import type { SyntaxNode } from './syntax.js';
import type { TableStage } from './table-operators.js';
import { unionOperator } from './union.js';

export const TABULAR_OPERATORS = [
  'join',
  'lookup',
  'union',
  'mv-expand',
  'mv-apply',
  'getschema',
  'project-reorder',
  'serialize',
  'as',
  'invoke',
] as const;

const COMPILERS: ReadonlyMap<string, (node: SyntaxNode, scope: Scope, query: QueryContext) => TableStage> =
  new Map<string, (node: SyntaxNode, scope: Scope, query: QueryContext) => TableStage>([
    ['JoinOperator', join],
    ['LookupOperator', lookup],
    ['UnionOperator', unionOperator],
    ['MvExpandOperator', (node, scope) => mvExpand(node, scope)],
    ['MvApplyOperator', (node, scope) => mvApply(node, scope)],
    ['GetSchemaOperator', (_node, scope) => getSchema(scope)],
    ['ProjectReorderOperator', (node, scope) => projectReorder(node, scope)],
    ['SerializeOperator', (node, scope) => passThrough(node, scope)],
    ['AsOperator', (_node, scope) => ({ schema: scope.schema, run: (rows) => rows })],
  ]);

/** One of these operators, or undefined when `node` is none of them or the scope is a transform's. */
export function compileTabularOperator(node: SyntaxNode, scope: Scope): TableStage | undefined {
  const compile = COMPILERS.get(node.kind);
  const query = scope.query;
  if (compile === undefined || query === undefined) return undefined;
  return compile(node, scope, query);
}
