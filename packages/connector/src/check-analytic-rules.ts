// The checklist for a solution's analytic rules: the solution file lists exactly the templates in
// `Analytic Rules/`, each has what the packager copies, ids are unique, and the rules point at this
// solution's connector.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ANALYTIC_RULES_FOLDER,
  connectorProblems,
  RULE_FILE_NAME,
  templateProblems,
} from './analytic-rules.js';
import { readRuleTemplate } from './rule-template.js';
import { listedFiles, reportUnlisted, type Listing } from './check-listing.js';

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

const RULES_LISTING: Listing = {
  key: 'Analytic Rules',
  folder: ANALYTIC_RULES_FOLDER,
  what: 'rule',
  form: '<file>.yaml',
  isFile: (name) => RULE_FILE_NAME.test(name),
};

/** Runs every analytic rule check, reporting through `ctx.add`. */
export function checkAnalyticRules(ctx: AnalyticRulesContext): void {
  const { dir, solutionFile, add } = ctx;
  const listed = listedFiles(ctx, RULES_LISTING, 'analytic-rules');
  reportUnlisted(ctx, RULES_LISTING, 'analytic-rules', listed);

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
