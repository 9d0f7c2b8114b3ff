// The keys behind the passwordless grants, kept in `<dataDir>/identity` like the TLS material: a
// certificate for the first app registration (what ClientCertificateCredential reads), and a test
// Kubernetes service-account issuer the app trusts through a federated credential (workload identity).

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  sign,
  webcrypto,
} from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppRegistration, Catalog } from '../model.js';
import { loadX509 } from '../tls/load-x509.js';

/** The issuer of the test service-account tokens: a cluster's issuer when none is configured. */
export const TEST_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** The service account the first app trusts, as AKS names it. */
export const TEST_SUBJECT = 'system:serviceaccount:default:otel-sentinel';
/** The audience Entra expects in a federated token, and AKS workload identity projects. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export interface WorkloadIssuer {
  /** The `iss` of the tokens it mints. */
  readonly issuer: string;
  /** The subject the first app trusts. */
  readonly subject: string;
  readonly audience: string;
  /**
   * A service-account token, RS256, as the kubelet projects into `AZURE_FEDERATED_TOKEN_FILE`.
   * Override a claim to make one the emulator refuses (another subject, audience, or issuer).
   */
  serviceAccountToken(claims?: {
    subject?: string;
    audience?: string;
    issuer?: string;
    lifetimeSeconds?: number;
  }): string;
}

export interface AppCredentials {
  /** The catalog with the first app's certificate and federated credential added. */
  readonly catalog: Catalog;
  /** PEM (certificate then private key) of the first app: `AZURE_CLIENT_CERTIFICATE_PATH`. */
  readonly certificatePath: string | undefined;
  readonly workloadIssuer: WorkloadIssuer;
}

const DIR_MODE = 0o700;
const SECRET_FILE_MODE = 0o600;
const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
} as const;
const YEAR_MS = 365 * 24 * 3_600_000;

export async function ensureAppCredentials(dataDir: string, catalog: Catalog): Promise<AppCredentials> {
  const dir = join(dataDir, 'identity');
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  await chmod(dir, DIR_MODE);
  const issuerKeyPem = await readOrCreate(join(dir, 'workload-issuer-key.pem'), () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  );
  const issuerKey = createPrivateKey(issuerKeyPem);
  const issuerPublicPem = createPublicKey(issuerKey).export({ type: 'spki', format: 'pem' }).toString();

  const { apps, certificatePath } = await withFirstAppProofs(catalog.apps, dir, issuerPublicPem);

  const keyId = createPublicKey(issuerKey).export({ format: 'jwk' }).n?.slice(0, 16) ?? 'emulator';
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: keyId })).toString('base64url');
  return {
    catalog: { ...catalog, apps },
    certificatePath,
    workloadIssuer: {
      issuer: TEST_ISSUER,
      subject: TEST_SUBJECT,
      audience: TOKEN_EXCHANGE_AUDIENCE,
      serviceAccountToken(claims = {}) {
        const now = Math.floor(Date.now() / 1000);
        const payload = {
          aud: [claims.audience ?? TOKEN_EXCHANGE_AUDIENCE],
          iss: claims.issuer ?? TEST_ISSUER,
          sub: claims.subject ?? TEST_SUBJECT,
          iat: now,
          nbf: now,
          exp: now + (claims.lifetimeSeconds ?? 3600),
          jti: randomBytes(16).toString('hex'),
        };
        const content = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
        return `${content}.${sign('sha256', Buffer.from(content), issuerKey).toString('base64url')}`;
      },
    },
  };
}

/**
 * The first app with a certificate (kept in `dir`, made once) and a federated credential of the
 * test issuer, unless it has its own; the other apps as they are.
 */
async function withFirstAppProofs(
  registered: readonly AppRegistration[],
  dir: string,
  issuerPublicPem: string,
): Promise<{ apps: readonly AppRegistration[]; certificatePath: string | undefined }> {
  const [first, ...rest] = registered;
  if (first === undefined) return { apps: registered, certificatePath: undefined };
  const certificatePath = join(dir, `${first.clientId}.pem`);
  const pem = await readOrCreate(certificatePath, () => selfSignedCertificate(first.displayName));
  const certificatePem = pem.slice(
    0,
    pem.indexOf('-----END CERTIFICATE-----') + '-----END CERTIFICATE-----'.length,
  );
  const withProofs: AppRegistration = {
    ...first,
    certificates: first.certificates ?? [certificatePem],
    federatedCredentials: first.federatedCredentials ?? [
      {
        issuer: TEST_ISSUER,
        subject: TEST_SUBJECT,
        audiences: [TOKEN_EXCHANGE_AUDIENCE],
        signingKeys: [issuerPublicPem],
      },
    ],
  };
  return { apps: [withProofs, ...rest], certificatePath };
}

/** PEM of a self-signed RSA certificate and its key, as `New-SelfSignedCertificate` or openssl make for an app. */
async function selfSignedCertificate(displayName: string): Promise<string> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=${displayName.replace(/[,=+<>#;"\\]/g, ' ')}`,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + YEAR_MS),
    signingAlgorithm: RSA,
    keys,
  });
  const keyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
  return `${certificate.toString('pem')}\n${keyPem}`;
}

async function readOrCreate(path: string, create: () => string | Promise<string>): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
  const content = await create();
  await writeFile(path, content, { mode: SECRET_FILE_MODE });
  return content;
}
