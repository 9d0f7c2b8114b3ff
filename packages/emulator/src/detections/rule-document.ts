// One rule YAML document, read field by field: each read names the field and, when it is wrong,
// where it is (file:line:col), so a bad rule is reported with the place to fix.

import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { DetectionError } from './detection-error.js';

export class RuleDocument {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Whether the document has `key` at its top level. */
  has(key: string): boolean {
    return this.doc.has(key);
  }

  /** The plain JS value at `path` (keys), or undefined. */
  value(...path: string[]): unknown {
    const node: unknown = this.doc.getIn(path, true);
    if (node === undefined || node === null) return undefined;
    if (isScalar(node)) return node.value;
    return (node as { toJSON(): unknown }).toJSON();
  }

  /** A non-empty string field; `required` ones missing are an error. */
  text(key: string, required: true): string;
  text(key: string, required?: false): string | undefined;
  text(key: string, required = false): string | undefined {
    const value = this.value(key);
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
      if (required) throw this.error([key], `has no ${key}: add it (see Sentinel's scheduled rule template)`);
      return undefined;
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw this.error([key], `${key} must be text`);
  }

  /** A list of strings (an absent field is an empty list). */
  texts(...path: string[]): string[] {
    const value = this.value(...path);
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw this.error(path, `${path.join('.')} must be a list of text`);
    return value as string[];
  }

  /** A map of string → string (an absent field is an empty map). */
  textMap(key: string): Record<string, string> {
    const node: unknown = this.doc.get(key, true);
    if (node === undefined || node === null) return {};
    const value = this.value(key);
    if (!isMap(node) || typeof value !== 'object' || value === null)
      throw this.error([key], `${key} must be a map of name: column`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') throw this.error([key, k], `${key}.${k} must be a column name`);
      out[k] = v;
    }
    return out;
  }

  /** Whether the node at `path` is a list. */
  isList(...path: string[]): boolean {
    return isSeq(this.doc.getIn(path, true));
  }

  /** A DetectionError naming file:line:col of the node at `path` (or of the document when absent). */
  error(path: readonly (string | number)[], message: string): DetectionError {
    const node = this.doc.getIn(path, true) as { range?: readonly number[] } | undefined | null;
    const contents = this.doc.contents as { range?: readonly number[] } | null;
    const offset = node?.range?.[0] ?? contents?.range?.[0] ?? 0;
    const at = this.lines.linePos(offset);
    return new DetectionError('E_RULE_FILE', `${this.file}:${at.line}:${at.col}: ${message}`, {
      path: this.file,
      line: at.line,
      column: at.col,
    });
  }
}
