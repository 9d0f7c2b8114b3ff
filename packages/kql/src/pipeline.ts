// Takes a parsed query apart into its source table and its chain of `| operator`s.

import {
  child,
  listElements,
  nameOf,
  operatorKeyword,
  type KqlSyntax,
  type Reporter,
  type SyntaxNode,
} from './syntax.js';

export interface Pipeline {
  /** The query's `let` statements, in order (a transform must have none). */
  readonly lets: readonly SyntaxNode[];
  /** The name the pipeline starts from (`source` in a transform, a table in a query). */
  readonly source: string;
  readonly sourceNode: SyntaxNode;
  readonly operators: readonly SyntaxNode[];
}

/** A query's statements: its `let`s, then the one expression that gives its result. */
export interface Statements {
  readonly lets: readonly SyntaxNode[];
  readonly expression: SyntaxNode;
}

/** `let` statements, then one tabular expression: the only statement shapes a query may have. */
export function splitStatements(syntax: KqlSyntax, reporter: Reporter): Statements {
  const { root } = syntax;
  const directives = child(root, 'Directives');
  if (directives !== undefined && directives.children.length > 0) {
    throw reporter.unsupported('Directives are not supported', directives);
  }
  const statements = listElements(child(root, 'Statements'));
  const statement = statements[statements.length - 1];
  if (statement === undefined) throw reporter.error('E_KQL_SYNTAX', 'The query is empty', root);
  const lets = statements.slice(0, -1);
  const offending = lets.find((s) => s.kind !== 'LetStatement') ?? statement;
  if (offending !== statement || statement.kind !== 'ExpressionStatement') {
    let what: string;
    if (offending.kind === 'ExpressionStatement') what = 'a second tabular expression is not supported';
    else if (offending.kind === 'LetStatement') what = 'the let statements are followed by none';
    else what = `${operatorKeyword(offending)} statements are not supported`;
    throw reporter.unsupported(
      `A query is let statements followed by a single tabular expression; ${what} (found '${reporter.snippet(offending)}')`,
      offending,
    );
  }

  return { lets, expression: reporter.need(statement, 'Expression') };
}

/** A transform's statements as its source name and its chain of operators. */
export function splitPipeline(syntax: KqlSyntax, reporter: Reporter): Pipeline {
  const { lets, expression } = splitStatements(syntax, reporter);
  const operators: SyntaxNode[] = [];
  let node = expression;
  while (node.kind === 'PipeExpression') {
    operators.unshift(reporter.need(node, 'Operator'));
    node = reporter.need(node, 'Expression');
  }
  const source = nameOf(node);
  if (source === undefined) {
    throw reporter.unsupported(
      `A query must start with a table name; '${operatorKeyword(node)}' is not supported (found '${reporter.snippet(node)}')`,
      node,
    );
  }
  return { lets, source, sourceNode: node, operators };
}
