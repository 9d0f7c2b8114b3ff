// The credential Azure's JS clients use against a running emulator: its app's id and secret, its
// origin as the authority, its CA for TLS.
import { ClientSecretCredential } from '@azure/identity';
import type { RunningEmulator } from '../../src/emulator.js';

export function credentialFor(e: RunningEmulator): ClientSecretCredential {
  const env = e.env();
  return new ClientSecretCredential(
    env.AZURE_TENANT_ID ?? '',
    env.AZURE_CLIENT_ID ?? '',
    env.AZURE_CLIENT_SECRET ?? '',
    {
      authorityHost: e.origin,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: e.caCertPem },
    },
  );
}
