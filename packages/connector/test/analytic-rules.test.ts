import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkSolution,
  ConnectorError,
  generateSolution,
  usesOwaspTable,
  type AnalyticRuleFile,
  type CheckProblem,
} from '../src/index.js';
import { FIXTURES, loadFixture, NOW, SOLUTION, writeTree } from './helpers.js';

const RULES_DIR = join(FIXTURES, 'analytic-rules');
const GOLDEN = join(FIXTURES, 'golden', 'app-security-rules');
/** The OWASP detections of the sibling package: read as files, never imported. */
const OWASP_DETECTIONS = join(FIXTURES, '..', '..', '..', 'owasp', 'detections');

function rulesIn(dir: string): AnalyticRuleFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((fileName) => ({ fileName, content: readFileSync(join(dir, fileName), 'utf8') }));
}

const RULES = rulesIn(RULES_DIR);
const config = loadFixture('app-security.yaml');

function generated(rules: readonly AnalyticRuleFile[]): { path: string; content: string }[] {
  return generateSolution(config, { solution: SOLUTION, now: NOW, analyticRules: rules });
}

function content(files: readonly { path: string; content: string }[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (f === undefined) throw new Error(`no ${path}`);
  return f.content;
}

function errorOf(run: () => unknown): ConnectorError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const ROOT = 'Solutions/ContosoAudit';

describe('generateSolution with analytic rules', () => {
  const files = generated(RULES);

  it('writes each rule under Analytic Rules/ and lists it in the solution file after the connector', () => {
    expect(files.map((f) => f.path).filter((p) => p.includes('Analytic Rules'))).toEqual([
      `${ROOT}/Analytic Rules/failed-sign-ins.yaml`,
      `${ROOT}/Analytic Rules/sign-in-from-watchlisted-ip.yaml`,
    ]);
    const solution = JSON.parse(content(files, `${ROOT}/Data/Solution_ContosoAudit.json`));
    const keys = Object.keys(solution);
    expect(keys.indexOf('Analytic Rules')).toBe(keys.indexOf('Data Connectors') + 1);
    expect(solution['Analytic Rules']).toEqual([
      'Analytic Rules/failed-sign-ins.yaml',
      'Analytic Rules/sign-in-from-watchlisted-ip.yaml',
    ]);
  });

  it("points the connector entries of the solution's tables at its connector, and changes nothing else", () => {
    const before = RULES[1]?.content ?? '';
    const after = content(files, `${ROOT}/Analytic Rules/sign-in-from-watchlisted-ip.yaml`);
    expect(after).toBe(before.replace('connectorId: PlaceholderPush', 'connectorId: ContosoAuditPush'));
    expect(after).toContain('connectorId: AzureActiveDirectory');
  });

  it('matches the reviewed golden files byte for byte (the rules and the solution file)', () => {
    // The connector files are those of the app-security golden: generateSolution.test.ts has them.
    for (const f of files.filter((x) => x.path.includes('/Analytic Rules/') || x.path.includes('/Data/'))) {
      const golden = join(GOLDEN, f.path);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, f.content);
      }
      expect(f.content, f.path).toBe(readFileSync(golden, 'utf8'));
    }
  });

  it('produces a folder that passes every check, rules included', () => {
    expect(checkSolution(join(writeTree(files), ROOT))).toEqual([]);
  });

  it('lists no Analytic Rules without rules', () => {
    const plain = generateSolution(config, { solution: SOLUTION, now: NOW });
    expect(content(plain, `${ROOT}/Data/Solution_ContosoAudit.json`)).not.toContain('Analytic Rules');
  });

  it('throws E_ANALYTIC_RULE naming every rule that cannot ship, and why', () => {
    const base = RULES[0]?.content ?? '';
    const error = errorOf(() =>
      generated([
        { fileName: '../escape.yaml', content: base },
        { fileName: 'iso.yaml', content: base.replace(/queryFrequency: 1h/, 'queryFrequency: PT1H') },
        {
          fileName: 'no-query.yaml',
          content: base.replace(/query: \|[\s\S]*?entityMappings:/, 'entityMappings:'),
        },
        { fileName: 'other-table.yaml', content: base.replace('- AppAuthEvents_CL', '- SigninLogs') },
        { fileName: 'same-id.yaml', content: base },
      ]),
    );
    expect(error.code).toBe('E_ANALYTIC_RULE');
    expect(error.problems).toEqual([
      'analytic rule "../escape.yaml": the file name must be a plain name ending in .yaml',
      'iso.yaml: queryFrequency "PT1H" is not a KQL timespan such as 5m, 1h or 1d (the packager adds the ISO 8601 P/PT prefix itself)',
      'no-query.yaml: query is missing or empty',
      'no-query.yaml: id 7c1e4d2a-9b3f-4e5a-8c6d-1f2a3b4c5d6e is also the id of iso.yaml',
      "other-table.yaml: requiredDataConnectors names none of this solution's tables (AppAuthEvents_CL, AppSecurityEvents_CL): add an entry whose dataTypes lists the table the query reads",
      'other-table.yaml: id 7c1e4d2a-9b3f-4e5a-8c6d-1f2a3b4c5d6e is also the id of no-query.yaml',
      'same-id.yaml: id 7c1e4d2a-9b3f-4e5a-8c6d-1f2a3b4c5d6e is also the id of other-table.yaml',
    ]);
  });

  it('ships the OWASP detections for a mapping that writes OwaspSecurityEvents_CL, and they pass every check', () => {
    const owasp = loadFixture('owasp-table.yaml');
    expect(usesOwaspTable(owasp)).toBe(true);
    expect(usesOwaspTable(config)).toBe(false);
    const rules = rulesIn(OWASP_DETECTIONS);
    expect(rules.length).toBeGreaterThanOrEqual(11);
    const out = generateSolution(owasp, { now: NOW, analyticRules: rules });
    for (const f of out.filter((x) => x.path.includes('/Analytic Rules/')))
      expect(f.content, f.path).toMatch(
        /- connectorId: ShopSecurityPush\n {4}dataTypes:\n {6}- OwaspSecurityEvents_CL\n/,
      );
    expect(checkSolution(join(writeTree(out), 'Solutions', 'ShopSecurity'))).toEqual([]);
  });
});

