// What the service does to a value the exporter sends as one column type when the stream
// declaration or the table says another. Microsoft does not document these conversions (the
// Logs Ingestion and transformation pages only say the output must fit the table), so every
// rule here is marked assumed where it is used; the emulator applies the same ones.

export interface ValueFate {
  /** True when some values arrive as null or altered. */
  readonly loses: boolean;
  /** What happens, as a clause: `values that are not numbers are stored as null (assumed)`. */
  readonly effect: string;
}

const INTEGER = new Set(['int', 'long']);

/** The fate of a `sent` value in a column of type `column` (both lower-case type names). */
export function valueFate(sent: string, column: string): ValueFate {
  return keptFate(sent, column) ?? lossyFate(sent, column);
}

/** When every value arrives: the same type, a wider number, text or a JSON value. */
function keptFate(sent: string, column: string): ValueFate | undefined {
  if (sent === column || (sent === 'guid' && column === 'string'))
    return { loses: false, effect: 'stored as sent' };
  if (sent === 'int' && (column === 'long' || column === 'real'))
    return { loses: false, effect: `widened to ${column}, every value kept` };
  if (column === 'string')
    return {
      loses: false,
      effect: `stored as text (${sent === 'dynamic' ? 'the JSON of the value' : 'the value written out'}; assumed), so queries must convert it back`,
    };
  if (column === 'dynamic') return { loses: false, effect: 'stored as a JSON value (assumed)' };
  return undefined;
}

/** When some values are rounded, cut or lost as null. */
function lossyFate(sent: string, column: string): ValueFate {
  if (sent === 'long' && column === 'real')
    return { loses: true, effect: 'converted to real: integers beyond ±2^53 are rounded (assumed)' };
  if (sent === 'long' && column === 'int')
    return { loses: true, effect: 'values outside 32 bits are stored as null (assumed)' };
  if (sent === 'real' && INTEGER.has(column))
    return { loses: true, effect: 'values with a fraction are stored as null or cut (assumed)' };
  if (sent === 'string')
    return { loses: true, effect: `values that do not read as ${column} are stored as null (assumed)` };
  return {
    loses: true,
    effect: `a ${sent} does not convert to ${column}: values are stored as null (assumed)`,
  };
}
