// Compiles a scalar expression of the syntax tree into a typed function of the row.

import { compileBinary } from './binary.js';
import { constant, typed, type Compiled, type Scope } from './compiled.js';
import { parseDateTime, parseTimespan } from './datetime.js';
import { declaredType } from './declared-types.js';
import { compileCall } from './functions.js';
import { asBool } from './operands.js';
import { child, listElements, nameOf, type SyntaxNode } from './syntax.js';
import { TypeLiteral } from './type-literal.js';
import { indexOfColumn, type KqlType } from './types.js';
import { castTo, INVALID } from './values.js';

const TYPED_LITERALS: ReadonlyMap<string, KqlType> = new Map([
  ['LongLiteralExpression', 'long'],
  ['IntLiteralExpression', 'int'],
  ['RealLiteralExpression', 'real'],
  ['DecimalLiteralExpression', 'real'],
  ['BooleanLiteralExpression', 'bool'],
  ['DateTimeLiteralExpression', 'datetime'],
  ['TimespanLiteralExpression', 'timespan'],
  ['GuidLiteralExpression', 'guid'],
]);

function literal(node: SyntaxNode, type: KqlType, scope: Scope): Compiled {
  const token = scope.reporter.need(node, 'Token');
  const text = token.value.trim();
  if (text === 'null') return constant(type, null);
  let value: unknown;
  switch (type) {
    case 'datetime':
      value = parseDateTime(text) ?? INVALID;
      break;
    case 'timespan':
      value = parseTimespan(text) ?? INVALID;
      break;
    case 'long':
    case 'int':
      value = text.toLowerCase().startsWith('0x') ? Number.parseInt(text, 16) : castTo(text, 'string', type);
      break;
    default:
      value = castTo(text, 'string', type);
  }
  if (value === INVALID) {
    throw scope.reporter.error('E_KQL_SYNTAX', `'${token.text}' is not a valid ${type} literal`, node);
  }
  return constant(type, value);
}

/** A JSON literal inside `dynamic(...)`. */
function json(node: SyntaxNode, scope: Scope): unknown {
  switch (node.kind) {
    case 'JsonObjectExpression': {
      const out: Record<string, unknown> = {};
      for (const pair of listElements(child(node, 'Pairs'))) {
        const name = scope.reporter.need(pair, 'Name').value;
        out[name] = json(scope.reporter.need(pair, 'Value'), scope);
      }
      return out;
    }
    case 'JsonArrayExpression':
      return listElements(child(node, 'Values')).map((v) => json(v, scope));
    case 'NullLiteralExpression':
      return null;
    case 'UnaryMinusExpression': {
      const inner = json(scope.reporter.need(node, 'Expression'), scope);
      if (typeof inner === 'number') return -inner;
      break;
    }
    default: {
      const type =
        TYPED_LITERALS.get(node.kind) ?? (node.kind === 'StringLiteralExpression' ? 'string' : undefined);
      if (type !== undefined) {
        const value = compileExpr(node, scope).constant?.value;
        return type === 'datetime' || type === 'timespan' ? castTo(value, type, 'string') : value;
      }
    }
  }
  throw scope.reporter.unsupported(`Unsupported dynamic literal '${scope.reporter.snippet(node)}'`, node);
}

function column(node: SyntaxNode, scope: Scope): Compiled {
  const name = nameOf(node) ?? '';
  const index = indexOfColumn(scope.schema, name);
  const col = scope.schema[index];
  if (col === undefined) {
    const variable = scope.variables?.get(name) ?? scope.query?.scalarName(name, node, scope);
    if (variable !== undefined) return variable;
    const known = scope.schema.filter((c) => c.hidden !== true).map((c) => c.name);
    throw scope.reporter.error(
      'E_KQL_UNKNOWN_COLUMN',
      `Failed to resolve column '${name}' (columns here: ${known.join(', ') || 'none'})`,
      node,
    );
  }
  return typed(col.type, (row) => row[index] ?? null);
}

function member(base: Compiled, key: Compiled, scope: Scope, node: SyntaxNode): Compiled {
  if (base.type !== 'dynamic') {
    throw scope.reporter.error(
      'E_KQL_SEMANTIC',
      `Only dynamic values have members, '${scope.reporter.snippet(node)}' is ${base.type}`,
      node,
    );
  }
  const object = base.eval;
  const selector = key.eval;
  return typed('dynamic', (row, ctx) => {
    const o = object(row, ctx);
    const k = selector(row, ctx);
    if (Array.isArray(o) && typeof k === 'number') return (o[k < 0 ? o.length + k : k] as unknown) ?? null;
    if (typeof o === 'object' && o !== null && !Array.isArray(o) && typeof k === 'string') {
      return Object.hasOwn(o, k) ? ((o as Record<string, unknown>)[k] ?? null) : null;
    }
    return null;
  });
}

