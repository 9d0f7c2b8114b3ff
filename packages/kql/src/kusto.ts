// Loads Microsoft's Kusto parser (@kusto/language-service-next, a Bridge.NET build meant for
// browsers) once, into its own V8 context, and turns its syntax trees into plain objects.
//
// The scripts define globals (`Bridge`, `System`, `Kusto`), so they run in a context created
// with DONT_CONTEXTIFY: an ordinary global object of their own (no interceptors, so no slowdown)
// and nothing leaks into the emulator's globals. Parsing goes straight to `QueryParser`, which is
// what `KustoCode.Parse` uses too, minus the ~400 ms grammar build and the global symbol tables.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants as vmConstants, createContext, Script } from 'node:vm';
import { KqlQueryError, positionAt } from './errors.js';
import {
  isKustoNamespace,
  isToken,
  listItems,
  type KustoNamespace,
  type KustoSyntaxElement,
} from './kusto-api.js';
import type { KqlSyntax, SyntaxNode } from './syntax.js';

const SCRIPTS = ['bridge.min.js', 'Kusto.Language.Bridge.min.js'] as const;

interface LoadedKusto {
  readonly kusto: KustoNamespace;
  readonly kindNames: ReadonlyMap<number, string>;
  readonly options: unknown;
}

let loaded: LoadedKusto | undefined;

/** The `Kusto` namespace of the loaded library (loading it on first use). */
export function kustoNamespace(): KustoNamespace {
  return load().kusto;
}

function load(): LoadedKusto {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  const context = createContext(vmConstants.DONT_CONTEXTIFY);
  for (const script of SCRIPTS) {
    const path = require.resolve(`@kusto/language-service-next/${script}`);
    new Script(readFileSync(path, 'utf8'), { filename: path }).runInContext(context);
  }
  const kusto: unknown = context['Kusto'];
  if (!isKustoNamespace(kusto)) {
    throw new Error(
      '@kusto/language-service-next did not define Kusto.Language.Parsing.QueryParser as expected; ' +
        'the emulator is written against version 12.4.1',
    );
  }
  const kindNames = new Map<number, string>();
  for (const [name, value] of Object.entries(kusto.Language.Syntax.SyntaxKind)) {
    if (typeof value === 'number') kindNames.set(value, name);
  }
  loaded = { kusto, kindNames, options: kusto.Language.ParseOptions.Default };
  return loaded;
}

/**
 * Loads the parser now (it otherwise loads on the first parse) and warms it with one parse, so
 * the first real query or transform does not pay for it. Returns the milliseconds spent: about
 * 0.4 s on a 2-core machine the first time (0.25 s to run the 5 MB of scripts, 0.15 s for the
 * first parse), 0 after.
 */
export function preloadKql(): number {
  if (loaded !== undefined) return 0;
  const started = performance.now();
  parseKql('T | where A == 1 | extend B = now() | summarize count() by C');
  return performance.now() - started;
}

function convert(element: KustoSyntaxElement, kindNames: ReadonlyMap<number, string>): SyntaxNode {
  const kind = kindNames.get(element.Kind) ?? `Kind${element.Kind}`;
  const role = element.NameInParent ?? '';
  if (isToken(element)) {
    return {
      kind,
      role,
      start: element.TextStart,
      width: element.Width,
      isToken: true,
      text: element.Text,
      value: element.ValueText,
      children: [],
    };
  }
  const children: SyntaxNode[] = [];
  for (let i = 0; i < element.ChildCount; i++) {
    const c = element.GetChild(i);
    if (c !== null) children.push(convert(c, kindNames));
  }
  return {
    kind,
    role,
    start: element.TextStart,
    width: element.Width,
    isToken: false,
    text: '',
    value: '',
    children,
  };
}

/**
 * Parses a KQL query with Microsoft's parser. Throws a `KqlQueryError` (`E_KQL_SYNTAX`) with the
 * parser's first error and its line and column when the text does not parse.
 */
export function parseKql(text: string): KqlSyntax {
  const { kusto, kindNames, options } = load();
  const block = kusto.Language.Parsing.QueryParser.ParseQuery$1(text, options);
  if (block === null) throw new KqlQueryError('E_KQL_SYNTAX', 'The query could not be parsed');
  const problems = listItems(block.GetContainedSyntaxDiagnostics()).filter((d) => d.Severity === 'Error');
  const first = problems[0];
  if (first !== undefined) {
    throw new KqlQueryError(
      'E_KQL_SYNTAX',
      `${first.Message} [${first.Code}]`,
      positionAt(text, first.Start),
    );
  }
  return { text, root: convert(block, kindNames) };
}
