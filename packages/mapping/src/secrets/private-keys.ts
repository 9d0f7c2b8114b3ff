// Private keys in every armour: PEM and PGP (`-----BEGIN … PRIVATE KEY-----`), the ssh.com
// `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----` form, PuTTY's .ppk files and age identities.

import { afterPrefix, wholeMatch } from './detector.js';
import type { Detector } from './detector.js';

export const PRIVATE_KEY_DETECTORS: readonly Detector[] = [
  // PEM (RFC 7468: RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS #8), PGP armour and ssh.com's four-dash
  // form; without an END line the key runs to the end of the value.
  wholeMatch(
    'private-key',
    /-{4,5} ?BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)? ?-{4,5}[\s\S]*?(?:-{4,5} ?END \1PRIVATE KEY\2 ?-{4,5}|$)/g,
  ),
  // PuTTY key files, versions 2 and 3 (PuTTY manual, appendix C): the header and public lines
  // stay, the private lines and their MAC go.
  afterPrefix(
    'private-key',
    /(PuTTY-User-Key-File-[23]:[\s\S]*?)(Private-Lines:[\s\S]*?(?:Private-MAC:[ \t]*[0-9a-fA-F]+|$))/g,
  ),
  // age identities: gitleaks age-secret-key (Bech32 after AGE-SECRET-KEY-1).
  wholeMatch('private-key', /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/g),
];
