// Passwordless credentials of @azure/identity against the emulator, end to end: each gets a token
// the way a deployed app does (certificate, workload identity, the App Service identity endpoint,
// the instance metadata service) and uploads a row through LogsIngestionClient; each is refused
// when its proof is wrong.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { ClientCertificateCredential, WorkloadIdentityCredential } from '@azure/identity';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { startEmulator } from '@otel-sentinel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';

const MAPPING = join(ROOT, 'examples/mappings/app-security.yaml');
const CHILD = join(import.meta.dirname, 'credentials/credential-upload.ts');

let e: RunningEmulator;
let tenantId: string;
let clientId: string;
let dcr: string;
const work = mkdtempSync(join(tmpdir(), 'credentials-'));

/** Variables that steer @azure/identity; the tests set their own and restore these afterwards. */
const IDENTITY_VARIABLES = [
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
  'MSI_ENDPOINT',
  'IMDS_ENDPOINT',
];
const saved = new Map<string, string | undefined>();

beforeAll(async () => {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AZURE_') || IDENTITY_VARIABLES.includes(name)) saved.set(name, process.env[name]);
  }
  for (const name of saved.keys()) Reflect.deleteProperty(process.env, name);
  e = await startEmulator({ mappings: [MAPPING], port: 0, dataDir: join(work, 'emulator'), inMemory: true });
  const env = e.env();
  tenantId = env.AZURE_TENANT_ID ?? '';
  clientId = env.AZURE_CLIENT_ID ?? '';
  dcr = env.SENTINEL_DCR_IMMUTABLE_ID ?? '';
});

afterAll(async () => {
  await e.close();
  for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
});

const viaEmulator = () => ({
  authorityHost: e.origin,
  disableInstanceDiscovery: true,
  tlsOptions: { ca: e.caCertPem },
  // A refusal is final; retries would only slow the refusal tests down.
  retryOptions: { maxRetries: 0 },
});

async function uploadAs(credential: TokenCredential, actor: string): Promise<void> {
  const client = new LogsIngestionClient(e.origin, credential, { tlsOptions: { ca: e.caCertPem } });
  await client.upload(dcr, 'Custom-AppAuthEvents', [
    { TimeGenerated: new Date().toISOString(), EventName: 'authn_login_success', ActorUserId: actor },
  ]);
}

function landed(actor: string): number {
  const table = e.query(`AppAuthEvents_CL | where ActorUserId == '${actor}' | count`);
  return Number(table.rows[0]?.[0] ?? 0);
}