/** `-x` and `+x`: numbers and timespans. */
function compileUnary(node: SyntaxNode, scope: Scope): Compiled {
  const { reporter } = scope;
  const inner = compileExpr(reporter.need(node, 'Expression'), scope);
  if (node.kind === 'UnaryPlusExpression') return inner;
  if (inner.type === 'timespan') {
    return typed('timespan', (row, ctx) => {
      const v = inner.eval(row, ctx) as bigint | null;
      return v === null ? null : -v;
    });
  }
  if (inner.type !== 'int' && inner.type !== 'long' && inner.type !== 'real') {
    throw reporter.error(
      'E_KQL_SEMANTIC',
      `Cannot negate a ${inner.type}: '${reporter.snippet(node)}'`,
      node,
    );
  }
  if (inner.constant !== undefined) {
    const v = inner.constant.value as number | null;
    return constant(inner.type, v === null ? null : -v);
  }
  return typed(inner.type, (row, ctx) => {
    const v = inner.eval(row, ctx) as number | null;
    return v === null ? null : -v;
  });
}

/** `Extra.ip`: a member of a dynamic value by name. */
function compilePath(node: SyntaxNode, scope: Scope): Compiled {
  const { reporter } = scope;
  const base = compileExpr(reporter.need(node, 'Expression'), scope);
  const name = nameOf(reporter.need(node, 'Selector'));
  if (name === undefined)
    throw reporter.unsupported(`Unsupported member access '${reporter.snippet(node)}'`, node);
  return member(base, constant('string', name), scope, node);
}

/** `Extra['user.id']`, `Tags[0]`: a member of a dynamic value by key or index. */
function compileElement(node: SyntaxNode, scope: Scope): Compiled {
  const { reporter } = scope;
  const base = compileExpr(reporter.need(node, 'Expression'), scope);
  const selector = reporter.need(node, 'Selector');
  const key = compileExpr(reporter.need(selector, 'Expression'), scope);
  return member(base, key, scope, node);
}

/** `typeof(long)`: a type as an argument (`extract(…, typeof(long))`). */
function compileTypeOf(node: SyntaxNode, scope: Scope): Compiled {
  const [only, ...more] = listElements(child(node, 'Types'));
  if (only === undefined || more.length > 0) {
    throw scope.reporter.unsupported(
      `Unsupported type '${scope.reporter.snippet(node)}': one type only`,
      node,
    );
  }
  return constant('dynamic', new TypeLiteral(declaredType(only, scope.reporter)));
}

function compileFunctionCall(node: SyntaxNode, scope: Scope): Compiled {
  const { reporter } = scope;
  const name = nameOf(reporter.need(node, 'Name')) ?? '';
  const user = scope.query?.callScalar(name, node, scope);
  if (user !== undefined) return user;
  const argNodes = listElements(child(reporter.need(node, 'ArgumentList'), 'Expressions'));
  const args = argNodes.map((a) => compileExpr(a, scope));
  return compileCall({ name, node, args, scope });
}

function compileToScalar(node: SyntaxNode, scope: Scope): Compiled {
  if (scope.query === undefined)
    throw scope.reporter.unsupported('toscalar() reads a table: queries only, not DCR transforms', node);
  return scope.query.toScalar(node, scope);
}

/** How each kind of expression node (other than typed literals and binary operators) compiles. */
const NODE_COMPILERS: ReadonlyMap<string, (node: SyntaxNode, scope: Scope) => Compiled> = new Map([
  ['StringLiteralExpression', (node, scope) => constant('string', scope.reporter.need(node, 'Token').value)],
  [
    'CompoundStringLiteralExpression',
    // 'it''s' is two adjacent literals that Kusto joins.
    (node) =>
      constant(
        'string',
        listElements(child(node, 'Tokens'))
          .map((t) => t.value)
          .join(''),
      ),
  ],
  ['NullLiteralExpression', () => constant('dynamic', null)],
  [
    'DynamicExpression',
    (node, scope) => constant('dynamic', json(scope.reporter.need(node, 'Expression'), scope)),
  ],
  ['ParenthesizedExpression', (node, scope) => compileExpr(scope.reporter.need(node, 'Expression'), scope)],
  ['NameReference', column],
  ['BracketedName', column],
  ['UnaryMinusExpression', compileUnary],
  ['UnaryPlusExpression', compileUnary],
  ['PathExpression', compilePath],
  ['ElementExpression', compileElement],
  ['FunctionCallExpression', compileFunctionCall],
  ['ToScalarExpression', compileToScalar],
  ['TypeOfLiteralExpression', compileTypeOf],
]);

export function compileExpr(node: SyntaxNode, scope: Scope): Compiled {
  const { reporter } = scope;
  const computed = scope.substitutes?.get(node);
  if (computed !== undefined) return computed;
  const literalType = TYPED_LITERALS.get(node.kind);
  if (literalType !== undefined) return literal(node, literalType, scope);
  const compileNode = NODE_COMPILERS.get(node.kind);
  if (compileNode !== undefined) return compileNode(node, scope);
  if (child(node, 'Left') !== undefined && child(node, 'Operator') !== undefined) {
    return compileBinary(node, scope, compileExpr);
  }
  throw reporter.unsupported(
    `Unsupported expression '${reporter.snippet(node)}' (${node.kind}): the emulator evaluates column references, ` +
      'literals, operators and the functions listed in its docs',
    node,
  );
}

/** A predicate for `where`, `countif()`, `iif()`: the expression must be bool. */
export function compilePredicate(node: SyntaxNode, scope: Scope): Compiled {
  const compiled = compileExpr(node, scope);
  return typed('bool', asBool(compiled, scope, node));
}
