// Headless Chromium from the system packages, driven by playwright-core, trusting one HTTPS server's
// certificate and nothing else: Chromium is told the SHA-256 of that server's public key
// (--ignore-certificate-errors-spki-list), so every other certificate error still fails as usual.
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:tls';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser; OTEL_SENTINEL_CHROMIUM names another. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The Chromium binary, or an error naming what is missing and how to install it. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.OTEL_SENTINEL_CHROMIUM;
  const path = named !== undefined && named !== '' ? named : DEBIAN_CHROMIUM;
  if (existsSync(path)) return path;
  const from =
    named !== undefined && named !== '' ? 'OTEL_SENTINEL_CHROMIUM names' : 'the console tests need';
  throw new Error(
    `${from} ${path}, which is not there: install Chromium with \`apt-get install -y chromium\` ` +
      '(scripts/toolchain.sh does it for .ci/run), or set OTEL_SENTINEL_CHROMIUM to a Chromium binary',
  );
}

/**
 * The base64 SHA-256 of the public key (SubjectPublicKeyInfo) the server at `origin` presents,
 * read over a TLS handshake that verifies it against `caPem`: what Chromium's SPKI list takes.
 */
export async function serverSpkiHash(origin: string, caPem: string): Promise<string> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), ca: caPem }, () => {
      // Node's `pubkey` is the bare key for EC certificates; Chromium hashes the whole SPKI.
      const spki = new X509Certificate(socket.getPeerCertificate().raw).publicKey.export({
        type: 'spki',
        format: 'der',
      });
      socket.end();
      resolve(createHash('sha256').update(spki).digest('base64'));
    });
    socket.once('error', (error) => {
      reject(new Error(`TLS handshake with ${origin} failed: ${error.message}`));
    });
  });
}

export interface HeadlessBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors since the page opened, one line each. */
  readonly errors: string[];
  close(): Promise<void>;
}

/**
 * Launches headless Chromium trusting the certificate of the server at `origin` (verified against
 * `caPem`), with one page open; its console errors and uncaught exceptions are collected.
 */
export async function launchTrusting(origin: string, caPem: string): Promise<HeadlessBrowser> {
  const spki = await serverSpkiHash(origin, caPem);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox (playwright's default, too).
    chromiumSandbox: false,
    args: [`--ignore-certificate-errors-spki-list=${spki}`],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
    return {
      browser,
      context,
      page,
      errors,
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
