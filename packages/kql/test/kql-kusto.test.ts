import { describe, expect, it } from 'vitest';
import { KqlQueryError } from '../src/errors.js';
import { parseKql, preloadKql } from '../src/kusto.js';
import { child, listElements, type SyntaxNode } from '../src/syntax.js';

function syntaxError(text: string): KqlQueryError {
  try {
    parseKql(text);
  } catch (error) {
    if (error instanceof KqlQueryError) return error;
    throw error;
  }
  throw new Error(`expected '${text}' not to parse`);
}

describe('parseKql', () => {
  it('loads the parser once and is warm afterwards', () => {
    preloadKql();
    expect(preloadKql()).toBe(0);
  });

  it('keeps the Bridge.NET globals out of the process globals', () => {
    parseKql('T');
    const globals = globalThis as Record<string, unknown>;
    expect(globals['Kusto']).toBeUndefined();
    expect(globals['Bridge']).toBeUndefined();
    expect(globals['System']).toBeUndefined();
  });

  it('gives the syntax tree with kind names, roles and positions', () => {
    const { root } = parseKql("T | where A == 'x'");
    expect(root.kind).toBe('QueryBlock');
    const statement = listElements(child(root, 'Statements'))[0] as SyntaxNode;
    const pipe = child(statement, 'Expression') as SyntaxNode;
    expect(pipe.kind).toBe('PipeExpression');
    const where = child(pipe, 'Operator') as SyntaxNode;
    expect(where).toMatchObject({ kind: 'FilterOperator', start: 4, width: 14 });
    const condition = child(where, 'Condition') as SyntaxNode;
    expect(condition.kind).toBe('EqualExpression');
    expect(child(child(condition, 'Right') as SyntaxNode, 'Token')).toMatchObject({
      text: "'x'",
      value: 'x',
    });
  });

  it('turns the first parser diagnostic into an E_KQL_SYNTAX error with line and column', () => {
    const error = syntaxError('T\n| where (A');
    expect(error.code).toBe('E_KQL_SYNTAX');
    expect(error.position).toEqual({ offset: 12, line: 2, column: 11 });
    expect(error.message).toBe('Expected: ) [KS005] (line 2, column 11)');
  });

  it('reports an unknown operator as the parser does', () => {
    expect(syntaxError('T | frobnicate').message).toMatch(/^Query operator expected\./);
  });
});
