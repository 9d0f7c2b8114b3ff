// What every rule of the CCF checklist uses: the checker that reads a folder's JSON files and
// collects problems, and tolerant readers of the JSON it finds.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckOptions, CheckProblem, CheckRule } from './check-solution.js';

export interface Column {
  readonly name: string;
  readonly type: string;
}

export type Obj = Readonly<Record<string, unknown>>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}
export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}
export function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function columns(v: unknown): Column[] {
  return arr(v)
    .map((c) => ({ name: text(obj(c).name) ?? '', type: text(obj(c).type) ?? '' }))
    .filter((c) => c.name !== '');
}

export class Checker {
  readonly problems: CheckProblem[] = [];
  constructor(
    readonly dir: string,
    readonly options: CheckOptions,
  ) {}

  add(file: string, rule: CheckRule, message: string, fix: string): void {
    this.problems.push({ file, rule, message, fix });
  }

  /** The parsed file, or undefined after reporting why not. */
  json(file: string): unknown {
    const full = join(this.dir, file);
    if (!existsSync(full)) {
      this.add(file, 'required-file', `${file} is missing`, `create ${file} (see the CCF Push layout)`);
      return undefined;
    }
    try {
      return JSON.parse(readFileSync(full, 'utf8')) as unknown;
    } catch (error: unknown) {
      const why = error instanceof Error ? error.message : String(error);
      this.add(file, 'invalid-json', `${file} is not valid JSON: ${why}`, 'fix the JSON syntax');
      return undefined;
    }
  }
}
