// Compiles a tabular expression of a query: a table, a let name, a function call, a subquery in
// parentheses, a pipeline, datatable, externaldata, materialize(), union, print and range.

import type { QueryEnv } from './query-env.js';
import { child, listElements, nameOf, operatorKeyword, type SyntaxNode } from './syntax.js';
import { compileQueryOperator } from './table-operators.js';
import { cached, type Tabular } from './tabular.js';
import { compileDataTable, compilePrint, compileRange } from './tabular-sources.js';
import { compileExternalData } from './external-data.js';
import { unionSource } from './union.js';
import { tableSchema, tableRows } from './source-table.js';
import { callFunction, type UserFunction } from './user-functions.js';

const TABULAR_KINDS: ReadonlySet<string> = new Set([
  'PipeExpression',
  'DataTableExpression',
  'ExternalDataExpression',
  'MaterializeExpression',
  'UnionOperator',
  'PrintOperator',
  'RangeOperator',
]);

function returnsTable(fn: UserFunction, seen: Set<UserFunction>): boolean {
  if (seen.has(fn)) return false;
  seen.add(fn);
  const local = new Map<string, boolean>();
  for (const p of fn.parameters) local.set(p.name, p.type === undefined);
  const lookup = (name: string): boolean | UserFunction | undefined => {
    if (local.has(name)) return local.get(name);
    const binding = fn.env.lookup(name);
    if (binding !== undefined) return binding.kind === 'function' ? binding.fn : binding.kind === 'tabular';
    if (fn.env.workspace.source.columns(name) !== undefined) return true;
    return fn.env.workspace.stored.get(name);
  };
  for (const statement of fn.lets) {
    const name = nameOf(child(statement, 'Name') ?? statement);
    const expr = child(statement, 'Expression');
    if (name !== undefined && expr !== undefined && expr.kind !== 'FunctionDeclaration')
      local.set(name, tabularBy(expr, lookup, seen));
  }
  return tabularBy(fn.expression, lookup, seen);
}

function tabularBy(
  node: SyntaxNode,
  lookup: (name: string) => boolean | UserFunction | undefined,
  seen: Set<UserFunction>,
): boolean {
  if (TABULAR_KINDS.has(node.kind)) return true;
  if (node.kind === 'ParenthesizedExpression') {
    const inner = child(node, 'Expression');
    return inner !== undefined && tabularBy(inner, lookup, seen);
  }
  const nameNode = node.kind === 'FunctionCallExpression' ? child(node, 'Name') : node;
  const name = nameNode === undefined ? undefined : nameOf(nameNode);
  if (name === undefined) return false;
  const found = lookup(name);
  if (typeof found === 'boolean') return found && node.kind !== 'FunctionCallExpression';
  return found !== undefined && returnsTable(found, seen);
}

/** Whether `node` stands for a table in `env` (else it is a scalar expression). */
export function isTabularNode(node: SyntaxNode, env: QueryEnv): boolean {
  const lookup = (name: string): boolean | UserFunction | undefined => {
    const binding = env.lookup(name);
    if (binding !== undefined) return binding.kind === 'function' ? binding.fn : binding.kind === 'tabular';
    if (env.workspace.source.columns(name) !== undefined) return true;
    return env.workspace.stored.get(name);
  };
  return tabularBy(node, lookup, new Set());
}

function unknownName(name: string, node: SyntaxNode, env: QueryEnv): Error {
  const tables = env.workspace.source.tables();
  const functions = env.workspace.stored.names();
  return env.reporter.error(
    'E_KQL_UNKNOWN_TABLE',
    `Failed to resolve table or function '${name}' (tables: ${tables.join(', ') || 'none'}; stored functions: ${functions.join(', ') || 'none'})`,
    node,
  );
}

function callTabular(
  fn: UserFunction,
  node: SyntaxNode,
  args: readonly SyntaxNode[],
  env: QueryEnv,
  piped?: Tabular,
): Tabular {
  const call = { node, args, scope: env.scope([]), ...(piped === undefined ? {} : { piped }) };
  const result = callFunction(fn, call, env);
  if (result.kind === 'tabular') return result.value;
  throw env.reporter.error('E_KQL_SEMANTIC', `${fn.label} returns a value, not a table`, node);
}

