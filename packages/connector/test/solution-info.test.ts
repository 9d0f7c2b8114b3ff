import { describe, expect, it } from 'vitest';
import { exampleFields, OtelSentinelError, resolveSolutionInfo, SolutionInfoError } from '../src/index.js';
import type { SolutionInfo } from '../src/index.js';

const CONTOSO: SolutionInfo = {
  name: 'Contoso Audit',
  publisher: 'Contoso',
  publisherId: 'contoso',
  offerId: 'contoso-audit',
  version: '1.0.0',
  description: 'Audit events',
  support: {
    name: 'Contoso SecOps',
    email: 'secops@contoso.com',
    link: 'https://contoso.com/help',
    tier: 'Partner',
  },
};

function issuesOf(section: object | undefined, flags: object | undefined): unknown {
  try {
    resolveSolutionInfo(section, flags);
  } catch (error) {
    expect(error).toBeInstanceOf(SolutionInfoError);
    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({ name: 'SolutionInfoError', code: 'E_SOLUTION_INFO' });
    return (error as SolutionInfoError).issues;
  }
  throw new Error('resolveSolutionInfo did not throw');
}

describe('solution values', () => {
  it('names each missing value by its key under solution:, in the order of the section', () => {
    expect(issuesOf(undefined, { publisher: 'Contoso', support: { tier: 'Partner' } })).toEqual([
      { field: 'name', problem: 'is missing', missing: true },
      { field: 'publisherId', problem: 'is missing', missing: true },
      { field: 'offerId', problem: 'is missing', missing: true },
      { field: 'version', problem: 'is missing', missing: true },
      { field: 'description', problem: 'is missing', missing: true },
      { field: 'support.name', problem: 'is missing', missing: true },
      { field: 'support.email', problem: 'is missing', missing: true },
      { field: 'support.link', problem: 'is missing', missing: true },
    ]);
  });

  it('names an invalid value with what it must look like, apart from the missing ones', () => {
    expect(issuesOf({ ...CONTOSO, publisherId: 'Contoso' }, { support: { email: 'nobody' } })).toEqual([
      {
        field: 'publisherId',
        problem:
          '"Contoso" is invalid: it must match ^[a-z][a-z0-9]*$ (lower-case letters and digits, e.g. "contoso")',
        missing: false,
      },
      { field: 'support.email', problem: '"nobody" is not an e-mail address', missing: false },
    ]);
  });

  it('keeps one problem per line in the error message', () => {
    expect(() => resolveSolutionInfo({ ...CONTOSO, name: '' }, { version: 'one' })).toThrow(
      [
        'E_SOLUTION_INFO: 2 solution value(s) to fix:',
        "  solution.name is missing: set it in the mapping's solution section or by flag",
        '  solution.version "one" is not a semver version: use MAJOR.MINOR.PATCH, e.g. "1.0.0"',
      ].join('\n'),
    );
  });

  it('finds the example values init writes, and none in real ones', () => {
    const example: SolutionInfo = {
      ...CONTOSO,
      publisher: 'Example Publisher',
      publisherId: 'examplepublisher',
      support: {
        name: 'Example Publisher Security',
        email: 'security@example.com',
        link: 'https://example.com/security',
        tier: 'Community',
      },
    };
    expect(exampleFields(example)).toEqual([
      'publisher',
      'publisherId',
      'support.name',
      'support.email',
      'support.link',
    ]);
    expect(exampleFields(CONTOSO)).toEqual([]);
    const reserved = {
      ...CONTOSO,
      support: { ...CONTOSO.support, email: 'a@contoso.example', link: 'https://docs.example.org/x' },
    };
    expect(exampleFields(reserved)).toEqual(['support.email', 'support.link']);
  });
});
