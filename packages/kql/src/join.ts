// join and lookup: rows of the piped table matched with rows of another on equal keys
// (`on Col`, `on $left.A == $right.B`), in each of Kusto's join kinds.

import type { QueryContext, Scope } from './compiled.js';
import { child, listElements, nameOf, type Reporter, type SyntaxNode } from './syntax.js';
import type { TableStage } from './table-operators.js';
import type { Tabular } from './tabular.js';
import {
  indexOfColumn,
  isNumeric,
  type KqlType,
  type Schema,
  type SchemaColumn,
  type Tuple,
} from './types.js';
import { valueKey } from './values.js';

const JOIN_KINDS = [
  'innerunique',
  'inner',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftanti',
  'rightanti',
  'leftsemi',
  'rightsemi',
] as const;
type JoinKind = (typeof JOIN_KINDS)[number];
const ALIASES: ReadonlyMap<string, JoinKind> = new Map([
  ['anti', 'leftanti'],
  ['leftantisemi', 'leftanti'],
  ['rightantisemi', 'rightanti'],
]);

interface Keys {
  readonly left: readonly number[];
  readonly right: readonly number[];
}

function kindOf(
  node: SyntaxNode,
  reporter: Reporter,
  allowed: readonly string[],
  fallback: JoinKind,
): JoinKind {
  let kind = fallback;
  for (const parameter of listElements(child(node, 'Parameters'))) {
    const name = (nameOf(reporter.need(parameter, 'Name')) ?? '').toLowerCase();
    // Hints change how the service runs a join, never its result.
    if (name.startsWith('hint.')) continue;
    const value = (reporter.need(parameter, 'Expression').children[0]?.text ?? '').toLowerCase();
    const found = ALIASES.get(value) ?? JOIN_KINDS.find((k) => k === value);
    if (name !== 'kind' || found === undefined || !allowed.includes(found)) {
      throw reporter.unsupported(
        `'${reporter.snippet(parameter)}' is not supported (kinds: ${allowed.join(', ')})`,
        parameter,
      );
    }
    kind = found;
  }
  return kind;
}

function column(schema: Schema, name: string, node: SyntaxNode, reporter: Reporter, side: string): number {
  const index = indexOfColumn(schema, name);
  if (index < 0) {
    const known = schema.filter((c) => c.hidden !== true).map((c) => c.name);
    throw reporter.error(
      'E_KQL_UNKNOWN_COLUMN',
      `Failed to resolve column '${name}' on the ${side} side (columns there: ${known.join(', ') || 'none'})`,
      node,
    );
  }
  return index;
}

function sideName(node: SyntaxNode, side: '$left' | '$right'): string | undefined {
  if (node.kind !== 'PathExpression') return undefined;
  const base = child(node, 'Expression');
  const selector = child(node, 'Selector');
  if (base === undefined || selector === undefined || nameOf(base) !== side) return undefined;
  return nameOf(selector);
}

/** The left and right column names one `on` item compares. */
function keyNames(item: SyntaxNode, reporter: Reporter): { left: string; right: string } {
  let l = nameOf(item);
  let r = l;
  if (item.kind === 'EqualExpression') {
    const a = reporter.need(item, 'Left');
    const b = reporter.need(item, 'Right');
    l = sideName(a, '$left') ?? sideName(b, '$left');
    r = sideName(b, '$right') ?? sideName(a, '$right');
  }
  if (l === undefined || r === undefined) {
    throw reporter.unsupported(
      `Join keys are 'Col' or '$left.A == $right.B', found '${reporter.snippet(item)}'`,
      item,
    );
  }
  return { left: l, right: r };
}

/** Numbers of any width match; a dynamic key matches by value (the ASIM data tester joins a dynamic EventSchema on a string). */
function comparable(a: KqlType, b: KqlType): boolean {
  return a === b || (isNumeric(a) && isNumeric(b)) || a === 'dynamic' || b === 'dynamic';
}

/** `on A, $left.B == $right.C`: the key columns of each side, of matching types. */
function joinKeys(clause: SyntaxNode, left: Schema, right: Schema, reporter: Reporter): Keys {
  const keys = { left: [] as number[], right: [] as number[] };
  for (const item of listElements(child(clause, 'Expressions'))) {
    const names = keyNames(item, reporter);
    const li = column(left, names.left, item, reporter, 'left');
    const ri = column(right, names.right, item, reporter, 'right');
    const lt = left[li]?.type ?? 'dynamic';
    const rt = right[ri]?.type ?? 'dynamic';
    if (!comparable(lt, rt)) {
      throw reporter.error(
        'E_KQL_SEMANTIC',
        `Join key '${reporter.snippet(item)}' compares ${lt} with ${rt}`,
        item,
      );
    }
    keys.left.push(li);
    keys.right.push(ri);
  }
  if (keys.left.length === 0) throw reporter.error('E_KQL_SYNTAX', 'A join needs keys: on Col', clause);
  return keys;
}

/** A key equal for equal values; null keys match nothing, as in Kusto. */
function keyOf(row: Tuple, indexes: readonly number[]): string | undefined {
  const parts: string[] = [];
  for (const i of indexes) {
    const v = row[i] ?? null;
    if (v === null) return undefined;
    parts.push(
      typeof v === 'bigint' && v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER
        ? `n${v}`
        : valueKey(v),
    );
  }
  return parts.join('\u0001');
}

/** The right side's columns after the left's, a clashing name taking the first free `Name1`, `Name2`, … */
function appended(left: Schema, right: readonly SchemaColumn[]): SchemaColumn[] {
  const taken = new Set(left.map((c) => c.name));
  return right.map((c) => {
    let name = c.name;
    for (let n = 1; taken.has(name); n++) name = `${c.name}${n}`;
    taken.add(name);
    return c.hidden === true ? { name, type: c.type, hidden: true } : { name, type: c.type };
  });
}

