// The solution values `connector` takes from flags (over the mapping's `solution:` section), and
// the messages that name the mapping key and the flag of a value to fix.

import type { PartialSolutionInfo, SolutionField, SolutionIssue } from '@otel-sentinel/connector';
import { CliError } from '../errors.js';

/** The flags of `connector` that supply solution values. */
export interface SolutionFlagOptions {
  readonly name?: string;
  readonly publisher?: string;
  readonly publisherId?: string;
  readonly offerId?: string;
  readonly solutionVersion?: string;
  readonly description?: string;
  readonly supportName?: string;
  readonly supportEmail?: string;
  readonly supportLink?: string;
  readonly supportTier?: string;
}

const TIERS = ['Microsoft', 'Partner', 'Community'] as const;

/** The flag that supplies each solution value (the mapping key is `solution.<field>`). */
const FLAG_FOR: Readonly<Record<SolutionField, string>> = {
  name: '--name <name>',
  publisher: '--publisher <name>',
  publisherId: '--publisher-id <id>',
  offerId: '--offer-id <id>',
  version: '--solution-version <semver>',
  description: '--description <text>',
  'support.name': '--support-name <name>',
  'support.email': '--support-email <email>',
  'support.link': '--support-link <url>',
  'support.tier': '--support-tier <tier>',
};

function supportTier(value: string): (typeof TIERS)[number] {
  const tier = TIERS.find((t) => t.toLowerCase() === value.toLowerCase());
  if (tier === undefined)
    throw new CliError('E_USAGE', `--support-tier must be ${TIERS.join(', ')}; got "${value}"`);
  return tier;
}

function supportFlags(options: SolutionFlagOptions): NonNullable<PartialSolutionInfo['support']> {
  return {
    ...(options.supportName !== undefined ? { name: options.supportName } : {}),
    ...(options.supportEmail !== undefined ? { email: options.supportEmail } : {}),
    ...(options.supportLink !== undefined ? { link: options.supportLink } : {}),
    ...(options.supportTier !== undefined ? { tier: supportTier(options.supportTier) } : {}),
  };
}

/** The solution values given as flags, for the generator to merge over the mapping's, field by field. */
export function solutionFlags(options: SolutionFlagOptions): PartialSolutionInfo {
  const support = supportFlags(options);
  return {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.publisher !== undefined ? { publisher: options.publisher } : {}),
    ...(options.publisherId !== undefined ? { publisherId: options.publisherId } : {}),
    ...(options.offerId !== undefined ? { offerId: options.offerId } : {}),
    ...(options.solutionVersion !== undefined ? { version: options.solutionVersion } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(Object.keys(support).length > 0 ? { support } : {}),
  };
}

/** One line per missing or invalid solution value, naming its mapping key and its flag. */
export function solutionIssues(mapping: string, issues: readonly SolutionIssue[]): string {
  const lines = issues.map((i) =>
    i.missing
      ? `${mapping}: solution.${i.field} is missing: add it to the file or pass ${FLAG_FOR[i.field]}`
      : `${mapping}: solution.${i.field} ${i.problem} (fix it in the file or with ${FLAG_FOR[i.field]})`,
  );
  const n = issues.length;
  lines.push(
    `${n} solution value${n === 1 ? '' : 's'} to fix: the connector package needs them (otel-sentinel init writes a solution: section to fill in)`,
  );
  return `${lines.join('\n')}\n`;
}

/** The values still as `init` wrote them: fine to try the package, not to publish it. */
export function exampleWarning(mapping: string, fields: readonly SolutionField[]): string {
  return [
    `otel-sentinel: warning: ${mapping} still has example solution values; replace them before you publish or share the package:`,
    ...fields.map((f) => `  solution.${f}: set it in the file or pass ${FLAG_FOR[f]}`),
    '',
  ].join('\n');
}
