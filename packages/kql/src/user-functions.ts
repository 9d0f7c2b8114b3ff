// User-defined functions (`let f = (a:long, T:(*)) { … };`) and stored ones: their parameters,
// binding a call's arguments (by position or by name, defaults, a piped table), and the body
// compiled for each call with the parameters bound.

import { constant, typed, type Compiled, type Scope } from './compiled.js';
import { declaredColumns, declaredType } from './declared-types.js';
import { compileExpr } from './expr.js';
import type { Binding, QueryEnv } from './query-env.js';
import { child, listElements, nameOf, type Reporter, type SyntaxNode } from './syntax.js';
import type { Tabular } from './tabular.js';
import { indexOfColumn, type KqlType, type SchemaColumn } from './types.js';
import { castTo, INVALID } from './values.js';

export interface Parameter {
  readonly name: string;
  readonly node: SyntaxNode;
  /** A scalar parameter's type; undefined for a tabular one. */
  readonly type: KqlType | undefined;
  /** A tabular parameter's declared columns, or '*' for any. */
  readonly columns?: readonly SchemaColumn[] | '*';
  readonly defaultValue?: SyntaxNode;
}

export interface UserFunction {
  readonly name: string;
  /** How messages name it: `function 'f'` or `stored function 'f'`. */
  readonly label: string;
  readonly parameters: readonly Parameter[];
  readonly lets: readonly SyntaxNode[];
  readonly expression: SyntaxNode;
  /** The names its body sees where it was defined (and the reporter of its text). */
  readonly env: QueryEnv;
}

/** The value a call gives: a table or a scalar, as its body's last expression is. */
export type CallResult =
  | { readonly kind: 'tabular'; readonly value: Tabular }
  | { readonly kind: 'scalar'; readonly value: Compiled };

function parameter(node: SyntaxNode, reporter: Reporter): Parameter {
  const declaration = reporter.need(node, 'NameAndType');
  const name = nameOf(reporter.need(declaration, 'Name'));
  if (name === undefined)
    throw reporter.unsupported(`Unsupported parameter '${reporter.snippet(node)}'`, node);
  const typeNode = reporter.need(declaration, 'Type');
  const defaultNode = child(node, 'DefaultValue');
  const defaultValue = defaultNode === undefined ? undefined : reporter.need(defaultNode, 'Value');
  const optional = defaultValue === undefined ? {} : { defaultValue };
  if (typeNode.kind === 'SchemaTypeExpression')
    return { name, node, type: undefined, columns: declaredColumns(typeNode, reporter), ...optional };
  return { name, node, type: declaredType(typeNode, reporter), ...optional };
}

/** A `FunctionDeclaration` node as a function defined in `env`. */
export function declareFunction(name: string, label: string, node: SyntaxNode, env: QueryEnv): UserFunction {
  const { reporter } = env;
  const parameters = listElements(child(reporter.need(node, 'Parameters'), 'Parameters')).map((p) =>
    parameter(p, reporter),
  );
  const body = reporter.need(node, 'Body');
  const statements = listElements(child(body, 'Statements'));
  const other = statements.find((s) => s.kind !== 'LetStatement');
  if (other !== undefined)
    throw reporter.unsupported(`${label}: only let statements may come before its result`, other);
  return { name, label, parameters, lets: statements, expression: reporter.need(body, 'Expression'), env };
}

/** A scalar argument as the parameter's type (Kusto converts what it can, else null). */
function asParameterType(value: Compiled, type: KqlType): Compiled {
  if (value.type === type) return value;
  if (value.constant !== undefined) {
    const v = castTo(value.constant.value, value.type, type);
    return constant(type, v === INVALID ? null : v);
  }
  const from = value.type;
  const evaluate = value.eval;
  return typed(type, (row, ctx) => {
    const v = castTo(evaluate(row, ctx), from, type);
    return v === INVALID ? null : v;
  });
}

interface Arguments {
  readonly positional: readonly SyntaxNode[];
  readonly named: ReadonlyMap<string, SyntaxNode>;
}

