// A child process that authenticates the way a deployed app does, configured only by the
// environment the test gives it, then uploads one row. A process of its own per case, because
// MSAL picks the managed identity source (and caches its tokens) once per process.
// TEST_CREDENTIAL: `default` (DefaultAzureCredential) or `managed-identity`, with
// TEST_MANAGED_IDENTITY_CLIENT_ID for a user-assigned identity. Prints the error and exits 1 on failure.
import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { inspect } from 'node:util';
import { LogsIngestionClient } from '@azure/monitor-ingestion';

const endpoint = process.env.SENTINEL_DCE_ENDPOINT ?? '';
const dcr = process.env.SENTINEL_DCR_IMMUTABLE_ID ?? '';
const actor = process.env.TEST_ACTOR ?? '';
const userAssigned = process.env.TEST_MANAGED_IDENTITY_CLIENT_ID;

function credential(): TokenCredential {
  if (process.env.TEST_CREDENTIAL === 'managed-identity') {
    return new ManagedIdentityCredential({
      ...(userAssigned === undefined ? {} : { clientId: userAssigned }),
      retryOptions: { maxRetries: 0 },
    });
  }
  // Instance discovery would ask login.microsoftonline.com about the emulator's authority.
  return new DefaultAzureCredential({ disableInstanceDiscovery: true });
}

const client = new LogsIngestionClient(endpoint, credential());
try {
  const row = {
    TimeGenerated: new Date().toISOString(),
    EventName: 'authn_login_success',
    ActorUserId: actor,
  };
  await client.upload(dcr, 'Custom-AppAuthEvents', [row]);
  process.stdout.write('uploaded\n');
} catch (error) {
  // The whole error: identity puts the service's answer in nested fields, not always the message.
  process.stderr.write(`${inspect(error, { depth: 4 })}\n`);
  process.exitCode = 1;
}
