// Stored (workspace) functions a QuerySource offers, as ARM's savedSearches hold them: a name,
// `functionParameters` text and a body. Each is parsed the first time a query calls it.

import { KqlQueryError, positionAt } from './errors.js';
import { parseKql } from './kusto.js';
import type { QueryEnv } from './query-env.js';
import { child, listElements, Reporter } from './syntax.js';
import { declareFunction, type UserFunction } from './user-functions.js';

/** A workspace function: what `Microsoft.OperationalInsights/workspaces/savedSearches` deploys. */
export interface StoredFunction {
  /** The name queries call it by (`functionAlias`), e.g. `vimAuthenticationOtelSentinel`. */
  readonly name: string;
  /**
   * Its parameters as ARM's `functionParameters` writes them, e.g.
   * `starttime:datetime=datetime(null), disabled:bool=false`; a tabular one as `T:(*)` or
   * `T:(ColumnName:string)`. Absent or empty when it takes none.
   */
  readonly parameters?: string;
  /** Its body: let statements, then one expression (the `query` of the saved search). */
  readonly body: string;
}

/** A parse error in the generated wrapper, given back in the words and lines of the body. */
function inBody(error: KqlQueryError, label: string, text: string, offset: number): KqlQueryError {
  const at = error.position;
  const message = error.message.replace(/ \(line \d+, column \d+\)$/, '');
  if (at === undefined || at.offset < offset) return new KqlQueryError(error.code, `In ${label}: ${message}`);
  return new KqlQueryError(
    error.code,
    `In ${label}: ${message}`,
    positionAt(text.slice(offset), at.offset - offset),
  );
}

export class StoredFunctions {
  private readonly parsed = new Map<string, UserFunction>();
  private readonly byName: ReadonlyMap<string, StoredFunction>;

  /** `root` makes the env a stored function's body sees: the workspace, with no query lets. */
  constructor(
    functions: readonly StoredFunction[],
    private readonly root: (reporter: Reporter) => QueryEnv,
  ) {
    this.byName = new Map(functions.map((f) => [f.name, f]));
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): UserFunction | undefined {
    const done = this.parsed.get(name);
    if (done !== undefined) return done;
    const stored = this.byName.get(name);
    if (stored === undefined) return undefined;
    const fn = this.parse(stored);
    this.parsed.set(name, fn);
    return fn;
  }

  private parse(stored: StoredFunction): UserFunction {
    const label = `stored function '${stored.name}'`;
    const header = `let __stored = (${stored.parameters ?? ''}) {\n`;
    const text = `${header}${stored.body}\n};\n__stored`;
    let root;
    try {
      root = parseKql(text).root;
    } catch (error) {
      if (error instanceof KqlQueryError) throw inBody(error, label, text, header.length);
      throw error;
    }
    const reporter = new Reporter(text, { label, offset: header.length });
    const statement = listElements(child(root, 'Statements'))[0];
    const declaration = statement === undefined ? undefined : child(statement, 'Expression');
    if (declaration?.kind !== 'FunctionDeclaration')
      throw new KqlQueryError(
        'E_KQL_SYNTAX',
        `In ${label}: its parameters or body do not parse as a function`,
      );
    return declareFunction(stored.name, label, declaration, this.root(reporter));
  }
}
