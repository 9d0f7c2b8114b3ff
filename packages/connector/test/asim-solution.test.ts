import { join } from 'node:path';
import { analyzeKql } from '@otel-sentinel/kql';
import { describe, expect, it } from 'vitest';
import { checkSolution, generateArmTemplate, generateSolution } from '../src/index.js';
import type { GeneratedFile } from '../src/index.js';
import { withAsim } from './asim-fixture.js';
import { NOW, SOLUTION, writeTree } from './helpers.js';

function content(files: readonly GeneratedFile[], name: string): string {
  const f = files.find((x) => x.path.endsWith(`/${name}`));
  if (f === undefined) throw new Error(`no ${name} among ${files.map((x) => x.path).join(', ')}`);
  return f.content;
}

const PARSERS = 'Solutions/ContosoAudit/Parsers';

describe('generateSolution with an ASIM declaration', () => {
  const files = generateSolution(withAsim(), { solution: SOLUTION, now: NOW });

  it('writes the filtering and the parameter-less parser in Parsers/ and lists them', () => {
    expect(files.map((f) => f.path).filter((p) => p.startsWith(PARSERS))).toEqual([
      `${PARSERS}/vimAuthenticationContosoShop.yaml`,
      `${PARSERS}/ASimAuthenticationContosoShop.yaml`,
    ]);
    const solution = JSON.parse(content(files, 'Solution_ContosoAudit.json'));
    expect(solution.Parsers).toEqual([
      'Parsers/vimAuthenticationContosoShop.yaml',
      'Parsers/ASimAuthenticationContosoShop.yaml',
    ]);
  });

  it('writes the ASIM parser format and the keys the solution packager reads', () => {
    const yaml = content(files, 'ASimAuthenticationContosoShop.yaml');
    const expected = [
      'Parser:',
      "  Title: 'Authentication ASIM parser for Contoso Shop (AppAuthEvents_CL)'",
      "  Version: '1.0.0'",
      "  LastUpdated: '2026-11-23'",
      'Product:',
      "  Name: 'Shop'",
      'Normalization:',
      '  Schema: Authentication',
      "  Version: '0.1.4'",
      'References:',
      "  - Title: 'ASIM Authentication Schema'",
      '    Link: https://aka.ms/ASimAuthenticationDoc',
      '  - Title: ASIM',
      '    Link: https://aka.ms/AboutASIM',
      'Description: |',
    ].join('\n');
    expect(yaml).toContain(expected);
    expect(yaml).toContain(
      [
        'ParserName: ASimAuthenticationContosoShop',
        'ParserParams:',
        '  - Name: disabled',
        '    Type: bool',
        '    Default: false',
        '  - Name: pack',
        '    Type: bool',
        '    Default: false',
        'ParserQuery: |',
        '  let parser = (',
      ].join('\n'),
    );
    // Azure-Sentinel's solution parsers carry a GUID id (e.g. Solutions/SentinelOne/Parsers/SentinelOne.yaml).
    const ids = files
      .filter((f) => f.path.includes('/Parsers/'))
      .map((f) => /^id: (.*)$/m.exec(f.content)?.[1]);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const again = generateSolution(withAsim(), { solution: SOLUTION, now: NOW });
    expect(
      again.filter((f) => f.path.includes('/Parsers/')).map((f) => /^id: (.*)$/m.exec(f.content)?.[1]),
    ).toEqual(ids);
    expect(yaml).toContain(
      [
        'Function:',
        "  Title: 'Authentication ASIM parser for Contoso Shop (AppAuthEvents_CL)'",
        "  Version: '1.0.0'",
        "  LastUpdated: '2026-11-23'",
        'Category: Microsoft Sentinel Parser',
        'FunctionName: ASimAuthenticationContosoShop',
        'FunctionAlias: ASimAuthenticationContosoShop',
        'FunctionParams:',
      ].join('\n'),
    );
  });

  it("writes the eventresult default as YAML's '*', which the packager quotes for KQL", () => {
    expect(content(files, 'vimAuthenticationContosoShop.yaml')).toContain(
      ['  - Name: eventresult', '    Type: string', "    Default: '*'"].join('\n'),
    );
  });

  it("passes every check, the parsers' queries and fields included, with Microsoft's analyzer", () => {
    const dir = writeTree(files);
    expect(checkSolution(join(dir, 'Solutions', 'ContosoAudit'), { analyzeKql })).toEqual([]);
  });

  it('writes no custom unifier unless asked', () => {
    expect(files.some((f) => f.path.includes('Custom'))).toBe(false);
  });
});

