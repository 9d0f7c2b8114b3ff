// The credential used when none is given: DefaultAzureCredential. When AZURE_AUTHORITY_HOST
// points at a loopback address (the local emulator), instance discovery is turned off: MSAL would
// otherwise ask login.microsoftonline.com about the unknown authority before every token.

import { DefaultAzureCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';

const LOOPBACK_AUTHORITY = /^https:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/;

export function defaultCredential(env: Readonly<Record<string, string | undefined>>): TokenCredential {
  const host = env.AZURE_AUTHORITY_HOST;
  const local = host !== undefined && LOOPBACK_AUTHORITY.test(host);
  return new DefaultAzureCredential(local ? { disableInstanceDiscovery: true } : {});
}
