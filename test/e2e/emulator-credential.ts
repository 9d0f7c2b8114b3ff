// The credential the real Azure SDK clients use against an emulator: its tenant, client and
// secret, its origin as the authority, its CA for TLS.
import { ClientSecretCredential } from '@azure/identity';
import type { RunningEmulator } from '@otel-sentinel/emulator';

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
