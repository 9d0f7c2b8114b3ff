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
  /** The name the pipeline starts from (`source` in a transform, a table in a query). */
  readonly source: string;
  readonly sourceNode: SyntaxNode;
  readonly operators: readonly SyntaxNode[];
}

export function splitPipeline(syntax: KqlSyntax, reporter: Reporter): Pipeline {
  const { root } = syntax;
  const directives = child(root, 'Directives');
  if (directives !== undefined && directives.children.length > 0) {
    throw reporter.unsupported('Directives are not supported', directives);
  }
  const statements = listElements(child(root, 'Statements'));
  const statement = statements[0];
  if (statement === undefined) throw reporter.error('E_KQL_SYNTAX', 'The query is empty', root);
  if (statements.length > 1 || statement.kind !== 'ExpressionStatement') {
    const offending = statements.find((s) => s.kind !== 'ExpressionStatement') ?? statement;
    const what =
      offending.kind === 'LetStatement' ? 'let statements' : `${operatorKeyword(offending)} statements`;
    throw reporter.unsupported(
      `Only a single tabular expression is supported; ${what} are not (found '${reporter.snippet(offending)}')`,
      offending,
    );
  }

  const operators: SyntaxNode[] = [];
  let node = reporter.need(statement, 'Expression');
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
  return { source, sourceNode: node, operators };
}
