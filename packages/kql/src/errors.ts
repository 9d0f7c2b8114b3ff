// The KQL toolkit's two error classes: `KqlQueryError` for a query or transform the engine
// cannot read or run (a stable code, the place in the text, a message that says what to change),
// and `UnsupportedKqlError` for a DCR transform that cannot be applied. Both extend the
// otel-sentinel base error, taken from mapping's light `./errors` entry so that loading KQL does
// not load the mapping package's YAML and schema libraries.

import { OtelSentinelError } from '@otel-sentinel/mapping/errors';

export type KqlErrorCode =
  /** The Kusto parser rejected the text. */
  | 'E_KQL_SYNTAX'
  /** Valid KQL that otel-sentinel's KQL engine does not implement (an operator, a function, a form). */
  | 'E_KQL_UNSUPPORTED'
  | 'E_KQL_UNKNOWN_TABLE'
  | 'E_KQL_UNKNOWN_COLUMN'
  /** Other semantic errors: types that do not go together (`'a' > 1`), a column named twice. */
  | 'E_KQL_SEMANTIC';

export interface KqlPosition {
  /** 0-based offset in the query text. */
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export class KqlQueryError extends OtelSentinelError {
  declare readonly code: KqlErrorCode;
  /** Where in the query text; `line` and `column` repeat it in the base error's fields. */
  readonly position: KqlPosition | undefined;

  constructor(code: KqlErrorCode, message: string, position?: KqlPosition) {
    super(
      code,
      position === undefined ? message : `${message} (line ${position.line}, column ${position.column})`,
      position === undefined ? {} : { line: position.line, column: position.column },
    );
    this.position = position;
  }

  /** The Log Analytics `innererror.code`: `SyntaxError` for parse errors, else `SemanticError`. */
  get category(): 'SyntaxError' | 'SemanticError' {
    return this.code === 'E_KQL_SYNTAX' ? 'SyntaxError' : 'SemanticError';
  }
}

export function positionAt(text: string, offset: number): KqlPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: end, line, column: end - lineStart + 1 };
}

/** Thrown when a DCR transform cannot be applied: never a silent pass-through. */
export class UnsupportedKqlError extends OtelSentinelError {
  declare readonly code: 'E_UNSUPPORTED_KQL';
  constructor(message: string) {
    super('E_UNSUPPORTED_KQL', message);
  }
}
