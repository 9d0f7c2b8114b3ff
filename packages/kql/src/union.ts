// union: the rows of several tables one after another, their columns merged by name and type
// as Kusto merges them (`kind=outer`, the default) or only those all share (`kind=inner`);
// `isfuzzy=true` skips tables and functions that do not exist; `withsource=Col` names each row's table.

import type { QueryContext, Scope } from './compiled.js';
import { compileExpr } from './expr.js';
import { KqlQueryError } from './errors.js';
import { child, listElements, nameOf, type SyntaxNode } from './syntax.js';
import type { TableStage } from './table-operators.js';
import type { Tabular } from './tabular.js';
import type { EvalContext, Schema, SchemaColumn, Tuple } from './types.js';

interface Leg {
  readonly name: string;
  readonly schema: Schema;
  readonly rows: (ctx: EvalContext) => Iterable<Tuple>;
}

interface UnionOptions {
  readonly kind: 'outer' | 'inner';
  readonly fuzzy: boolean;
  readonly withSource: string | undefined;
}

function options(node: SyntaxNode, env: QueryContext): UnionOptions {
  let kind: 'outer' | 'inner' = 'outer';
  let fuzzy = false;
  let withSource: string | undefined;
  for (const parameter of listElements(child(node, 'Parameters'))) {
    const name = (nameOf(env.reporter.need(parameter, 'Name')) ?? '').toLowerCase();
    const value = env.reporter.need(parameter, 'Expression');
    if (name === 'withsource') withSource = nameOf(value);
    else if (name === 'isfuzzy') fuzzy = compileExpr(value, env.scope([])).constant?.value === true;
    else if (name === 'kind' && (value.children[0]?.text ?? '').toLowerCase() === 'inner') kind = 'inner';
    else if (name !== 'kind')
      throw env.reporter.unsupported(
        `union: parameter '${env.reporter.snippet(parameter)}' is not supported`,
        parameter,
      );
  }
  return { kind, fuzzy, withSource };
}

function legName(node: SyntaxNode, index: number): string {
  const nameNode = node.kind === 'FunctionCallExpression' ? child(node, 'Name') : node;
  return (nameNode === undefined ? undefined : nameOf(nameNode)) ?? `union_arg${index}`;
}

/** The legs that resolve; with isfuzzy, a missing table or function (anywhere inside a leg) is skipped. */
function legs(node: SyntaxNode, env: QueryContext, fuzzy: boolean, first: number): Leg[] {
  const out: Leg[] = [];
  listElements(child(node, 'Expressions')).forEach((item, i) => {
    try {
      const table: Tabular = env.tabular(item);
      out.push({ name: legName(item, first + i), schema: table.schema, rows: table.rows });
    } catch (error) {
      if (!(fuzzy && error instanceof KqlQueryError && error.code === 'E_KQL_UNKNOWN_TABLE')) throw error;
    }
  });
  return out;
}

const keyOf = (c: SchemaColumn): string => `${c.name}\u0000${c.type}`;

/** Columns by name; a name with several types becomes `name_type` for each, as in Kusto. */
function mergedSchema(
  all: readonly Leg[],
  kind: 'outer' | 'inner',
): { columns: SchemaColumn[]; keys: string[] } {
  const types = new Map<string, Set<string>>();
  const found = new Map<string, SchemaColumn>();
  for (const leg of all) {
    for (const c of leg.schema) {
      types.set(c.name, (types.get(c.name) ?? new Set()).add(c.type));
      if (!found.has(keyOf(c))) found.set(keyOf(c), c);
    }
  }
  const keys = [...found.keys()].filter(
    (key) => kind === 'outer' || all.every((leg) => leg.schema.some((d) => keyOf(d) === key)),
  );
  const columns = keys.map((key) => {
    const c = found.get(key) ?? { name: key, type: 'dynamic' as const };
    const name = (types.get(c.name)?.size ?? 1) > 1 ? `${c.name}_${c.type}` : c.name;
    return c.hidden === true ? { name, type: c.type, hidden: true } : { name, type: c.type };
  });
  return { columns, keys };
}

function unionOf(all: readonly Leg[], opts: UnionOptions): Tabular {
  const merged = mergedSchema(all, opts.kind);
  const sources = all.map((leg) => {
    const positions = new Map(leg.schema.map((c, i) => [keyOf(c), i]));
    return merged.keys.map((key) => positions.get(key));
  });
  const blanks = merged.columns.map((c) => (c.type === 'string' ? '' : null));
  const prefix = opts.withSource === undefined ? [] : [{ name: opts.withSource, type: 'string' as const }];
  return {
    schema: [...prefix, ...merged.columns],
    rows: function* (ctx) {
      for (let l = 0; l < all.length; l++) {
        const leg = all[l];
        const from = sources[l];
        if (leg === undefined || from === undefined) continue;
        for (const row of leg.rows(ctx)) {
          const out = from.map((i, j) => (i === undefined ? blanks[j] : (row[i] ?? null)));
          yield prefix.length === 0 ? out : [leg.name, ...out];
        }
      }
    },
  };
}

/** `union A, B, …` where a query or a leg starts. */
export function unionSource(node: SyntaxNode, env: QueryContext): Tabular {
  const opts = options(node, env);
  const found = legs(node, env, opts.fuzzy, 0);
  if (found.length === 0)
    throw env.reporter.error('E_KQL_UNKNOWN_TABLE', 'union: none of its tables or functions exists', node);
  return unionOf(found, opts);
}

/** `T | union A, …`: the piped table is the first leg. */
export function unionOperator(node: SyntaxNode, scope: Scope, env: QueryContext): TableStage {
  const opts = options(node, env);
  let input: Iterable<Tuple> = [];
  const first: Leg = { name: 'union_arg0', schema: scope.schema, rows: () => input };
  const table = unionOf([first, ...legs(node, env, opts.fuzzy, 1)], opts);
  return {
    schema: table.schema,
    run: (rows, ctx) => {
      input = rows;
      return table.rows(ctx);
    },
  };
}
