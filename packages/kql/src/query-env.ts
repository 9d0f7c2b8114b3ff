// The names a query sees while it compiles (its lets, a function's parameters, the source's
// tables and stored functions) and what its expressions ask of them: tables, function calls,
// toscalar() and tabular `in (…)` lists.

import { typed, type Compiled, type QueryContext, type Scope } from './compiled.js';
import { compileExpr } from './expr.js';
import type { QuerySource } from './query.js';
import type { StoredFunctions } from './stored-functions.js';
import { child, listElements, nameOf, type Reporter, type SyntaxNode } from './syntax.js';
import { cached, type Tabular } from './tabular.js';
import { compileTabular, isTabularNode } from './tabular-expr.js';
import type { EvalContext, Schema } from './types.js';
import { callFunction, declareFunction, type UserFunction } from './user-functions.js';
import { toDynamic } from './values.js';

export type Binding =
  | { readonly kind: 'scalar'; readonly value: Compiled }
  | { readonly kind: 'tabular'; readonly value: Tabular }
  | { readonly kind: 'function'; readonly fn: UserFunction };

/** What every scope of one run shares. */
export interface Workspace {
  readonly source: QuerySource;
  readonly stored: StoredFunctions;
  /** The functions whose bodies are being compiled, outermost first (recursion is refused). */
  readonly calling: string[];
}

/** A value computed once per run. */
function once<T>(compute: (ctx: EvalContext) => T): (ctx: EvalContext) => T {
  const runs = new WeakMap<EvalContext, { value: T }>();
  return (ctx) => {
    let run = runs.get(ctx);
    if (run === undefined) {
      run = { value: compute(ctx) };
      runs.set(ctx, run);
    }
    return run.value;
  };
}

export class QueryEnv implements QueryContext {
  private scalars: Map<string, Compiled> | undefined;

  constructor(
    readonly workspace: Workspace,
    readonly reporter: Reporter,
    private readonly bindings: ReadonlyMap<string, Binding> = new Map(),
  ) {}

  withBindings(more: ReadonlyMap<string, Binding>): QueryEnv {
    return new QueryEnv(this.workspace, this.reporter, new Map([...this.bindings, ...more]));
  }

  lookup(name: string): Binding | undefined {
    return this.bindings.get(name);
  }

  /** A function by name: a `let` one, else a stored one (unless a `let` or table has the name). */
  resolveFunction(name: string): UserFunction | undefined {
    const binding = this.bindings.get(name);
    if (binding !== undefined) return binding.kind === 'function' ? binding.fn : undefined;
    if (this.workspace.source.columns(name) !== undefined) return undefined;
    return this.workspace.stored.get(name);
  }

  /** The env after `let` statements, each seeing the ones before it. */
  withLets(statements: readonly SyntaxNode[]): QueryEnv {
    return statements.reduce<QueryEnv>((env, statement) => env.withLet(statement), this);
  }

  private withLet(statement: SyntaxNode): QueryEnv {
    const { reporter } = this;
    const name = nameOf(reporter.need(statement, 'Name'));
    if (name === undefined)
      throw reporter.unsupported(`Unsupported let statement '${reporter.snippet(statement)}'`, statement);
    return this.withBindings(new Map([[name, this.bind(name, reporter.need(statement, 'Expression'))]]));
  }

  private bind(name: string, expr: SyntaxNode): Binding {
    if (expr.kind === 'FunctionDeclaration')
      return { kind: 'function', fn: declareFunction(name, `function '${name}'`, expr, this) };
    // A table named by a let is read once per run however often the query reads it.
    if (this.isTabular(expr)) return { kind: 'tabular', value: cached(this.tabular(expr)) };
    return { kind: 'scalar', value: compileExpr(expr, this.scope([])) };
  }

  isTabular(node: SyntaxNode): boolean {
    return isTabularNode(node, this);
  }

  scope(schema: Schema): Scope {
    if (this.scalars === undefined) {
      this.scalars = new Map();
      for (const [name, binding] of this.bindings)
        if (binding.kind === 'scalar') this.scalars.set(name, binding.value);
    }
    return { schema, reporter: this.reporter, mode: 'query', variables: this.scalars, query: this };
  }

  tabular(node: SyntaxNode): Tabular {
    return compileTabular(node, this);
  }

  callScalar(name: string, node: SyntaxNode, scope: Scope): Compiled | undefined {
    const fn = this.resolveFunction(name);
    if (fn === undefined) return undefined;
    const args = listElements(child(this.reporter.need(node, 'ArgumentList'), 'Expressions'));
    return this.scalarResult(fn, node, args, scope);
  }

  scalarName(name: string, node: SyntaxNode, scope: Scope): Compiled | undefined {
    const binding = this.bindings.get(name);
    if (
      binding?.kind === 'tabular' ||
      (binding === undefined && this.workspace.source.columns(name) !== undefined)
    ) {
      throw this.reporter.error(
        'E_KQL_SEMANTIC',
        `'${name}' is a table where a value is expected: use toscalar(${name}) for its first value`,
        node,
      );
    }
    const fn = this.resolveFunction(name);
    return fn === undefined ? undefined : this.scalarResult(fn, node, [], scope);
  }

  private scalarResult(
    fn: UserFunction,
    node: SyntaxNode,
    args: readonly SyntaxNode[],
    scope: Scope,
  ): Compiled {
    const result = callFunction(fn, { node, args, scope }, this);
    if (result.kind === 'scalar') return result.value;
    throw this.reporter.error(
      'E_KQL_SEMANTIC',
      `${fn.label} returns a table where a value is expected: use toscalar(${fn.name}(…)) for its first value`,
      node,
    );
  }

  toScalar(node: SyntaxNode): Compiled {
    const inner = this.reporter.need(node, 'Expression');
    if (!this.isTabular(inner)) {
      const value = compileExpr(inner, this.scope([]));
      const compute = once((ctx) => value.eval([], ctx));
      return typed(value.type, (_row, ctx) => compute(ctx));
    }
    const table = this.tabular(inner);
    const first = table.schema[0];
    if (first === undefined)
      throw this.reporter.error('E_KQL_SEMANTIC', 'toscalar() of a table without columns', node);
    const compute = once((ctx) => {
      for (const row of table.rows(ctx)) return row[0] ?? null;
      return first.type === 'string' ? '' : null;
    });
    return typed(first.type, (_row, ctx) => compute(ctx));
  }

  listOperand(node: SyntaxNode): Compiled | undefined {
    if (!this.isTabular(node)) return undefined;
    const table = this.tabular(node);
    const type = table.schema[0]?.type ?? 'dynamic';
    const compute = once((ctx) => {
      const values: unknown[] = [];
      for (const row of table.rows(ctx)) values.push(toDynamic(row[0] ?? null, type));
      return values;
    });
    return typed('dynamic', (_row, ctx) => compute(ctx));
  }
}
