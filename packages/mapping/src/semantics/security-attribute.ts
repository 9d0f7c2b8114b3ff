// The top-level `securityAttribute`: the dotted path of the flag that marks security records.

import { MAX_SECURITY_PATH_PARTS } from '../security-flag.js';
import type { Problems } from './semantic-context.js';

/** Checks that a `securityAttribute` has few enough dot-separated parts to be read nested. */
export function checkSecurityAttribute(value: string, problems: Problems): void {
  if (value.split('.').length > MAX_SECURITY_PATH_PARTS)
    problems.error(
      'E_SECURITY_ATTRIBUTE',
      ['securityAttribute'],
      `securityAttribute "${value}" has more than ${MAX_SECURITY_PATH_PARTS} dot-separated parts; use a shorter name such as security.event`,
    );
}
