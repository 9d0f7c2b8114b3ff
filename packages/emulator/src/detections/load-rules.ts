// Finds and reads analytic rule YAML: the `Analytic Rules` folders of the solution folders in
// `definitions`, and the files and folders of the `rules` option. A file that cannot be used is
// a problem line (file:line:col, the field); the other rules still load.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { AnalyticRule } from './analytic-rule.js';
import { DetectionError } from './detection-error.js';
import { readRule } from './read-rule.js';
import { RuleDocument } from './rule-document.js';

const YAML_FILE = /\.ya?ml$/i;
const RULES_FOLDER = 'analytic rules';

export interface LoadedRules {
  readonly rules: readonly AnalyticRule[];
  /** One line per file or rule skipped. */
  readonly problems: readonly string[];
}

/** The rules under `definitions` (only in `Analytic Rules` folders) and at `paths`. */
export function loadRules(definitions: readonly string[], paths: readonly string[]): LoadedRules {
  const problems: string[] = [];
  const files: { file: string; named: boolean }[] = [];
  for (const path of definitions)
    if (isFolder(path)) for (const file of yamlFiles(path, true)) files.push({ file, named: false });
  for (const path of paths) {
    if (!exists(path)) {
      problems.push(`${path}: no such file or folder; give rule YAML files or folders of them`);
      continue;
    }
    if (isFolder(path)) for (const file of yamlFiles(path, false)) files.push({ file, named: false });
    else files.push({ file: path, named: true });
  }
  const rules = new Map<string, AnalyticRule>();
  for (const { file, named } of files) {
    try {
      const rule = readFile(file, named);
      if (rule === undefined) continue;
      const earlier = rules.get(rule.id);
      if (earlier !== undefined) {
        if (earlier.source !== rule.source)
          problems.push(
            `${file}: rule id ${rule.id} is also ${earlier.source}'s; the first one read is kept`,
          );
        continue;
      }
      rules.set(rule.id, rule);
    } catch (error: unknown) {
      if (!(error instanceof DetectionError)) throw error;
      problems.push(error.message);
    }
  }
  return { rules: [...rules.values()], problems };
}

/**
 * The rule in `file`. A file found in a folder that is no rule (an ASIM parser, a tester: no
 * `query`) is skipped; a file named directly must be one.
 */
function readFile(file: string, named: boolean): AnalyticRule | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const at = lines.linePos(first.pos[0]);
    throw new DetectionError(
      'E_RULE_FILE',
      `${file}:${at.line}:${at.col}: is not valid YAML (${first.code}); fix the file or leave it out`,
      { path: file, line: at.line, column: at.col },
    );
  }
  const rule = new RuleDocument(file, doc, lines);
  if (!named && !rule.has('query') && !rule.has('queryFrequency') && !rule.has('triggerOperator'))
    return undefined;
  return readRule(rule);
}

/** YAML files of `root`, sorted; with `underRulesFolder`, only inside an `Analytic Rules` folder. */
function yamlFiles(root: string, underRulesFolder: boolean): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && YAML_FILE.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (f) =>
        !underRulesFolder ||
        f
          .split(sep)
          .slice(0, -1)
          .some((s) => s.toLowerCase() === RULES_FOLDER),
    )
    .sort();
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
