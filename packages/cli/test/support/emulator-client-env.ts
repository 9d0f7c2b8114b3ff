// The variables a user exports after `otel-sentinel emulator` so that an Azure client (the
// exporter, the CLI's check and replay) reaches it: its CA and its Entra identity.
import type { RunningEmulator } from '@otel-sentinel/emulator';

export function emulatorClientEnv(emulator: RunningEmulator): Record<string, string> {
  const e = emulator.env();
  return {
    NODE_EXTRA_CA_CERTS: emulator.caPath,
    AZURE_AUTHORITY_HOST: e.AZURE_AUTHORITY_HOST ?? '',
    AZURE_TENANT_ID: e.AZURE_TENANT_ID ?? '',
    AZURE_CLIENT_ID: e.AZURE_CLIENT_ID ?? '',
    AZURE_CLIENT_SECRET: e.AZURE_CLIENT_SECRET ?? '',
  };
}
