// The solution values (mapping `solution:` section, overridden by flags), validated once.

import type { MappingConfig } from '@otel-sentinel/mapping';
import { ConnectorError } from './errors.js';

export const SUPPORT_TIERS = ['Partner', 'Microsoft', 'Community'] as const;
export type SupportTier = (typeof SUPPORT_TIERS)[number];

export interface SupportInfo {
  /** Who supports the solution, e.g. `Contoso Security`. */
  readonly name: string;
  /** Support e-mail, e.g. `security@contoso.com`. */
  readonly email: string;
  /** Support web page, e.g. `https://contoso.com/support`. */
  readonly link: string;
  /** `Partner`, `Microsoft` or `Community`. */
  readonly tier: SupportTier;
}

export interface SolutionInfo {
  /** Solution name; the folder is this name without spaces, e.g. `Contoso Audit` → `ContosoAudit`. */
  readonly name: string;
  /** Publisher display name, e.g. `Contoso`. */
  readonly publisher: string;
  /** Marketplace publisher id, `^[a-z][a-z0-9]*$`, e.g. `contoso`. */
  readonly publisherId: string;
  /** Marketplace offer id, `^[a-z][a-z0-9-]*$`, e.g. `contoso-audit`. */
  readonly offerId: string;
  /** Semver version of the solution, e.g. `1.0.0`. */
  readonly version: string;
  /** Markdown description shown in the connector page and the solution. */
  readonly description: string;
  /** Optional SVG logo (the markup itself). */
  readonly logo?: string;
  readonly support: SupportInfo;
}

export const PUBLISHER_ID_RE = /^[a-z][a-z0-9]*$/;
export const OFFER_ID_RE = /^[a-z][a-z0-9-]*$/;
export const SOLUTION_NAME_RE = /^[A-Za-z0-9_-]+$/;
// semver.org's regular expression (numeric identifiers without leading zeros, pre-release, build).
export const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** The folder name (and `Name` in the solution file): the name without spaces. */
export function folderName(name: string): string {
  return name.replace(/\s+/g, '');
}

/** The connector id used for `<Id>_ccf`, `<Id>Push`, `<Id>PushDCR`: only letters and digits. */
export function connectorId(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '');
}

/** A solution value by its key under the mapping's `solution:`, e.g. `publisherId`, `support.email`. */
export type SolutionField = Exclude<keyof SolutionInfo, 'support' | 'logo'> | `support.${keyof SupportInfo}`;

/** One missing or invalid solution value. */
export interface SolutionIssue {
  readonly field: SolutionField;
  /** What is wrong, after the field: `is missing`, or `"Foo" is invalid: it must match …`. */
  readonly problem: string;
  readonly missing: boolean;
}

/** `E_SOLUTION_INFO`: every missing or invalid value, so a caller can say where each is set. */
export class SolutionInfoError extends ConnectorError {
  readonly issues: readonly SolutionIssue[];

  constructor(issues: readonly SolutionIssue[]) {
    super(
      'E_SOLUTION_INFO',
      issues.map(
        (i) =>
          `solution.${i.field} ${i.problem}${i.missing ? ": set it in the mapping's solution section or by flag" : ''}`,
      ),
    );
    this.issues = issues;
    // One problem per line: ten of them on one line cannot be read.
    this.message = [`E_SOLUTION_INFO: ${issues.length} solution value(s) to fix:`, ...this.problems].join(
      '\n  ',
    );
  }
}

export type PartialSolutionInfo = Partial<Omit<SolutionInfo, 'support'>> & {
  readonly support?: Partial<SupportInfo>;
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** The mapping's `solution:` values with `overrides` (the CLI's flags) merged over them, checked. */
export function solutionInfoOf(config: MappingConfig, overrides?: PartialSolutionInfo): SolutionInfo {
  const s: unknown = config.solution;
  return resolveSolutionInfo(typeof s === 'object' && s !== null ? s : undefined, overrides);
}

