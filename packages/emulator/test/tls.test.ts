import { KeyObject, X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureCertificates, type EmulatorCertificates } from '../src/tls/certificates.js';
import { loadX509 } from '../src/tls/load-x509.js';

const YEAR_MS = 365 * 24 * 3_600_000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'emulator-tls-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const tlsFile = (name: string): string => join(dataDir, 'tls', name);

describe('ensureCertificates on first start', () => {
  it('writes the CA, the server certificate and their keys into <dataDir>/tls', async () => {
    const certs = await ensureCertificates(dataDir);

    expect(certs.caPath).toBe(tlsFile('ca.pem'));
    expect(await readFile(tlsFile('ca.pem'), 'utf8')).toBe(certs.caCertPem);
    expect(await readFile(tlsFile('server.pem'), 'utf8')).toBe(certs.certPem);
    expect(await readFile(tlsFile('server-key.pem'), 'utf8')).toBe(certs.keyPem);
    expect(await readFile(tlsFile('ca-key.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it.skipIf(process.platform === 'win32')('keeps the keys 0600 in a 0700 directory', async () => {
    await ensureCertificates(dataDir);

    expect((await stat(join(dataDir, 'tls'))).mode & 0o777).toBe(0o700);
    expect((await stat(tlsFile('server-key.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(tlsFile('ca-key.pem'))).mode & 0o777).toBe(0o600);
  });

  it('makes an ECDSA P-256 CA that may only sign certificates, valid for ten years', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const ca = new X509Certificate((await ensureCertificates(dataDir, { now })).caCertPem);

    expect(ca.ca).toBe(true);
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(ca.validToDate.getTime() - now.getTime()).toBeGreaterThanOrEqual(10 * YEAR_MS - 3_600_000);
    const x509 = await loadX509();
    const usages = new x509.X509Certificate(ca.raw).getExtension(x509.KeyUsagesExtension);
    expect(usages?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
  });

  it('makes a server certificate for 127.0.0.1, ::1 and localhost, for server auth, valid for two years', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const certs = await ensureCertificates(dataDir, { now });
    const server = new X509Certificate(certs.certPem);

    expect(server.ca).toBe(false);
    expect(server.checkIssued(new X509Certificate(certs.caCertPem))).toBe(true);
    expect(server.keyUsage).toContain(SERVER_AUTH);
    expect(server.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost');
    expect(server.checkPrivateKey(createPrivateKey(certs.keyPem))).toBe(true);
    expect(server.validToDate.getTime() - now.getTime()).toBeGreaterThanOrEqual(2 * YEAR_MS - 3_600_000);
    expect(checkServerIdentity('::1', server.toLegacyObject())).toBeUndefined();
  });
});

describe('ensureCertificates on a later start', () => {
  it('reuses the certificates it made before', async () => {
    const first = await ensureCertificates(dataDir);
    const second = await ensureCertificates(dataDir);

    expect(second).toEqual(first);
  });

  it('renews an expired server certificate and keeps the CA', async () => {
    const first = await ensureCertificates(dataDir, { now: new Date('2030-01-01T00:00:00Z') });
    const later = await ensureCertificates(dataDir, { now: new Date('2032-06-01T00:00:00Z') });

    expect(later.caCertPem).toBe(first.caCertPem);
    expect(later.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(later.certPem).checkIssued(new X509Certificate(first.caCertPem))).toBe(true);
    expect(await readFile(tlsFile('server.pem'), 'utf8')).toBe(later.certPem);
  });

  it('renews a server certificate that lacks one of the loopback names', async () => {
    const first = await ensureCertificates(dataDir);
    await writeServerCertificate(['127.0.0.1'], ['localhost']);

    const repaired = await ensureCertificates(dataDir);

    expect(repaired.caCertPem).toBe(first.caCertPem);
    expect(new X509Certificate(repaired.certPem).checkIP('::1')).toBe('::1');
  });

  it('replaces the CA and the server certificate once the CA has expired', async () => {
    const first = await ensureCertificates(dataDir, { now: new Date('2030-01-01T00:00:00Z') });
    const later = await ensureCertificates(dataDir, { now: new Date('2041-01-01T00:00:00Z') });

    expect(later.caCertPem).not.toBe(first.caCertPem);
    expect(new X509Certificate(later.certPem).checkIssued(new X509Certificate(later.caCertPem))).toBe(true);
  });

  it('replaces files it cannot read as certificates', async () => {
    await ensureCertificates(dataDir);
    await writeFile(tlsFile('ca.pem'), 'not a certificate');

    const repaired = await ensureCertificates(dataDir);

    expect(new X509Certificate(repaired.caCertPem).ca).toBe(true);
    expect(new X509Certificate(repaired.certPem).checkIssued(new X509Certificate(repaired.caCertPem))).toBe(
      true,
    );
  });
});

describe('the certificates with node:https', () => {
  let certs: EmulatorCertificates;
  let server: Server;
  let port: number;

  beforeEach(async () => {
    certs = await ensureCertificates(dataDir);
    ({ server, port } = await serve(certs.keyPem, certs.certPem));
  });
  afterEach(async () => {
    await close(server);
  });

  it('lets a client that trusts only the CA connect to 127.0.0.1', async () => {
    await expect(get(port, { ca: certs.caCertPem })).resolves.toBe(200);
  });

  it('lets a client that trusts only the CA connect to localhost', async () => {
    await expect(get(port, { ca: certs.caCertPem, servername: 'localhost' })).resolves.toBe(200);
  });

  it('is refused by a client that does not trust the CA', async () => {
    await expect(get(port, {})).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('is refused for a host name the certificate does not cover', async () => {
    await expect(get(port, { ca: certs.caCertPem, servername: 'example.com' })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });
});

describe('the local CA', () => {
  it('cannot vouch for a host outside loopback, even with its key', async () => {
    const certs = await ensureCertificates(dataDir);
    const forged = await signWithCa(['127.0.0.1'], ['example.com']);
    const { server, port } = await serve(forged.keyPem, forged.certPem);
    try {
      await expect(get(port, { ca: certs.caCertPem, servername: 'example.com' })).rejects.toThrow(
        'permitted subtree violation',
      );
    } finally {
      await close(server);
    }
  });
});

/** A server certificate signed with the CA in `dataDir`, for the given names only. */
async function signWithCa(ips: string[], dnsNames: string[]): Promise<{ certPem: string; keyPem: string }> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(await readFile(tlsFile('ca.pem'), 'utf8'));
  const caKey = createPrivateKey(await readFile(tlsFile('ca-key.pem'), 'utf8')).toCryptoKey(
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const cert = await x509.X509CertificateGenerator.create({
    subject: 'CN=test',
    issuer: caCert.subjectName,
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + YEAR_MS),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...ips.map((value) => ({ type: 'ip' as const, value })),
        ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
      ]),
    ],
  });
  const keyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { certPem: cert.toString('pem'), keyPem };
}

async function writeServerCertificate(ips: string[], dnsNames: string[]): Promise<void> {
  const { certPem, keyPem } = await signWithCa(ips, dnsNames);
  await writeFile(tlsFile('server.pem'), certPem);
  await writeFile(tlsFile('server-key.pem'), keyPem);
}

async function serve(key: string, cert: string): Promise<{ server: Server; port: number }> {
  const server = createServer({ key, cert }, (_request, response) => {
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}

function get(port: number, tls: { ca?: string; servername?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, ...tls }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
