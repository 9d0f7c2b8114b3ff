// Small KQL text helpers for the generated ASIM parsers: literals, names, type conversions.

/** A KQL string literal in single quotes. */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** A column name as KQL reads it: bare when it is a plain identifier, else `['name']`. */
export function kqlName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `[${kqlString(name)}]`;
}

/** The ASIM (KQL) type of a table column type: tables say `boolean`, KQL says `bool`. */
export function kqlTypeOfColumn(columnType: string): string {
  return columnType === 'boolean' ? 'bool' : columnType;
}

const CONVERT: Readonly<Record<string, string>> = {
  string: 'tostring',
  int: 'toint',
  long: 'tolong',
  real: 'toreal',
  bool: 'tobool',
  datetime: 'todatetime',
  dynamic: 'todynamic',
  guid: 'toguid',
};

/** `expr` converted to `type`, unless it has that type already. */
export function convert(expr: string, from: string, to: string): string {
  if (from === to) return expr;
  const fn = CONVERT[to];
  return fn === undefined ? expr : `${fn}(${expr})`;
}

/** A constant of an ASIM field's type, from its text: `'Logon'`, `toint('5')`. */
export function literal(value: string, type: string): string {
  return type === 'string' ? kqlString(value) : convert(kqlString(value), 'string', type);
}

/** The empty value of a type: `''` for strings, a typed null otherwise. */
export function emptyOf(type: string): string {
  return type === 'string' ? "''" : `${type}(null)`;
}

/** `'a', 'b'`: a list of string literals for `in (…)`. */
export function stringList(values: readonly string[]): string {
  return values.map(kqlString).join(', ');
}
