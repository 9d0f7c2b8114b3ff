// The small part of Microsoft's Kusto.Language (a Bridge.NET build) that the emulator touches,
// typed here so the rest of the code never sees the library's untyped globals.

/** A Bridge.NET `IReadOnlyList<T>`; some methods hand back a plain JS array instead. */
export type BridgeList<T> = readonly T[] | { readonly Count: number; getItem(index: number): T };

export interface KustoDiagnostic {
  readonly Message: string;
  /** Offset of the problem in the query text. */
  readonly Start: number;
  readonly Length: number;
  /** `Error`, `Warning`, `Suggestion` or `Information`. */
  readonly Severity: string;
  /** e.g. `KS006`. */
  readonly Code: string;
}

/** `Kusto.Language.Syntax.SyntaxElement`: a node or a token. */
export interface KustoSyntaxElement {
  /** A `SyntaxKind` enum value. */
  readonly Kind: number;
  readonly IsToken: boolean;
  readonly ChildCount: number;
  /** The property of the parent that holds this element (`Expression`, `Operator`, …), or null. */
  readonly NameInParent: string | null;
  /** Offset of the element's text (after leading trivia). */
  readonly TextStart: number;
  readonly Width: number;
  GetChild(index: number): KustoSyntaxElement | null;
}

/** `Kusto.Language.Syntax.SyntaxToken`. */
export interface KustoSyntaxToken extends KustoSyntaxElement {
  readonly Text: string;
  /** The token's value: a string literal without quotes and escapes, a literal's inner text. */
  readonly ValueText: string;
}

/** `Kusto.Language.Syntax.QueryBlock`, the root that `QueryParser.ParseQuery` returns. */
export interface KustoQueryBlock extends KustoSyntaxElement {
  GetContainedSyntaxDiagnostics(): BridgeList<KustoDiagnostic>;
}

/** The global `Kusto` namespace object, as far as the emulator uses it. */
export interface KustoNamespace {
  readonly Language: {
    readonly ParseOptions: { readonly Default: unknown };
    readonly Parsing: {
      readonly QueryParser: {
        /** Parses query text with the hand-written parser (no grammar build, no global state). */
        ParseQuery$1(text: string, options: unknown): KustoQueryBlock | null;
      };
    };
    readonly Syntax: { readonly SyntaxKind: Readonly<Record<string, unknown>> };
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/** Checks the shape the emulator relies on, so a changed library version fails loudly at load. */
export function isKustoNamespace(value: unknown): value is KustoNamespace {
  if (!isObject(value)) return false;
  const language = value['Language'];
  if (!isObject(language)) return false;
  const parsing = language['Parsing'];
  const syntax = language['Syntax'];
  const options = language['ParseOptions'];
  if (!isObject(parsing) || !isObject(syntax) || !isObject(options)) return false;
  const parser = parsing['QueryParser'];
  return isObject(parser) && typeof parser['ParseQuery$1'] === 'function' && isObject(syntax['SyntaxKind']);
}

export function isToken(element: KustoSyntaxElement): element is KustoSyntaxToken {
  return element.IsToken;
}

export function listItems<T>(list: BridgeList<T>): readonly T[] {
  if (!('getItem' in list)) return list;
  const items: T[] = [];
  for (let i = 0; i < list.Count; i++) items.push(list.getItem(i));
  return items;
}

/** `Kusto.Language.KustoCode`: the result of `ParseAndAnalyze`. */
export interface KustoCode {
  GetDiagnostics(): BridgeList<KustoDiagnostic>;
  /** The query's result: a table symbol (with `Columns`) for a tabular query. */
  readonly ResultType: unknown;
}

/** `Kusto.Language.GlobalState`: the functions, operators and databases a query binds to. */
export interface KustoGlobalState {
  WithDatabase(database: unknown): KustoGlobalState;
}

/** The part of `Kusto.Language` that semantic analysis needs. */
export interface KustoAnalyzer {
  readonly KustoCode: { ParseAndAnalyze(text: string, globals: KustoGlobalState): KustoCode | null };
  readonly GlobalState: { readonly Default: KustoGlobalState };
  readonly Symbols: {
    readonly TableSymbol: {
      readonly $ctor7: new (name: string, schema: string, description: null) => unknown;
    };
    readonly DatabaseSymbol: {
      readonly $ctor2: new (name: string, alternateName: null, members: unknown[]) => unknown;
    };
  };
}

/** Checks the analysis API shape, so a changed library version fails with a clear message. */
export function isKustoAnalyzer(value: unknown): value is KustoAnalyzer {
  if (!isObject(value)) return false;
  const { KustoCode: code, GlobalState: globals, Symbols: symbols } = value;
  if (!isObject(code) || typeof code['ParseAndAnalyze'] !== 'function') return false;
  if (!isObject(globals) || !isObject(symbols)) return false;
  const table = symbols['TableSymbol'];
  const database = symbols['DatabaseSymbol'];
  return (
    isObject(table) &&
    typeof table['$ctor7'] === 'function' &&
    isObject(database) &&
    typeof database['$ctor2'] === 'function'
  );
}

/** The columns of an analysed query's result (name and Kusto type), or none when it is not tabular. */
export function resultColumns(resultType: unknown): { name: string; type: string }[] {
  if (!isObject(resultType)) return [];
  const columns = resultType['Columns'];
  const items: unknown[] = [];
  if (Array.isArray(columns)) items.push(...(columns as unknown[]));
  else if (
    isObject(columns) &&
    typeof columns['Count'] === 'number' &&
    typeof columns['getItem'] === 'function'
  ) {
    const getItem = columns['getItem'];
    for (let i = 0; i < columns['Count']; i++) items.push(Reflect.apply(getItem, columns, [i]));
  }
  const out: { name: string; type: string }[] = [];
  for (const item of items) {
    if (!isObject(item)) continue;
    const type = item['Type'];
    const name = item['Name'];
    const typeName = isObject(type) ? type['Name'] : undefined;
    if (typeof name === 'string' && typeof typeName === 'string') out.push({ name, type: typeName });
  }
  return out;
}
