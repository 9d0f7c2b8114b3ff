// Every secret detector, in the order they run, and the pre-filter in front of them. The
// detectors themselves live in secrets/, one file per family.

import { AUTH_HEADER_DETECTORS, BEARER_BASIC_DETECTORS } from './secrets/auth-headers.js';
import { CARD_DETECTOR } from './secrets/card.js';
import { CLOUD_KEY_DETECTORS } from './secrets/cloud-keys.js';
import { wholeMatch } from './secrets/detector.js';
import type { Detector } from './secrets/detector.js';
import { KEY_VALUE_DETECTORS } from './secrets/key-value.js';
import { PRIVATE_KEY_DETECTORS } from './secrets/private-keys.js';
import { PROVIDER_TOKENS } from './secrets/provider-tokens.js';
import { URL_SECRET_DETECTORS } from './secrets/url-secrets.js';

export { prefilterFor, SCAN_CLEAN, SCAN_HIDING, SCAN_HINT } from './secrets/hints.js';
export type { Prefilter } from './secrets/hints.js';
export type { Detector, Found } from './secrets/detector.js';

// RFC 7519 compact JWS: three base64url parts, the first two JSON objects (`eyJ` is `{"`).
const JWT = wholeMatch('jwt', /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g);

// Specific formats first, so a JWT sent as a bearer token or a GitHub token used as a URL
// password is counted as what it is; the later, structural detectors (key names, headers, URLs)
// skip values that already read `[REDACTED:...]`. Bearer and Basic come before the other
// Authorization schemes, and headers before generic key names (`X-Auth-Token:`).
export const DETECTORS: readonly Detector[] = [
  ...PRIVATE_KEY_DETECTORS,
  JWT,
  PROVIDER_TOKENS,
  ...CLOUD_KEY_DETECTORS,
  ...URL_SECRET_DETECTORS,
  ...BEARER_BASIC_DETECTORS,
  ...AUTH_HEADER_DETECTORS,
  ...KEY_VALUE_DETECTORS,
  CARD_DETECTOR,
];
