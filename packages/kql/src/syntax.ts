// A plain copy of the Kusto syntax tree (kinds as names, roles as the parser's property names)
// and the few ways the compilers read it.

import { KqlQueryError, positionAt, type KqlErrorCode } from './errors.js';

export interface SyntaxNode {
  /** The parser's `SyntaxKind` name: `PipeExpression`, `FilterOperator`, `EqualExpression`, … */
  readonly kind: string;
  /** The parent's property holding this node (`Expression`, `Operator`, `Left`), or '' in lists. */
  readonly role: string;
  /** Offset of the node's text in the query. */
  readonly start: number;
  readonly width: number;
  readonly isToken: boolean;
  /** A token's text as written (`'it''s'`, `datetime(2026-01-01)`); '' for nodes. */
  readonly text: string;
  /** A token's value (`it's`, `2026-01-01`); '' for nodes. */
  readonly value: string;
  readonly children: readonly SyntaxNode[];
}

/** A parsed query: its text (for positions in messages) and its root `QueryBlock`. */
export interface KqlSyntax {
  readonly text: string;
  readonly root: SyntaxNode;
}

export function child(node: SyntaxNode, role: string): SyntaxNode | undefined {
  return node.children.find((c) => c.role === role);
}

/** The elements of a `List` node, without the separators. */
export function listElements(list: SyntaxNode | undefined): SyntaxNode[] {
  if (list === undefined) return [];
  const out: SyntaxNode[] = [];
  for (const item of list.children) {
    if (item.kind === 'SeparatedElement') {
      const element = item.children[0];
      if (element !== undefined) out.push(element);
    } else {
      out.push(item);
    }
  }
  return out;
}

export function firstToken(node: SyntaxNode): SyntaxNode | undefined {
  if (node.isToken) return node;
  for (const c of node.children) {
    const token = firstToken(c);
    if (token !== undefined) return token;
  }
  return undefined;
}

/** The keyword that starts an operator (`where`, `mv-expand`), for messages. */
export function operatorKeyword(node: SyntaxNode): string {
  return firstToken(node)?.text ?? node.kind;
}

/** Throws errors that point at a node of one query. */
export class Reporter {
  /**
   * `origin` names text that is not the query itself (a stored function: its label and where its
   * body starts in `text`): messages then start with the label and count lines from the body.
   */
  constructor(
    readonly text: string,
    readonly origin?: { readonly label: string; readonly offset: number },
  ) {}

  snippet(node: SyntaxNode): string {
    const raw = this.text.slice(node.start, node.start + node.width).replace(/\s+/g, ' ');
    return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  }

  error(code: KqlErrorCode, message: string, node?: SyntaxNode): KqlQueryError {
    const { origin } = this;
    if (origin === undefined)
      return new KqlQueryError(
        code,
        message,
        node === undefined ? undefined : positionAt(this.text, node.start),
      );
    const position =
      node === undefined || node.start < origin.offset
        ? undefined
        : positionAt(this.text.slice(origin.offset), node.start - origin.offset);
    return new KqlQueryError(code, `In ${origin.label}: ${message}`, position);
  }

  unsupported(message: string, node: SyntaxNode): KqlQueryError {
    return this.error('E_KQL_UNSUPPORTED', message, node);
  }

  /** The child at `role`, or a syntax error when the parser left it out. */
  need(node: SyntaxNode, role: string): SyntaxNode {
    const found = child(node, role);
    if (found === undefined)
      throw this.error('E_KQL_SYNTAX', `'${this.snippet(node)}' lacks its ${role}`, node);
    return found;
  }
}

/**
 * The name a `NameReference`, `NameDeclaration`, `TokenName` or `BracketedName` stands for
 * (`x`, `['a b']` → `a b`); undefined for anything else.
 */
export function nameOf(node: SyntaxNode): string | undefined {
  switch (node.kind) {
    case 'NameReference':
    case 'NameDeclaration': {
      const inner = child(node, 'Name');
      return inner === undefined ? undefined : nameOf(inner);
    }
    case 'TokenName': {
      const token = child(node, 'Name');
      return token?.value;
    }
    case 'BracketedName': {
      const literal = child(node, 'Name');
      const token = literal === undefined ? undefined : firstToken(literal);
      return token?.value;
    }
    default:
      return undefined;
  }
}
