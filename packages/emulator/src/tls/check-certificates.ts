// Decides whether certificates found in the data dir can be used again, with node's own X.509
// parser: a pair is reused only if it would still pass the checks a TLS client makes.

import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { PemPair } from './issue-certificates.js';
import { SERVER_DNS_NAMES, SERVER_IPS } from './issue-certificates.js';

/** Certificates that expire within this margin are replaced rather than reused. */
const RENEW_MARGIN_MS = 24 * 3_600_000;
const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';

/** The CA certificate if `pair` is a CA that is valid at `now` and whose key matches; else undefined. */
export function usableCa(pair: PemPair, now: Date): X509Certificate | undefined {
  const cert = parse(pair);
  if (cert === undefined || !cert.ca || !validAt(cert, now)) return undefined;
  return cert;
}

/** Whether `pair` is a server certificate issued by `ca`, valid at `now`, for every loopback name. */
export function usableServerCertificate(pair: PemPair, ca: X509Certificate, now: Date): boolean {
  const cert = parse(pair);
  if (cert === undefined || cert.ca || !validAt(cert, now)) return false;
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  // `keyUsage` lists the extended key usages, and is undefined without that extension.
  const extendedUsages = cert.keyUsage as readonly string[] | undefined;
  if (extendedUsages === undefined || !extendedUsages.includes(SERVER_AUTH_OID)) return false;
  return (
    SERVER_IPS.every((ip) => cert.checkIP(ip) !== undefined) &&
    SERVER_DNS_NAMES.every((name) => cert.checkHost(name, { subject: 'never' }) !== undefined)
  );
}

/** The certificate, if it parses and the private key belongs to it. */
function parse(pair: PemPair): X509Certificate | undefined {
  try {
    const cert = new X509Certificate(pair.certPem);
    return cert.checkPrivateKey(createPrivateKey(pair.keyPem)) ? cert : undefined;
  } catch {
    // Unreadable or mismatched files are not an error: they are replaced.
    return undefined;
  }
}

function validAt(cert: X509Certificate, now: Date): boolean {
  const time = now.getTime();
  return cert.validFromDate.getTime() <= time && time + RENEW_MARGIN_MS < cert.validToDate.getTime();
}
