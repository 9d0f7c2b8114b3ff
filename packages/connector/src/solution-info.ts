// The solution values (mapping `solution:` section, overridden by flags), validated once.

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

export type PartialSolutionInfo = Partial<Omit<SolutionInfo, 'support'>> & {
  readonly support?: Partial<SupportInfo>;
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
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

  const problems: string[] = [];
  const required = (field: string, v: string | undefined): string => {
    if (v === undefined)
      problems.push(`solution.${field} is missing: set it in the mapping's solution section or by flag`);
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

  if (
    name !== '' &&
    (!SOLUTION_NAME_RE.test(folderName(name)) ||
      !/^[A-Za-z]/.test(connectorId(name)) ||
      connectorId(name).length < 3)
  )
    problems.push(
      `solution.name "${name}" is invalid: use letters, digits, spaces, "_" or "-", starting with a letter, at least 3 letters or digits`,
    );
  if (publisherId !== '' && !PUBLISHER_ID_RE.test(publisherId))
    problems.push(
      `solution.publisherId "${publisherId}" is invalid: it must match ^[a-z][a-z0-9]*$ (lower-case letters and digits, e.g. "contoso")`,
    );
  if (offerId !== '' && !OFFER_ID_RE.test(offerId))
    problems.push(
      `solution.offerId "${offerId}" is invalid: it must match ^[a-z][a-z0-9-]*$ (e.g. "contoso-audit")`,
    );
  if (version !== '' && !SEMVER_RE.test(version))
    problems.push(
      `solution.version "${version}" is not a semver version: use MAJOR.MINOR.PATCH, e.g. "1.0.0"`,
    );
  if (support.tier !== '' && !isTier(support.tier))
    problems.push(
      `solution.support.tier "${support.tier}" is invalid: use one of ${SUPPORT_TIERS.join(', ')}`,
    );
  if (support.email !== '' && !/^[^@\s]+@[^@\s]+$/.test(support.email))
    problems.push(`solution.support.email "${support.email}" is not an e-mail address`);
  if (support.link !== '' && !/^https?:\/\/\S+$/.test(support.link))
    problems.push(`solution.support.link "${support.link}" is not an http(s) URL`);

  if (problems.length > 0 || !isTier(support.tier)) throw new ConnectorError('E_SOLUTION_INFO', problems);
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

function isTier(v: string): v is SupportTier {
  return (SUPPORT_TIERS as readonly string[]).includes(v);
}