function tabularName(node: SyntaxNode, env: QueryEnv): Tabular {
  const name = nameOf(node);
  if (name === undefined)
    throw env.reporter.unsupported(
      `Table wildcards such as '${env.reporter.snippet(node)}' are not supported: name each table`,
      node,
    );
  const binding = env.lookup(name);
  if (binding?.kind === 'tabular') return binding.value;
  if (binding?.kind === 'scalar')
    throw env.reporter.error('E_KQL_SEMANTIC', `'${name}' is a value, not a table`, node);
  if (binding?.kind === 'function') return callTabular(binding.fn, node, [], env);
  const columns = env.workspace.source.columns(name);
  if (columns !== undefined) {
    const schema = tableSchema(columns);
    const source = env.workspace.source;
    return { schema, rows: () => tableRows(source.scan(name), schema) };
  }
  const stored = env.workspace.stored.get(name);
  if (stored !== undefined) return callTabular(stored, node, [], env);
  throw unknownName(name, node, env);
}

function functionCall(node: SyntaxNode, env: QueryEnv, piped?: Tabular): Tabular {
  const { reporter } = env;
  const name = nameOf(reporter.need(node, 'Name')) ?? '';
  const fn = env.resolveFunction(name);
  if (fn === undefined) {
    if (env.lookup(name) !== undefined || env.workspace.source.columns(name) !== undefined)
      throw reporter.error('E_KQL_SEMANTIC', `'${name}' is not a function, so it cannot be called`, node);
    throw unknownName(name, node, env);
  }
  const args = listElements(child(reporter.need(node, 'ArgumentList'), 'Expressions'));
  return callTabular(fn, node, args, env, piped);
}

function invoke(node: SyntaxNode, input: Tabular, env: QueryEnv): Tabular {
  const call = env.reporter.need(node, 'Function');
  if (call.kind !== 'FunctionCallExpression')
    throw env.reporter.unsupported(
      `invoke takes a function call, found '${env.reporter.snippet(call)}'`,
      call,
    );
  // The function may read its table more than once (Microsoft's testers do).
  return functionCall(call, env, cached(input));
}

function pipe(node: SyntaxNode, env: QueryEnv): Tabular {
  const { reporter } = env;
  const input = compileTabular(reporter.need(node, 'Expression'), env);
  const operator = reporter.need(node, 'Operator');
  if (operator.kind === 'InvokeOperator') return invoke(operator, input, env);
  const stage = compileQueryOperator(operator, env.scope(input.schema));
  return { schema: stage.schema, rows: (ctx) => stage.run(input.rows(ctx), ctx) };
}

const COMPILERS: ReadonlyMap<string, (node: SyntaxNode, env: QueryEnv) => Tabular> = new Map([
  ['PipeExpression', pipe],
  ['ParenthesizedExpression', (node, env) => compileTabular(env.reporter.need(node, 'Expression'), env)],
  ['NameReference', tabularName],
  ['BracketedName', tabularName],
  ['FunctionCallExpression', (node, env) => functionCall(node, env)],
  [
    'MaterializeExpression',
    (node, env) => cached(compileTabular(env.reporter.need(node, 'Expression'), env)),
  ],
  ['DataTableExpression', compileDataTable],
  ['ExternalDataExpression', compileExternalData],
  ['UnionOperator', (node, env) => unionSource(node, env)],
  ['PrintOperator', compilePrint],
  ['RangeOperator', compileRange],
]);

/** A tabular expression as a table; anything else is refused by name, with its position. */
export function compileTabular(node: SyntaxNode, env: QueryEnv): Tabular {
  const compile = COMPILERS.get(node.kind);
  if (compile !== undefined) return compile(node, env);
  throw env.reporter.unsupported(
    `Expected a table (a table or function name, a let name, a subquery, datatable, externaldata, union, print or range); '${operatorKeyword(node)}' is not supported here (found '${env.reporter.snippet(node)}')`,
    node,
  );
}
