// What a filtered (operational) record would weigh as an Application Insights AppTraces row, had
// it gone to the Log Analytics workspace too: the `bytesFiltered` self-metric, from which the
// emulator's cost view shows what keeping operational logs out of Sentinel saves. An estimate,
// kept cheap because it runs for every operational record: no JSON, no UTF-8 encoding.

/**
 * Bytes every AppTraces row carries besides its Message and Properties, as the Azure Monitor
 * OpenTelemetry exporter fills them: TimeGenerated (28), SeverityLevel (1), ItemCount (1),
 * OperationId (32), ParentId (16), AppRoleName (16), AppRoleInstance (16), SDKVersion (24),
 * ClientType (2), ClientIP (7), ResourceGUID (36), IKey (36). Names and lengths are typical
 * values, not measured ones.
 */
export const APP_TRACES_ROW_OVERHEAD = 215;

/** Per attribute in Properties' JSON: the key's two quotes, the colon, the value's quotes, a comma. */
const PER_ATTRIBUTE = 6;

/**
 * The estimated size of `record` as an AppTraces row: the overhead above, plus the body (the
 * Message) and each attribute's key and value (the Properties), as text. Strings count their
 * length in UTF-16 code units (UTF-8 bytes for ASCII text, fewer for other text), numbers their
 * digits, booleans `true`/`false`, other values their JSON text.
 */
export function operationalRowBytes(record: {
  readonly body?: unknown;
  readonly attributes: Readonly<Record<string, unknown>>;
}): number {
  let n = APP_TRACES_ROW_OVERHEAD + valueLength(record.body);
  const attributes = record.attributes;
  for (const key in attributes) n += key.length + PER_ATTRIBUTE + valueLength(attributes[key]);
  return n;
}

function valueLength(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length;
    case 'number':
    case 'bigint':
      return String(value).length;
    case 'boolean':
      return value ? 4 : 5;
    case 'undefined':
    case 'symbol':
    case 'function':
      return 0;
    case 'object':
      return value === null ? 0 : objectLength(value);
  }
}

/** Arrays, maps and bytes, which attributes rarely hold: their JSON text (bytes as base64). */
function objectLength(value: object): number {
  if (value instanceof Uint8Array) return Math.ceil(value.byteLength / 3) * 4 + 2;
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)).length;
  } catch {
    return 0; // a cycle: not a value an exporter could send either
  }
}

/** Filtered records measured one by one before sampling starts: small counts stay exact. */
const MEASURE_FIRST = 128;
/** After those, one filtered record in this many is measured (a power of two). */
const SAMPLE_EVERY = 16;

/**
 * `bytesFiltered` for the emit path, where measuring every operational record would cost the
 * app about 100 ns an emit: the first 128 filtered records are measured, then one in 16, and
 * the total is scaled from the average of those measured.
 */
export class FilteredBytes {
  private count = 0;
  private measuredCount = 0;
  private measuredBytes = 0;

  /** Called for every filtered record. */
  add(record: Parameters<typeof operationalRowBytes>[0]): void {
    const i = this.count++;
    if (i < MEASURE_FIRST || (i & (SAMPLE_EVERY - 1)) === 0) {
      this.measuredBytes += operationalRowBytes(record);
      this.measuredCount++;
    }
  }

  /** The estimated bytes of every record added so far. */
  total(): number {
    if (this.measuredCount === this.count) return this.measuredBytes;
    return Math.round((this.measuredBytes * this.count) / this.measuredCount);
  }
}
