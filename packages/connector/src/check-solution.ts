// The CCF validation checklist, run on any solution folder (generated or hand-written).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TransformChecker } from '@otel-sentinel/mapping';
import { checkAnalyticRules, type AnalyticRuleCheck } from './check-analytic-rules.js';
import { checkAsimParsers, type AsimParserCheck } from './check-asim-parsers.js';
import type { KqlAnalyzer } from './check-asim-parser-output.js';
import { CATALOGUE } from './asim-solution.js';
import { solutionTables } from './solution-tables.js';
import { checkConnector } from './check-connector-folder.js';
import { checkSolutionFiles } from './check-solution-files.js';
import { checkSolutionWorkbooks, type WorkbookCheck } from './check-workbooks.js';
import { Checker } from './solution-checker.js';

export type CheckRule =
  | 'required-file'
  | 'invalid-json'
  | 'table-name'
  | 'stream-name'
  | 'column-name'
  | 'column-count'
  | 'column-type'
  | 'stream-columns'
  | 'transform'
  | 'output-stream'
  | 'connector-definition-name'
  | 'dcr-stream-name'
  | 'solution-name'
  | 'ids-match'
  | 'version'
  | AnalyticRuleCheck
  | AsimParserCheck
  | WorkbookCheck;

export interface CheckProblem {
  /** Path relative to the checked folder. */
  readonly file: string;
  readonly rule: CheckRule;
  readonly message: string;
  readonly fix: string;
}

/** What `checkSolution` checks in depth, with checkers it is given. */
export interface CheckOptions {
  /**
   * Checks a data flow's `transformKql` other than `source` in depth (`@otel-sentinel/kql`'s
   * `checkTransformKql`, which parses KQL, is one). Default: only that it reads `source` first.
   */
  readonly checkTransform?: TransformChecker;
  /**
   * Analyses the ASIM parsers' queries against the solution's tables and checks the fields they
   * return (`@otel-sentinel/kql`'s `analyzeKql` is one). Default: only their names and parameters.
   */
  readonly analyzeKql?: KqlAnalyzer;
}

/** Runs every rule and returns each failure; an empty array means the folder passes. */
export function checkSolution(dir: string, options: CheckOptions = {}): CheckProblem[] {
  const c = new Checker(dir, options);
  const folder = basename(dir);
  const sol = checkSolutionFiles(c, dir, folder);
  const connectorsDir = join(dir, 'Data Connectors');
  if (!existsSync(connectorsDir)) {
    c.add(
      'Data Connectors',
      'required-file',
      'the Data Connectors folder is missing',
      'create Data Connectors/<Id>_ccf with the four connector files',
    );
    return c.problems;
  }
  const subs = readdirSync(connectorsDir)
    .filter((d) => statSync(join(connectorsDir, d)).isDirectory())
    .sort();
  if (subs.length === 0)
    c.add(
      'Data Connectors',
      'required-file',
      'Data Connectors has no connector folder',
      'add Data Connectors/<Id>_ccf',
    );
  const tables = new Set<string>();
  const connectorIds = new Set<string>();
  for (const sub of subs) {
    const found = checkConnector(c, `Data Connectors/${sub}`);
    for (const t of found.tables) tables.add(t);
    if (found.definitionId !== undefined) connectorIds.add(found.definitionId);
  }
  checkAnalyticRules({
    dir,
    solutionFile: `Data/Solution_${folder}.json`,
    listed: sol['Analytic Rules'],
    tables,
    connectorIds,
    add: (file, rule, message, fix) => {
      c.add(file, rule, message, fix);
    },
  });
  checkAsimParsers({
    dir,
    solutionFile: `Data/Solution_${folder}.json`,
    listed: sol.Parsers,
    tables: solutionTables(dir),
    factsOf: CATALOGUE,
    ...(options.analyzeKql !== undefined ? { analyze: options.analyzeKql } : {}),
    add: (file, rule, message, fix) => {
      c.add(file, rule, message, fix);
    },
  });
  checkSolutionWorkbooks(c, `Data/Solution_${folder}.json`, sol.Workbooks, { tables, connectorIds });
  return c.problems;
}