describe('checkSolution on analytic rules', () => {
  /** A generated folder with the fixture rules, changed by `change`; its problems. */
  function check(change: (dir: string) => void): CheckProblem[] {
    const dir = join(writeTree(generated(RULES)), ROOT);
    change(dir);
    return checkSolution(dir);
  }
  const rule = (dir: string, name: string): string => join(dir, 'Analytic Rules', name);
  const edit = (path: string, from: string | RegExp, to: string): void => {
    writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
  };
  const brief = (problems: readonly CheckProblem[]): string[] =>
    problems.map((p) => `${p.rule} ${p.file}: ${p.message}`);

  it('reports a listed rule file that is missing', () => {
    const problems = check((dir) => {
      rmSync(rule(dir, 'failed-sign-ins.yaml'));
    });
    expect(brief(problems)).toEqual([
      'required-file Analytic Rules/failed-sign-ins.yaml: Analytic Rules/failed-sign-ins.yaml is listed in Data/Solution_ContosoAudit.json but missing',
    ]);
  });

  it('reports a rule file the solution file does not list', () => {
    const problems = check((dir) => {
      writeFileSync(rule(dir, 'extra.yaml'), RULES[0]?.content ?? '');
    });
    expect(brief(problems)).toEqual([
      'analytic-rules Analytic Rules/extra.yaml: Analytic Rules/extra.yaml is not listed in Data/Solution_ContosoAudit.json, so the packager leaves it out',
    ]);
  });

  it('reports a list entry that is not a path under Analytic Rules/', () => {
    const problems = check((dir) => {
      edit(
        join(dir, 'Data/Solution_ContosoAudit.json'),
        '"Analytic Rules/failed-sign-ins.yaml"',
        '"failed-sign-ins.yaml"',
      );
    });
    expect(problems.map((p) => p.rule)).toEqual(['analytic-rules', 'analytic-rules']);
    expect(problems[0]?.message).toBe(
      '"Analytic Rules" entry "failed-sign-ins.yaml" is not "Analytic Rules/<file>.yaml"',
    );
  });

  it('reports missing template keys, a bad severity and a frequency longer than the period', () => {
    const problems = check((dir) => {
      const path = rule(dir, 'failed-sign-ins.yaml');
      edit(path, /^name: .*\n/m, '');
      edit(path, 'severity: Medium', 'severity: Critical');
      edit(path, 'queryFrequency: 1h', 'queryFrequency: 2h');
    });
    expect(brief(problems)).toEqual([
      'analytic-rule Analytic Rules/failed-sign-ins.yaml: name is missing or empty',
      'analytic-rule Analytic Rules/failed-sign-ins.yaml: severity "Critical" is not one of Informational, Low, Medium, High',
      'analytic-rule Analytic Rules/failed-sign-ins.yaml: queryFrequency 2h is longer than queryPeriod 1h',
    ]);
  });

  it('reports two rules with one id', () => {
    const problems = check((dir) => {
      edit(
        rule(dir, 'sign-in-from-watchlisted-ip.yaml'),
        /^id: .*$/m,
        'id: 7C1E4D2A-9B3F-4E5A-8C6D-1F2A3B4C5D6E',
      );
    });
    expect(brief(problems)).toEqual([
      'analytic-rule Analytic Rules/sign-in-from-watchlisted-ip.yaml: id 7c1e4d2a-9b3f-4e5a-8c6d-1f2a3b4c5d6e is also the id of Analytic Rules/failed-sign-ins.yaml',
    ]);
  });

  it("reports a rule that requires another connector for this solution's table", () => {
    const problems = check((dir) => {
      edit(rule(dir, 'failed-sign-ins.yaml'), 'ContosoAuditPush', 'OtherPush');
    });
    expect(problems).toEqual([
      {
        file: 'Analytic Rules/failed-sign-ins.yaml',
        rule: 'analytic-rule-connector',
        message: `requiredDataConnectors connectorId "OtherPush" is not this solution's connector (ContosoAuditPush)`,
        fix: `set connectorId to "ContosoAuditPush" for the entry of this solution's table`,
      },
    ]);
  });

  it("reports a rule that reads none of the solution's tables", () => {
    const problems = check((dir) => {
      edit(rule(dir, 'failed-sign-ins.yaml'), '      - AppAuthEvents_CL', '      - SigninLogs');
    });
    expect(problems).toEqual([
      {
        file: 'Analytic Rules/failed-sign-ins.yaml',
        rule: 'analytic-rule-connector',
        message:
          "requiredDataConnectors names none of this solution's tables (AppAuthEvents_CL, AppSecurityEvents_CL)",
        fix: 'add an entry whose dataTypes lists the table the query reads',
      },
    ]);
  });

  it('reports a file that is not a YAML template, with the line', () => {
    const problems = check((dir) => {
      edit(rule(dir, 'failed-sign-ins.yaml'), /^kind: Scheduled$/m, 'kind: [Scheduled');
    });
    expect(brief(problems)).toEqual([
      expect.stringMatching(
        /^analytic-rule Analytic Rules\/failed-sign-ins\.yaml: Analytic Rules\/failed-sign-ins\.yaml is not a rule template the packager can read: line \d+: /,
      ),
    ]);
  });
});
