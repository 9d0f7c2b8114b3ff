import { describe, expect, it } from 'vitest';
import { readRuleTemplate, retargetConnectors, type RuleTemplate } from '../src/rule-template.js';

const TEMPLATE = [
  '# A rule template as the Azure-Sentinel repository writes them.',
  'id: 7c1e4d2a-9b3f-4e5a-8c6d-1f2a3b4c5d6e',
  "name: 'Brute force: it''s on'",
  'description: |',
  "  'Identifies many failed sign-ins.'",
  'severity: Medium # the default',
  'requiredDataConnectors:',
  '  - connectorId: PlaceholderPush',
  '    dataTypes:',
  '      - AppAuthEvents_CL',
  '  # another product reads its own table',
  '  - dataTypes: [SigninLogs, "AADNonInteractiveUserSignInLogs"]',
  '    connectorId: AzureActiveDirectory',
  'queryFrequency: 1h',
  'tactics:',
  '- CredentialAccess',
  'query: |',
  '  let Threshold = 10;',
  '  AppAuthEvents_CL',
  '    | where EventName == "authn_login_fail"',
  '',
  'kind: "Scheduled"',
  '',
].join('\n');

function template(text: string): RuleTemplate {
  const reading = readRuleTemplate(text);
  if (!reading.ok) throw new Error(reading.problems.join('\n'));
  return reading.template;
}

function problems(text: string): readonly string[] {
  const reading = readRuleTemplate(text);
  return reading.ok ? [] : reading.problems;
}

describe('readRuleTemplate', () => {
  const t = template(TEMPLATE);

  it('reads top-level scalars without their quotes or comments', () => {
    expect(t.values.get('id')).toBe('7c1e4d2a-9b3f-4e5a-8c6d-1f2a3b4c5d6e');
    expect(t.values.get('name')).toBe("Brute force: it's on");
    expect(t.values.get('severity')).toBe('Medium');
    expect(t.values.get('kind')).toBe('Scheduled');
  });

  it('reads a block scalar as its dedented text, and a nested block as empty', () => {
    expect(t.values.get('query')).toBe(
      'let Threshold = 10;\nAppAuthEvents_CL\n  | where EventName == "authn_login_fail"',
    );
    expect(t.values.get('description')).toBe("'Identifies many failed sign-ins.'");
    expect(t.values.get('tactics')).toBe('');
  });

  it('reads each required connector with its data types and where its connectorId is written', () => {
    expect(t.connectors.map((c) => ({ connectorId: c.connectorId, dataTypes: c.dataTypes }))).toEqual([
      { connectorId: 'PlaceholderPush', dataTypes: ['AppAuthEvents_CL'] },
      { connectorId: 'AzureActiveDirectory', dataTypes: ['SigninLogs', 'AADNonInteractiveUserSignInLogs'] },
    ]);
    for (const c of t.connectors) {
      const [start, end] = c.range ?? [0, 0];
      expect(TEMPLATE.slice(start, end)).toBe(c.connectorId);
    }
  });

  it('reads requiredDataConnectors: [] as none', () => {
    expect(template('id: x\nrequiredDataConnectors: []\n').connectors).toEqual([]);
  });

  it('reports what is not YAML, or not a template, with line numbers', () => {
    expect(problems('id: a\nname: b\nid: c\n')).toEqual([expect.stringMatching(/^line 3: .*unique/i)]);
    expect(problems('id: [unclosed\n')[0]).toMatch(/^line \d+: /);
    expect(problems('# only a comment\n')).toEqual(['the file has no keys']);
    expect(problems('- a list\n')).toEqual(['the template is not a mapping of keys']);
  });

  it('reports required connectors it cannot read', () => {
    expect(problems('requiredDataConnectors: SigninLogs\n')).toEqual([
      'requiredDataConnectors: expected a list of connectorId/dataTypes entries',
    ]);
    expect(problems('requiredDataConnectors:\n  - just text\n')).toEqual([
      'requiredDataConnectors[0]: expected an entry with connectorId and dataTypes',
    ]);
  });

  it('reads a flow-style entry too, and still rewrites only its connectorId', () => {
    const flow = 'id: x\nrequiredDataConnectors: [{ connectorId: Old, dataTypes: [T_CL] }]\n';
    const t2 = template(flow);
    expect(t2.connectors[0]?.dataTypes).toEqual(['T_CL']);
    expect(retargetConnectors(flow, t2, 'NewPush', new Set(['T_CL']))).toBe(flow.replace('Old', 'NewPush'));
  });
});

describe('retargetConnectors', () => {
  it("rewrites only the connectorId of entries that name the solution's tables", () => {
    const out = retargetConnectors(
      TEMPLATE,
      template(TEMPLATE),
      'ContosoAuditPush',
      new Set(['AppAuthEvents_CL']),
    );
    expect(out).toBe(TEMPLATE.replace('connectorId: PlaceholderPush', 'connectorId: ContosoAuditPush'));
  });

  it('keeps Windows line ends', () => {
    const crlf = 'id: x\r\nrequiredDataConnectors:\r\n  - connectorId: "Old"\r\n    dataTypes: [T_CL]\r\n';
    expect(retargetConnectors(crlf, template(crlf), 'NewPush', new Set(['T_CL']))).toBe(
      'id: x\r\nrequiredDataConnectors:\r\n  - connectorId: NewPush\r\n    dataTypes: [T_CL]\r\n',
    );
  });
});