function tokenFile(token: string): string {
  const path = join(work, `token-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, token);
  return path;
}

describe('ClientCertificateCredential with a PEM file', () => {
  it('gets a token with the certificate registered on the app and uploads a row', async () => {
    const credential = new ClientCertificateCredential(
      tenantId,
      clientId,
      { certificatePath: e.clientCertificatePath ?? '' },
      viaEmulator(),
    );
    await uploadAs(credential, 'cert-user');
    expect(landed('cert-user')).toBe(1);
  });

  it('is refused with AADSTS700027 for a certificate the app does not have', async () => {
    // Another emulator data directory holds another certificate for the same client id.
    const other = await startEmulator({
      mappings: [MAPPING],
      port: 0,
      dataDir: join(work, 'other'),
      inMemory: true,
    });
    await other.close();
    const credential = new ClientCertificateCredential(
      tenantId,
      clientId,
      { certificatePath: other.clientCertificatePath ?? '' },
      viaEmulator(),
    );
    await expect(credential.getToken('https://monitor.azure.com/.default')).rejects.toThrow(/AADSTS700027/);
  });
});

describe('WorkloadIdentityCredential with a federated token file', () => {
  it('exchanges the service-account token for an access token and uploads a row', async () => {
    const credential = new WorkloadIdentityCredential({
      tenantId,
      clientId,
      tokenFilePath: tokenFile(e.workloadIdentity.serviceAccountToken()),
      ...viaEmulator(),
    });
    await uploadAs(credential, 'workload-user');
    expect(landed('workload-user')).toBe(1);
  });

  it('is refused with AADSTS700213 for a subject no federated credential names', async () => {
    const credential = new WorkloadIdentityCredential({
      tenantId,
      clientId,
      tokenFilePath: tokenFile(
        e.workloadIdentity.serviceAccountToken({ subject: 'system:serviceaccount:default:intruder' }),
      ),
      ...viaEmulator(),
    });
    await expect(credential.getToken('https://monitor.azure.com/.default')).rejects.toThrow(/AADSTS700213/);
  });
});

/** Runs credentials/credential-upload.ts in a process whose environment is only `env` (and PATH). */
function childUpload(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_EXTRA_CA_CERTS: e.caPath,
        AZURE_AUTHORITY_HOST: e.origin,
        SENTINEL_DCE_ENDPOINT: e.origin,
        SENTINEL_DCR_IMMUTABLE_ID: dcr,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('close', (code) => {
      resolve({ code, output });
    });
  });
}

// MSAL selects the managed identity source once per process, so each case runs in its own.
describe('ManagedIdentityCredential on App Service / Container Apps / Functions', () => {
  it('gets a token from IDENTITY_ENDPOINT with IDENTITY_HEADER and uploads a row', async () => {
    const result = await childUpload({
      TEST_CREDENTIAL: 'managed-identity',
      IDENTITY_ENDPOINT: e.identityEndpoint,
      IDENTITY_HEADER: e.identityHeader,
      TEST_ACTOR: 'app-service-user',
    });
    expect(result).toEqual({ code: 0, output: 'uploaded\n' });
    expect(landed('app-service-user')).toBe(1);
  });

  it('is refused when the header does not match IDENTITY_HEADER', async () => {
    const result = await childUpload({
      TEST_CREDENTIAL: 'managed-identity',
      IDENTITY_ENDPOINT: e.identityEndpoint,
      IDENTITY_HEADER: 'not-the-header',
      TEST_ACTOR: 'app-service-refused',
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/X-IDENTITY-HEADER header is missing or does not match/);
    expect(landed('app-service-refused')).toBe(0);
  });
});

describe('ManagedIdentityCredential on a VM through the instance metadata service', () => {
  it('gets a token from the IMDS path at AZURE_POD_IDENTITY_AUTHORITY_HOST and uploads a row', async () => {
    const result = await childUpload({
      TEST_CREDENTIAL: 'managed-identity',
      AZURE_POD_IDENTITY_AUTHORITY_HOST: e.origin,
      TEST_ACTOR: 'imds-user',
    });
    expect(result).toEqual({ code: 0, output: 'uploaded\n' });
    expect(landed('imds-user')).toBe(1);
  });

  it('is refused for a user-assigned identity the machine does not have', async () => {
    const result = await childUpload({
      TEST_CREDENTIAL: 'managed-identity',
      AZURE_POD_IDENTITY_AUTHORITY_HOST: e.origin,
      TEST_MANAGED_IDENTITY_CLIENT_ID: '00000000-0000-4000-8000-0000000dead1',
      TEST_ACTOR: 'imds-refused',
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/Identity not found/);
    expect(landed('imds-refused')).toBe(0);
  });
});

describe('DefaultAzureCredential, configured only by the environment', () => {
  it('uses the certificate named by AZURE_CLIENT_CERTIFICATE_PATH', async () => {
    const result = await childUpload({
      TEST_CREDENTIAL: 'default',
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: clientId,
      AZURE_CLIENT_CERTIFICATE_PATH: e.clientCertificatePath ?? '',
      TEST_ACTOR: 'default-cert-user',
    });
    expect(result).toEqual({ code: 0, output: 'uploaded\n' });
    expect(landed('default-cert-user')).toBe(1);
  });

  it('uses the federated token of AKS workload identity', async () => {
    const result = await childUpload({
      TEST_CREDENTIAL: 'default',
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: clientId,
      AZURE_FEDERATED_TOKEN_FILE: tokenFile(e.workloadIdentity.serviceAccountToken()),
      TEST_ACTOR: 'default-workload-user',
    });
    expect(result).toEqual({ code: 0, output: 'uploaded\n' });
    expect(landed('default-workload-user')).toBe(1);
  });

  it('uses the App Service identity endpoint', async () => {
    const result = await childUpload({
      TEST_CREDENTIAL: 'default',
      IDENTITY_ENDPOINT: e.identityEndpoint,
      IDENTITY_HEADER: e.identityHeader,
      TEST_ACTOR: 'default-app-service-user',
    });
    expect(result).toEqual({ code: 0, output: 'uploaded\n' });
    expect(landed('default-app-service-user')).toBe(1);
  });

  it('uses the instance metadata service of a VM', async () => {
    const result = await childUpload({
      TEST_CREDENTIAL: 'default',
      AZURE_POD_IDENTITY_AUTHORITY_HOST: e.origin,
      TEST_ACTOR: 'default-imds-user',
    });
    expect(result).toEqual({ code: 0, output: 'uploaded\n' });
    expect(landed('default-imds-user')).toBe(1);
  });

  it('fails, uploading nothing, when the federated token names another subject', async () => {
    const result = await childUpload({
      TEST_CREDENTIAL: 'default',
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: clientId,
      AZURE_FEDERATED_TOKEN_FILE: tokenFile(
        e.workloadIdentity.serviceAccountToken({ subject: 'system:serviceaccount:other:app' }),
      ),
      TEST_ACTOR: 'default-refused-user',
    });
    expect(result.code).toBe(1);
    expect(landed('default-refused-user')).toBe(0);
  });
});