function splitArguments(fn: UserFunction, nodes: readonly SyntaxNode[], reporter: Reporter): Arguments {
  const positional: SyntaxNode[] = [];
  const named = new Map<string, SyntaxNode>();
  for (const node of nodes) {
    if (node.kind !== 'SimpleNamedExpression') {
      positional.push(node);
      continue;
    }
    const name = nameOf(reporter.need(node, 'Name')) ?? '';
    if (!fn.parameters.some((p) => p.name === name)) {
      const known = fn.parameters.map((p) => p.name).join(', ') || 'none';
      throw reporter.error(
        'E_KQL_SEMANTIC',
        `${fn.label} has no parameter '${name}' (parameters: ${known})`,
        node,
      );
    }
    named.set(name, reporter.need(node, 'Expression'));
  }
  if (positional.length > fn.parameters.length) {
    throw reporter.error(
      'E_KQL_SEMANTIC',
      `${fn.label} takes ${fn.parameters.length} argument(s), got ${positional.length}`,
      positional[fn.parameters.length],
    );
  }
  return { positional, named };
}

function tabularArgument(
  fn: UserFunction,
  p: Parameter,
  table: Tabular,
  node: SyntaxNode,
  reporter: Reporter,
): Binding {
  if (p.columns !== undefined && p.columns !== '*') {
    for (const column of p.columns) {
      if (indexOfColumn(table.schema, column.name) < 0) {
        throw reporter.error(
          'E_KQL_SEMANTIC',
          `${fn.label}: the table given as '${p.name}' lacks its column '${column.name}'`,
          node,
        );
      }
    }
  }
  return { kind: 'tabular', value: table };
}

/** What each parameter is bound to in the body: arguments, then the piped table, then defaults. */
function bindParameters(fn: UserFunction, call: FunctionCall, caller: QueryEnv): Map<string, Binding> {
  const reporter = caller.reporter;
  const args = splitArguments(fn, call.args, reporter);
  const bound = new Map<string, Binding>();
  let piped = call.piped;
  let position = 0;
  for (const p of fn.parameters) {
    if (p.type === undefined && piped !== undefined) {
      bound.set(p.name, tabularArgument(fn, p, piped, call.node, reporter));
      piped = undefined;
      continue;
    }
    const node = args.named.get(p.name) ?? args.positional[position++];
    if (node !== undefined) {
      if (p.type === undefined)
        bound.set(p.name, tabularArgument(fn, p, caller.tabular(node), node, reporter));
      else
        bound.set(p.name, { kind: 'scalar', value: asParameterType(compileExpr(node, call.scope), p.type) });
    } else if (p.defaultValue !== undefined && p.type !== undefined) {
      const value = compileExpr(p.defaultValue, fn.env.scope([]));
      bound.set(p.name, { kind: 'scalar', value: asParameterType(value, p.type) });
    } else {
      throw reporter.error(
        'E_KQL_SEMANTIC',
        `${fn.label}: argument '${p.name}' is missing and has no default`,
        call.node,
      );
    }
  }
  if (piped !== undefined)
    throw reporter.error('E_KQL_SEMANTIC', `${fn.label} takes no table to invoke it on`, call.node);
  return bound;
}

export interface FunctionCall {
  readonly node: SyntaxNode;
  readonly args: readonly SyntaxNode[];
  /** The caller's scope: scalar arguments compile in it (a row's columns for a call in `extend`). */
  readonly scope: Scope;
  /** The table on the left of `invoke`. */
  readonly piped?: Tabular;
}

/** Compiles the body of `fn` for one call; a function calling itself, directly or not, is refused. */
export function callFunction(fn: UserFunction, call: FunctionCall, caller: QueryEnv): CallResult {
  const stack = caller.workspace.calling;
  if (stack.includes(fn.label)) {
    throw caller.reporter.error(
      'E_KQL_SEMANTIC',
      `${fn.label} calls itself (${[...stack, fn.label].join(' → ')}); Kusto functions cannot be recursive`,
      call.node,
    );
  }
  stack.push(fn.label);
  try {
    const env = fn.env.withBindings(bindParameters(fn, call, caller)).withLets(fn.lets);
    if (env.isTabular(fn.expression)) return { kind: 'tabular', value: env.tabular(fn.expression) };
    return { kind: 'scalar', value: compileExpr(fn.expression, env.scope([])) };
  } finally {
    stack.pop();
  }
}