/** Merges flags over the mapping's section and checks every field; throws one error naming all. */
export function resolveSolutionInfo(
  fromMapping: PartialSolutionInfo | undefined,
  overrides: PartialSolutionInfo | undefined,
): SolutionInfo {
  const base = fromMapping ?? {};
  const over = overrides ?? {};
  const pick = (k: Exclude<keyof SolutionInfo, 'support'>): string | undefined =>
    str(over[k]) ?? str(base[k]);
  const pickSupport = (k: keyof SupportInfo): string | undefined =>
    str(over.support?.[k]) ?? str(base.support?.[k]);

  const issues: SolutionIssue[] = [];
  const required = (field: SolutionField, v: string | undefined): string => {
    if (v === undefined) issues.push({ field, problem: 'is missing', missing: true });
    return v ?? '';
  };

  const name = required('name', pick('name'));
  const publisher = required('publisher', pick('publisher'));
  const publisherId = required('publisherId', pick('publisherId'));
  const offerId = required('offerId', pick('offerId'));
  const version = required('version', pick('version'));
  const description = required('description', pick('description'));
  const logo = pick('logo');
  const support = {
    name: required('support.name', pickSupport('name')),
    email: required('support.email', pickSupport('email')),
    link: required('support.link', pickSupport('link')),
    tier: required('support.tier', pickSupport('tier')),
  };
  issues.push(...invalidValues({ name, publisherId, offerId, version, support }));

  if (issues.length > 0 || !isTier(support.tier)) throw new SolutionInfoError(issues);
  return {
    name,
    publisher,
    publisherId,
    offerId,
    version,
    description,
    ...(logo !== undefined ? { logo } : {}),
    support: { ...support, tier: support.tier },
  };
}

/** The given (non-empty) values that break their field's rule, one issue each, in field order. */
function invalidValues(v: {
  readonly name: string;
  readonly publisherId: string;
  readonly offerId: string;
  readonly version: string;
  readonly support: { readonly email: string; readonly link: string; readonly tier: string };
}): SolutionIssue[] {
  const issues: SolutionIssue[] = [];
  const invalid = (field: SolutionField, problem: string): void => {
    issues.push({ field, problem, missing: false });
  };
  const { name, publisherId, offerId, version, support } = v;
  if (name !== '' && !isSolutionName(name))
    invalid(
      'name',
      `"${name}" is invalid: use letters, digits, spaces, "_" or "-", starting with a letter, at least 3 letters or digits`,
    );
  if (publisherId !== '' && !PUBLISHER_ID_RE.test(publisherId))
    invalid(
      'publisherId',
      `"${publisherId}" is invalid: it must match ^[a-z][a-z0-9]*$ (lower-case letters and digits, e.g. "contoso")`,
    );
  if (offerId !== '' && !OFFER_ID_RE.test(offerId))
    invalid('offerId', `"${offerId}" is invalid: it must match ^[a-z][a-z0-9-]*$ (e.g. "contoso-audit")`);
  if (version !== '' && !SEMVER_RE.test(version))
    invalid('version', `"${version}" is not a semver version: use MAJOR.MINOR.PATCH, e.g. "1.0.0"`);
  if (support.tier !== '' && !isTier(support.tier))
    invalid('support.tier', `"${support.tier}" is invalid: use one of ${SUPPORT_TIERS.join(', ')}`);
  if (support.email !== '' && !/^[^@\s]+@[^@\s]+$/.test(support.email))
    invalid('support.email', `"${support.email}" is not an e-mail address`);
  if (support.link !== '' && !/^https?:\/\/\S+$/.test(support.link))
    invalid('support.link', `"${support.link}" is not an http(s) URL`);
  return issues;
}

/** A name that makes a valid folder and connector id (a letter first, 3+ letters or digits). */
function isSolutionName(name: string): boolean {
  const id = connectorId(name);
  return SOLUTION_NAME_RE.test(folderName(name)) && /^[A-Za-z]/.test(id) && id.length >= 3;
}

function isTier(v: string): v is SupportTier {
  return (SUPPORT_TIERS as readonly string[]).includes(v);
}

/** Host names RFC 2606 keeps for examples: example.com, .net, .org and the .example domain. */
const EXAMPLE_HOST = /(?:^|\.)example(?:\.(?:com|net|org))?$/i;

/**
 * The fields that still hold example values (an example.com address or link, an "Example"
 * publisher), as `otel-sentinel init` writes them to be replaced before the package is published.
 */
export function exampleFields(info: SolutionInfo): SolutionField[] {
  const out: SolutionField[] = [];
  if (/^example/i.test(info.publisher)) out.push('publisher');
  if (/^example/i.test(info.publisherId)) out.push('publisherId');
  if (/^example/i.test(info.support.name)) out.push('support.name');
  if (EXAMPLE_HOST.test(info.support.email.split('@').pop() ?? '')) out.push('support.email');
  if (EXAMPLE_HOST.test(hostOf(info.support.link))) out.push('support.link');
  return out;
}

function hostOf(link: string): string {
  try {
    return new URL(link).hostname;
  } catch {
    return '';
  }
}
