// Mints the emulator's local CA and its loopback server certificate (ECDSA P-256, SHA-256).
// The CA is name-constrained to loopback, so a copy of its key cannot vouch for any other host
// even in a process that trusts it through NODE_EXTRA_CA_CERTS.

import { createPrivateKey, KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { loadX509 } from './load-x509.js';

/** A certificate and its private key, both PEM. */
export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const HOUR_MS = 3_600_000;
const YEAR_MS = 365 * 24 * HOUR_MS;
/** Backdated so that a client whose clock is slightly behind still accepts a fresh certificate. */
const BACKDATE_MS = HOUR_MS;

export const CA_VALIDITY_MS = 10 * YEAR_MS;
export const SERVER_VALIDITY_MS = 2 * YEAR_MS;

/** The names the server certificate covers; its SAN must contain all of them. */
export const SERVER_IPS: readonly string[] = ['127.0.0.1', '::1'];
export const SERVER_DNS_NAMES: readonly string[] = ['localhost'];

/** Creates a self-signed CA allowed to sign only for loopback names. */
export async function issueCa(now: Date): Promise<PemPair> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    // A per-installation suffix tells two emulator CAs apart in a trust store.
    name: `CN=otel-sentinel emulator local CA ${randomBytes(4).toString('hex')}, O=otel-sentinel`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_VALIDITY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.Extension(NAME_CONSTRAINTS_OID, true, loopbackNameConstraints()),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: privateKeyPem(keys.privateKey) };
}

/** Creates a server certificate for 127.0.0.1, ::1 and localhost, signed by `ca`. */
export async function issueServerCertificate(ca: PemPair, now: Date): Promise<PemPair> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = createPrivateKey(ca.keyPem).toCryptoKey(EC_KEY, false, ['sign']);
  const keys = await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: 'CN=localhost, O=otel-sentinel emulator',
    issuer: caCert.subjectName,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + SERVER_VALIDITY_MS),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...SERVER_IPS.map((value) => ({ type: 'ip' as const, value })),
        ...SERVER_DNS_NAMES.map((value) => ({ type: 'dns' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: privateKeyPem(keys.privateKey) };
}

/** A positive 128-bit serial (RFC 5280 allows up to 20 octets; the top bit must be clear). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function privateKeyPem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
}

const NAME_CONSTRAINTS_OID = '2.5.29.30';

/**
 * DER of NameConstraints { permittedSubtrees: dNSName localhost, iPAddress 127.0.0.1/32 and ::1/128 }
 * (RFC 5280 §4.2.1.10). @peculiar/x509 has no class for this extension, so it is encoded here.
 */
function loopbackNameConstraints(): Uint8Array {
  const subtrees = [
    tlv(0x82, Buffer.from('localhost', 'ascii')),
    tlv(0x87, Buffer.from([127, 0, 0, 1, 0xff, 0xff, 0xff, 0xff])),
    tlv(0x87, Buffer.concat([Buffer.alloc(15), Buffer.from([1]), Buffer.alloc(16, 0xff)])),
  ].map((base) => tlv(0x30, base));
  return tlv(0x30, tlv(0xa0, Buffer.concat(subtrees)));
}

/** A DER tag-length-value with a short-form length (every value here is under 128 bytes). */
function tlv(tag: number, value: Uint8Array): Buffer {
  if (value.length > 127) throw new RangeError('DER value too long for a short-form length');
  return Buffer.concat([Buffer.from([tag, value.length]), value]);
}
