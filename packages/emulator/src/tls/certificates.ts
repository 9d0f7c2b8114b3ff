// The emulator's TLS material in `<dataDir>/tls`: created on first start, reused afterwards, and
// repaired when a certificate has expired, lost a name, or no longer matches its key or CA.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OtelSentinelError } from '@otel-sentinel/mapping';
import { usableCa, usableServerCertificate } from './check-certificates.js';
import type { PemPair } from './issue-certificates.js';
import { issueCa, issueServerCertificate } from './issue-certificates.js';

export interface EmulatorCertificates {
  /** The local CA certificate (PEM): what a client must trust, e.g. `tlsOptions: { ca: caCertPem }`. */
  readonly caCertPem: string;
  /** The server certificate (PEM) for 127.0.0.1, ::1 and localhost, signed by the CA. */
  readonly certPem: string;
  /** The server certificate's private key (PKCS#8 PEM). */
  readonly keyPem: string;
  /** path of the CA certificate file, for NODE_EXTRA_CA_CERTS */
  readonly caPath: string;
}

export interface EnsureCertificatesOptions {
  /**
   * The time against which existing certificates are checked and new ones are dated.
   * Default: the current time. Example: `new Date('2030-01-01T00:00:00Z')` in a test.
   */
  readonly now?: Date;
}

/** Thrown when the TLS directory or its files cannot be read or written. */
export class CertificateStoreError extends OtelSentinelError {
  declare readonly code: 'E_TLS_CERTIFICATES';
  /** The file or directory at fault. */
  declare readonly path: string;
  constructor(path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'E_TLS_CERTIFICATES',
      `cannot use ${path} for the emulator's TLS certificates (${reason}); choose a writable --data directory`,
      { cause, path },
    );
  }
}

const PUBLIC_FILE_MODE = 0o644;
const SECRET_FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * Returns the emulator's CA and server certificate, creating or repairing them in `<dataDir>/tls`:
 * `ca.pem`, `ca-key.pem`, `server.pem`, `server-key.pem` (keys 0600, directory 0700). A CA that is
 * still valid is kept, so clients that already trust it keep working when only the server
 * certificate is renewed.
 */
export async function ensureCertificates(
  dataDir: string,
  options: EnsureCertificatesOptions = {},
): Promise<EmulatorCertificates> {
  const now = options.now ?? new Date();
  const dir = join(dataDir, 'tls');
  const files = {
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server-key.pem'),
  };
  await ensureDirectory(dir);

  let ca = await readPair(files.caCert, files.caKey);
  const caCert = ca === undefined ? undefined : usableCa(ca, now);
  if (ca === undefined || caCert === undefined) {
    ca = await issueCa(now);
    await writeAtomically(files.caKey, ca.keyPem, SECRET_FILE_MODE);
    await writeAtomically(files.caCert, ca.certPem, PUBLIC_FILE_MODE);
  }

  let server = caCert === undefined ? undefined : await readPair(files.serverCert, files.serverKey);
  if (server === undefined || caCert === undefined || !usableServerCertificate(server, caCert, now)) {
    server = await issueServerCertificate(ca, now);
    await writeAtomically(files.serverKey, server.keyPem, SECRET_FILE_MODE);
    await writeAtomically(files.serverCert, server.certPem, PUBLIC_FILE_MODE);
  }

  return { caCertPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem, caPath: files.caCert };
}

async function ensureDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    // mkdir leaves the mode of an existing directory alone; the keys inside must stay private.
    await chmod(dir, DIR_MODE);
  } catch (error) {
    throw new CertificateStoreError(dir, error);
  }
}

async function readPair(certPath: string, keyPath: string): Promise<PemPair | undefined> {
  const [certPem, keyPem] = await Promise.all([readIfPresent(certPath), readIfPresent(keyPath)]);
  return certPem === undefined || keyPem === undefined ? undefined : { certPem, keyPem };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isNodeError(error) && error.code === 'ENOENT') return undefined;
    throw new CertificateStoreError(path, error);
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves a half-written PEM. */
async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, { mode, flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CertificateStoreError(path, error);
  }
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