const blank = (schema: readonly SchemaColumn[]): unknown[] =>
  schema.map((c) => (c.type === 'string' ? '' : null));

interface Matching {
  readonly kind: JoinKind;
  readonly keys: Keys;
  /** The right columns kept in the output (all for join, none of the keys for lookup). */
  readonly rightKept: readonly number[];
}

const PAIRING: ReadonlySet<JoinKind> = new Set([
  'innerunique',
  'inner',
  'leftouter',
  'rightouter',
  'fullouter',
]);

function indexByKey(rows: readonly Tuple[], key: readonly number[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const k = keyOf(row, key);
    if (k === undefined) return;
    const list = byKey.get(k);
    if (list === undefined) byKey.set(k, [i]);
    else list.push(i);
  });
  return byKey;
}

/** One left row: its pairs, itself alone (semi, anti, outer) or nothing. */
function* leftRow(
  row: Tuple,
  matches: readonly number[],
  rightRows: readonly Tuple[],
  m: Matching,
  rightBlank: readonly unknown[],
): Iterable<Tuple> {
  if (m.kind === 'leftsemi' || m.kind === 'leftanti') {
    if (matches.length > 0 === (m.kind === 'leftsemi')) yield row;
    return;
  }
  if (!PAIRING.has(m.kind)) return;
  if (matches.length === 0) {
    if (m.kind === 'leftouter' || m.kind === 'fullouter') yield [...row, ...rightBlank];
    return;
  }
  for (const i of matches) {
    const r = rightRows[i] ?? [];
    yield [...row, ...m.rightKept.map((j) => r[j] ?? null)];
  }
}

/** The right rows the left side did not take up (rightouter, fullouter, rightanti) or did (rightsemi). */
function* rightRest(
  rightRows: readonly Tuple[],
  used: ReadonlySet<number>,
  m: Matching,
  leftBlank: readonly unknown[],
): Iterable<Tuple> {
  for (let i = 0; i < rightRows.length; i++) {
    const row = rightRows[i] ?? [];
    if (m.kind === 'rightsemi' && used.has(i)) yield [...row];
    else if (m.kind === 'rightanti' && !used.has(i)) yield [...row];
    else if (!used.has(i) && (m.kind === 'rightouter' || m.kind === 'fullouter'))
      yield [...leftBlank, ...m.rightKept.map((j) => row[j] ?? null)];
  }
}

function* matchRows(
  leftRows: Iterable<Tuple>,
  rightRows: readonly Tuple[],
  m: Matching,
  left: Schema,
  right: Schema,
): Iterable<Tuple> {
  const byKey = indexByKey(rightRows, m.keys.right);
  const rightBlank = blank(m.rightKept.map((i) => right[i] ?? { name: '', type: 'dynamic' }));
  const used = new Set<number>();
  const seenLeft = new Set<string>();
  for (const row of leftRows) {
    const key = keyOf(row, m.keys.left);
    if (m.kind === 'innerunique' && key !== undefined) {
      if (seenLeft.has(key)) continue;
      seenLeft.add(key);
    }
    const matches = key === undefined ? [] : (byKey.get(key) ?? []);
    for (const i of matches) used.add(i);
    yield* leftRow(row, matches, rightRows, m, rightBlank);
  }
  yield* rightRest(rightRows, used, m, blank(left));
}

function stage(scope: Scope, right: Tabular, m: Matching): TableStage {
  const rightColumns = m.rightKept
    .map((i) => right.schema[i])
    .filter((c): c is SchemaColumn => c !== undefined);
  let schema: Schema = [...scope.schema, ...appended(scope.schema, rightColumns)];
  if (m.kind === 'leftsemi' || m.kind === 'leftanti') schema = scope.schema;
  if (m.kind === 'rightsemi' || m.kind === 'rightanti') schema = right.schema;
  return {
    schema,
    run: (rows, ctx) => matchRows(rows, [...right.rows(ctx)], m, scope.schema, right.schema),
  };
}

/**
 * `join [kind=…] (Right) on …`. The default kind is innerunique, as in Kusto: the left side
 * keeps only its first row of each key before an inner join.
 */
export function join(node: SyntaxNode, scope: Scope, query: QueryContext): TableStage {
  const { reporter } = scope;
  const kind = kindOf(node, reporter, JOIN_KINDS, 'innerunique');
  const right = query.tabular(reporter.need(node, 'Expression'));
  const clause = reporter.need(node, 'ConditionClause');
  if (clause.kind !== 'JoinOnClause')
    throw reporter.unsupported(`join … where is not supported: use join … on`, clause);
  const keys = joinKeys(clause, scope.schema, right.schema, reporter);
  return stage(scope, right, { kind, keys, rightKept: right.schema.map((_c, i) => i) });
}

/** `lookup [kind=leftouter|inner] Right on …`: a join that leaves out the right side's key columns. */
export function lookup(node: SyntaxNode, scope: Scope, query: QueryContext): TableStage {
  const { reporter } = scope;
  const kind = kindOf(node, reporter, ['leftouter', 'inner'], 'leftouter');
  const right = query.tabular(reporter.need(node, 'Expression'));
  const keys = joinKeys(reporter.need(node, 'LookupClause'), scope.schema, right.schema, reporter);
  const rightKept = right.schema.map((_c, i) => i).filter((i) => !keys.right.includes(i));
  return stage(scope, right, { kind, keys, rightKept });
}
