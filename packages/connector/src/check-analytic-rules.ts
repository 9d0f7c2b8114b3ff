// The checklist for a solution's analytic rules: the solution file lists exactly the templates in
// `Analytic Rules/`, each has what the packager copies, ids are unique, and the rules point at this
// solution's connector.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ANALYTIC_RULES_FOLDER,
  connectorProblems,
  RULE_FILE_NAME,
  templateProblems,
} from './analytic-rules.js';
import { readRuleTemplate } from './rule-template.js';

export type AnalyticRuleCheck = 'analytic-rules' | 'analytic-rule' | 'analytic-rule-connector';

export interface AnalyticRulesContext {
  /** The solution folder. */
  readonly dir: string;
  /** `Data/Solution_<Name>.json`, relative to the folder. */
  readonly solutionFile: string;
  /** Its `Analytic Rules` value, as parsed (undefined when absent). */
  readonly listed: unknown;
  /** The tables of the solution's connector folders. */
  readonly tables: ReadonlySet<string>;
  /** The ids of the solution's connector definitions (`connectorUiConfig.id`). */
  readonly connectorIds: ReadonlySet<string>;
  readonly add: (
    file: string,
    rule: AnalyticRuleCheck | 'required-file',
    message: string,
    fix: string,
  ) => void;
}

function listedFiles(ctx: AnalyticRulesContext): string[] {
  const { listed, solutionFile, add } = ctx;
  if (listed === undefined) return [];
  const items: unknown[] = Array.isArray(listed) ? (listed as unknown[]) : [listed];
  const files: string[] = [];
  for (const item of items) {
    const path = typeof item === 'string' ? item : '';
    const name = path.startsWith(`${ANALYTIC_RULES_FOLDER}/`)
      ? path.slice(ANALYTIC_RULES_FOLDER.length + 1)
      : '';
    if (!Array.isArray(listed) || !RULE_FILE_NAME.test(name)) {
      add(
        solutionFile,
        'analytic-rules',
        `"Analytic Rules" entry ${JSON.stringify(item)} is not "${ANALYTIC_RULES_FOLDER}/<file>.yaml"`,
        `list each rule as "${ANALYTIC_RULES_FOLDER}/<file>.yaml", relative to the solution folder`,
      );
      continue;
    }
    files.push(path);
  }
  return files;
}

/** Runs every analytic rule check, reporting through `ctx.add`. */
export function checkAnalyticRules(ctx: AnalyticRulesContext): void {
  const { dir, solutionFile, add } = ctx;
  const listed = listedFiles(ctx);
  const folder = join(dir, ANALYTIC_RULES_FOLDER);
  const present = existsSync(folder) ? readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)) : [];
  const listedSet = new Set(listed);
  for (const name of present.sort()) {
    const path = `${ANALYTIC_RULES_FOLDER}/${name}`;
    if (!listedSet.has(path))
      add(
        path,
        'analytic-rules',
        `${path} is not listed in ${solutionFile}, so the packager leaves it out`,
        `add "${path}" to "Analytic Rules" in ${solutionFile}, or delete the file`,
      );
  }

  const ids = new Map<string, string>();
  for (const path of listed) {
    const full = join(dir, path);
    if (!existsSync(full)) {
      add(
        path,
        'required-file',
        `${path} is listed in ${solutionFile} but missing`,
        `create ${path} or remove it from the list`,
      );
      continue;
    }
    const reading = readRuleTemplate(readFileSync(full, 'utf8'));
    if (!reading.ok) {
      for (const problem of reading.problems)
        add(
          path,
          'analytic-rule',
          `${path} is not a rule template the packager can read: ${problem}`,
          'write the template as block-style YAML',
        );
      continue;
    }
    const { template } = reading;
    for (const problem of templateProblems(template))
      add(
        path,
        'analytic-rule',
        problem,
        'fix the template (see the Azure-Sentinel analytic rule template format)',
      );
    const id = (template.values.get('id') ?? '').toLowerCase();
    const other = ids.get(id);
    if (id !== '' && other !== undefined)
      add(path, 'analytic-rule', `id ${id} is also the id of ${other}`, 'give each rule its own GUID');
    ids.set(id, path);
    // Without a readable connector definition there is no id to compare with (reported elsewhere).
    const known = ctx.connectorIds.size > 0 ? ctx.connectorIds : undefined;
    for (const problem of connectorProblems(template, ctx.tables, known))
      add(path, 'analytic-rule-connector', problem.message, problem.fix);
  }
}
