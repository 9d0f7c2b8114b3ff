// Microsoft's semantic analysis of a query (`KustoCode.ParseAndAnalyze`) against tables we name:
// what the service's own analyzer reports (unknown tables, columns or functions, type errors),
// independent of what the emulator can run, and the columns the query returns.

import { positionAt, type KqlPosition } from './errors.js';
import { kustoNamespace } from './kusto.js';
import {
  isKustoAnalyzer,
  listItems,
  resultColumns,
  type KustoAnalyzer,
  type KustoGlobalState,
} from './kusto-api.js';
import { kqlTypeOf } from './types.js';
import type { ColumnDef } from './model.js';

export interface AnalysisTable {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
}

export interface KqlDiagnostic {
  /** `Error`, `Warning`, `Suggestion` or `Information`, as the analyzer grades it. */
  readonly severity: string;
  /** The analyzer's code, e.g. `KS142` (unknown name). */
  readonly code: string;
  readonly message: string;
  readonly position: KqlPosition;
}

export interface KqlAnalysis {
  readonly diagnostics: readonly KqlDiagnostic[];
  /** The result's columns with Kusto type names (`string`, `long`, `datetime`, …); [] if not tabular. */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

let analyzer: { readonly language: KustoAnalyzer; readonly globals: KustoGlobalState } | undefined;

function load(): { readonly language: KustoAnalyzer; readonly globals: KustoGlobalState } {
  if (analyzer !== undefined) return analyzer;
  const language: unknown = kustoNamespace().Language;
  if (!isKustoAnalyzer(language)) {
    throw new Error(
      '@kusto/language-service-next does not offer KustoCode.ParseAndAnalyze as expected; ' +
        'the emulator is written against version 12.4.1',
    );
  }
  analyzer = { language, globals: language.GlobalState.Default };
  return analyzer;
}

/** `['Name']:type, …`: bracketed names, so any column name is read as written. */
function schemaText(columns: readonly ColumnDef[]): string {
  const quote = (name: string): string => `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  return `(${columns.map((c) => `${quote(c.name)}:${kqlTypeOf(c.type)}`).join(', ')})`;
}

/**
 * Analyses `text` as the service would in a database holding `tables`. The first call builds the
 * analyzer's global state (about 1 s); later calls take milliseconds.
 */
export function analyzeKql(text: string, tables: readonly AnalysisTable[]): KqlAnalysis {
  const { language, globals } = load();
  const symbols = tables.map(
    (t) => new language.Symbols.TableSymbol.$ctor7(t.name, schemaText(t.columns), null),
  );
  const database = new language.Symbols.DatabaseSymbol.$ctor2('db', null, symbols);
  const code = language.KustoCode.ParseAndAnalyze(text, globals.WithDatabase(database));
  if (code === null) {
    return {
      diagnostics: [
        {
          severity: 'Error',
          code: 'KS000',
          message: 'The query could not be analysed',
          position: positionAt(text, 0),
        },
      ],
      columns: [],
    };
  }
  const diagnostics = listItems(code.GetDiagnostics()).map((d) => ({
    severity: d.Severity,
    code: d.Code,
    message: d.Message,
    position: positionAt(text, d.Start),
  }));
  return { diagnostics, columns: resultColumns(code.ResultType) };
}
