import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeKql } from '@otel-sentinel/kql';
import { describe, expect, it } from 'vitest';
import { checkSolution, generateSolution } from '../src/index.js';
import type { CheckProblem } from '../src/index.js';
import { withAsim } from './asim-fixture.js';
import { NOW, SOLUTION, writeTree } from './helpers.js';

const VIM = 'Parsers/vimAuthenticationContosoShop.yaml';
const ASIM = 'Parsers/ASimAuthenticationContosoShop.yaml';

/** A generated solution folder with its parsers, in a fresh temp dir. */
function solutionDir(): string {
  const files = generateSolution(withAsim(), { solution: SOLUTION, now: NOW });
  return join(writeTree(files), 'Solutions', 'ContosoAudit');
}

/** The folder after `edit` changed one file's text (every occurrence, so both queries change alike). */
function edited(file: string, from: string, to: string): string {
  const dir = solutionDir();
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  if (!before.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
  writeFileSync(path, before.split(from).join(to));
  return dir;
}

/** The folder with every line of `file` holding `needle` gone (an extend's list kept well formed). */
function withoutLine(file: string, needle: string): string {
  const dir = solutionDir();
  const path = join(dir, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    if (!line.includes(needle)) kept.push(line);
    else if (!line.endsWith(',')) kept.push((kept.pop() ?? '').replace(/,$/, ''));
  }
  if (kept.length === lines.length) throw new Error(`${file} has no ${JSON.stringify(needle)}`);
  writeFileSync(path, kept.join('\n'));
  return dir;
}

function problems(dir: string): CheckProblem[] {
  return checkSolution(dir, { analyzeKql });
}

function rules(found: readonly CheckProblem[]): string[] {
  return found.map((p) => `${p.file} ${p.rule}`);
}

describe('connector --check on ASIM parsers', () => {
  it('reports a parser file the solution file does not list', () => {
    const dir = edited('Data/Solution_ContosoAudit.json', `"${VIM}",`, '');
    expect(rules(problems(dir))).toEqual([`${VIM} parsers`]);
  });

  it('reports a listed parser that is missing', () => {
    const dir = solutionDir();
    rmSync(join(dir, ASIM));
    expect(rules(problems(dir))).toEqual([`${ASIM} required-file`]);
  });

  it('reports a Parsers entry outside Parsers/', () => {
    const dir = edited(
      'Data/Solution_ContosoAudit.json',
      `"${ASIM}"`,
      '"ASimAuthenticationContosoShop.yaml"',
    );
    expect(rules(problems(dir))).toEqual(['Data/Solution_ContosoAudit.json parsers', `${ASIM} parsers`]);
  });

  it('reports a ParserName that is not the file name', () => {
    const dir = edited(
      ASIM,
      'ParserName: ASimAuthenticationContosoShop',
      'ParserName: ASimAuthenticationOther',
    );
    const found = problems(dir);
    expect(rules(found)).toEqual([`${ASIM} parser`]);
    expect(found[0]?.message).toBe(
      'ParserName is "ASimAuthenticationOther" but the file is ASimAuthenticationContosoShop.yaml',
    );
  });

  it('reports a FunctionName the packager would deploy under another name', () => {
    const dir = edited(ASIM, 'FunctionName: ASimAuthenticationContosoShop', 'FunctionName: ASimAuth');
    expect(problems(dir).map((p) => p.message)).toEqual([
      'FunctionName is "ASimAuth", not the ParserName ASimAuthenticationContosoShop: the solution packager deploys the function under FunctionName',
    ]);
  });

  it('reports an id that is not a GUID, as the solution parsers carry', () => {
    const text = readFileSync(join(solutionDir(), ASIM), 'utf8');
    const id = /^id: (.*)$/m.exec(text)?.[1] ?? '';
    const dir = edited(ASIM, `id: ${id}`, 'id: ASimAuthenticationContosoShop');
    expect(problems(dir).map((p) => p.message)).toEqual([
      'id is "ASimAuthenticationContosoShop", not a GUID: Azure-Sentinel\'s solution parsers carry a GUID id',
    ]);
  });

  it('reports a FunctionQuery that differs from the ParserQuery', () => {
    const dir = solutionDir();
    const path = join(dir, ASIM);
    const text = readFileSync(path, 'utf8');
    const at = text.lastIndexOf('| where not(disabled)');
    writeFileSync(
      path,
      `${text.slice(0, at)}| where disabled${text.slice(at + '| where not(disabled)'.length)}`,
    );
    expect(problems(dir).map((p) => `${p.rule}: ${p.message}`)).toEqual([
      'parser: FunctionQuery differs from ParserQuery: the solution packager deploys FunctionQuery',
    ]);
  });

  it('reports a schema version other than the schema current one', () => {
    const dir = edited(ASIM, "  Version: '0.1.4'", "  Version: '0.1.3'");
    expect(problems(dir).map((p) => p.message)).toEqual([
      `Normalization.Version is "0.1.3", not Authentication's 0.1.4`,
    ]);
  });

  it('reports a Category the packager needs, missing', () => {
    const dir = edited(ASIM, 'Category: Microsoft Sentinel Parser\n', '');
    expect(problems(dir).map((p) => p.message)).toEqual([
      'Category is missing; the solution packager reads it',
    ]);
  });

  it('reports a schema otel-sentinel does not know', () => {
    const dir = edited(ASIM, '  Schema: Authentication', '  Schema: Dns');
    expect(problems(dir).map((p) => p.message)).toEqual([
      'Normalization.Schema "Dns" is not one of Authentication, AuditEvent, UserManagement, WebSession',
    ]);
  });

  it('reports a name that is not an ASIM parser name', () => {
    const dir = solutionDir();
    const text = readFileSync(join(dir, ASIM), 'utf8')
      .split('ASimAuthenticationContosoShop')
      .join('AuthParser');
    writeFileSync(join(dir, 'Parsers/AuthParser.yaml'), text);
    rmSync(join(dir, ASIM));
    const solution = join(dir, 'Data/Solution_ContosoAudit.json');
    writeFileSync(solution, readFileSync(solution, 'utf8').replace(ASIM, 'Parsers/AuthParser.yaml'));
    expect(rules(problems(dir))).toEqual(['Parsers/AuthParser.yaml parser']);
  });

  it('reports parameters that are not the schema standard ones', () => {
    const dir = edited(VIM, "    Default: '*'", "    Default: 'Success'");
    const found = problems(dir);
    expect(rules(found)).toEqual([`${VIM} parser-params`, `${VIM} parser-params`]);
    expect(found[0]?.message).toMatch(
      /^ParserParams: parameters are \(starttime:datetime=datetime\(null\), /,
    );
    expect(found[0]?.message).toContain('eventresult:string=Success, disabled:bool=false');
    expect(found[0]?.message).toContain("the schema's are (starttime:datetime=datetime(null), ");
    expect(found[0]?.message).toContain("eventresult:string='*', disabled:bool=false, pack:bool=false)");
    expect(found[1]?.message).toMatch(/^FunctionParams: /);
  });

  it('reports a missing filtering parameter', () => {
    const dir = edited(
      VIM,
      '  - Name: srchostname_has_any\n    Type: dynamic\n    Default: dynamic([])\n',
      '',
    );
    expect(rules(problems(dir))).toEqual([`${VIM} parser-params`, `${VIM} parser-params`]);
  });

  it("reports a query the analyzer rejects, at the file's line and column", () => {
    const dir = edited(ASIM, '| where not(disabled)', '| where not(disabled) and NoSuchColumn == 1');
    const found = problems(dir);
    expect(rules(found)).toEqual([`${ASIM} parser-query`]);
    const lines = readFileSync(join(dir, ASIM), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('NoSuchColumn')) + 1;
    const column = (lines[line - 1] ?? '').indexOf('NoSuchColumn') + 1;
    expect(found[0]?.message).toMatch(new RegExp(`^${ASIM}:${line}:${column}: KS142 `));
  });

  it('reports a missing mandatory field', () => {
    const dir = withoutLine(ASIM, 'EventCount = int(1)');
    expect(problems(dir).map((p) => p.message)).toEqual([
      'ASimAuthenticationContosoShop: the output has no EventCount (int), a Mandatory field of Authentication',
    ]);
  });

  it('reports a mandatory field of the wrong type', () => {
    const dir = edited(ASIM, 'EventCount = int(1)', 'EventCount = 1');
    expect(problems(dir).map((p) => p.message)).toEqual([
      'ASimAuthenticationContosoShop: EventCount is long; Authentication types it int',
    ]);
  });

  it('reports a missing alias of a present field', () => {
    const dir = withoutLine(ASIM, ' IpAddr = SrcIpAddr');
    expect(problems(dir).map((p) => p.message)).toEqual([
      'ASimAuthenticationContosoShop: the output has SrcIpAddr but not its alias IpAddr',
    ]);
  });

  it('reports a missing *Type companion of a present field', () => {
    const dir = withoutLine(ASIM, 'TargetUsernameType =');
    expect(problems(dir).map((p) => p.message)).toEqual([
      'ASimAuthenticationContosoShop: the output has TargetUsername but not TargetUsernameType, which Authentication requires with it',
    ]);
  });

  it('checks names and parameters without an analyzer, and leaves the queries alone', () => {
    const dir = withoutLine(ASIM, 'EventCount = int(1)');
    expect(checkSolution(dir)).toEqual([]);
  });
});