describe('the custom unifiers, on request', () => {
  const files = generateSolution(withAsim(), { solution: SOLUTION, now: NOW, asimCustomUnifiers: true });

  it('union the stream parsers with the parameters of the unifying parser', () => {
    const im = content(files, 'Im_AuthenticationCustom.yaml');
    expect(im).toContain(
      [
        'ParserQuery: |',
        '  union isfuzzy=true',
        '      vimAuthenticationContosoShop(starttime=starttime, endtime=endtime, username_has_any=username_has_any, targetappname_has_any=targetappname_has_any, srcipaddr_has_any_prefix=srcipaddr_has_any_prefix, srchostname_has_any=srchostname_has_any, eventtype_in=eventtype_in, eventresultdetails_in=eventresultdetails_in, eventresult=eventresult, disabled=disabled, pack=pack)',
      ].join('\n'),
    );
    expect(im).toContain("  Name: 'Source agnostic'");
    const asim = content(files, 'ASim_AuthenticationCustom.yaml');
    expect(asim).toContain('      ASimAuthenticationContosoShop(disabled=disabled, pack=pack)');
  });

  it('lists them and passes every check', () => {
    const solution = JSON.parse(content(files, 'Solution_ContosoAudit.json'));
    expect(solution.Parsers).toContain('Parsers/Im_AuthenticationCustom.yaml');
    expect(solution.Parsers).toContain('Parsers/ASim_AuthenticationCustom.yaml');
    const dir = writeTree(files);
    expect(checkSolution(join(dir, 'Solutions', 'ContosoAudit'), { analyzeKql })).toEqual([]);
  });
});

describe('the --arm template', () => {
  const template = JSON.parse(generateArmTemplate(withAsim()).content);
  const searches = template.resources.filter(
    (r: { type: string }) => r.type === 'Microsoft.OperationalInsights/workspaces/savedSearches',
  );

  it('saves each parser as a workspace function after its table', () => {
    expect(
      searches.map((r: { properties: { functionAlias: string } }) => r.properties.functionAlias),
    ).toEqual(['vimAuthenticationContosoShop', 'ASimAuthenticationContosoShop']);
    const { query, ...rest } = searches[1].properties;
    expect(searches[1]).toMatchObject({
      apiVersion: '2020-08-01',
      name: "[format('{0}/{1}', parameters('workspaceName'), 'ASimAuthenticationContosoShop')]",
      etag: '*',
      dependsOn: [
        "[resourceId('Microsoft.OperationalInsights/workspaces/tables', parameters('workspaceName'), 'AppAuthEvents_CL')]",
      ],
    });
    expect(rest).toEqual({
      category: 'ASIM',
      displayName: 'Authentication ASIM parser for Contoso Shop (AppAuthEvents_CL)',
      functionAlias: 'ASimAuthenticationContosoShop',
      functionParameters: 'disabled:bool=false,pack:bool=false',
      version: 1,
    });
    expect(query).toContain("EventSchema = 'Authentication'");
  });

  it('gives the filtering parser the schema parameters in functionParameters', () => {
    expect(searches[0].properties.functionParameters).toBe(
      "starttime:datetime=datetime(null),endtime:datetime=datetime(null),username_has_any:dynamic=dynamic([]),targetappname_has_any:dynamic=dynamic([]),srcipaddr_has_any_prefix:dynamic=dynamic([]),srchostname_has_any:dynamic=dynamic([]),eventtype_in:dynamic=dynamic([]),eventresultdetails_in:dynamic=dynamic([]),eventresult:string='*',disabled:bool=false,pack:bool=false",
    );
  });

  it('deploys the custom unifiers only when asked', () => {
    const names = (t: { resources: { name: string }[] }) => t.resources.map((r) => r.name).join(' ');
    expect(names(template)).not.toContain('Custom');
    const withUnifiers = JSON.parse(generateArmTemplate(withAsim(), { asimCustomUnifiers: true }).content);
    expect(names(withUnifiers)).toContain("'Im_AuthenticationCustom')]");
    expect(names(withUnifiers)).toContain("'ASim_AuthenticationCustom')]");
  });

  it('reads the same query as the solution file', () => {
    const files = generateSolution(withAsim(), { solution: SOLUTION, now: NOW });
    const yaml = content(files, 'vimAuthenticationContosoShop.yaml');
    const indented = (searches[0].properties.query as string)
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l === '' ? '' : `  ${l}`))
      .join('\n');
    expect(yaml).toContain(`ParserQuery: |\n${indented}\n`);
  });
});
