// A port in use, a file that cannot be read, a host that does not answer, a certificate that is not
// trusted: each is the machine's state, not a bug, and gets one line naming what failed and the
// option or variable that fixes it. The errors are real: ports held by real servers, real
// connections refused, a real untrusted certificate (the emulator's, fetched without its CA).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatError } from '../src/errors.js';
import { FIXTURES, PACKAGE_DIR, runCli, SENTINEL_ENV, tempDir } from './support/run-cli.js';
import { startCli, stopCli } from './support/start-cli.js';
import type { Started } from './support/start-cli.js';

const MAPPING = join(PACKAGE_DIR, '../../examples/mappings/app-security.yaml');

/** A TCP server on a free port of 127.0.0.1, holding it. */
async function holdPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return { server, port: address.port };
}

async function release(server: Server): Promise<void> {
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
}

/** What a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('it did not fail');
}

function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/this is a bug|internal error/);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('a port in use', () => {
  let first: Started;
  let port: number;
  let data: string;

  beforeAll(async () => {
    data = tempDir();
    // On disk, as a user runs it (the default --data): the second one opens the same store.
    first = await startCli(['emulator', '--quiet', '--port', '0', '--mapping', MAPPING, '--data', data], {
      env: { PATH: process.env.PATH ?? '', HOME: data },
      until: 'export SENTINEL_DCE_ENDPOINT=',
    });
    const listening = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(first.out);
    port = Number(listening?.[1]);
  });

  afterAll(async () => {
    expect(await stopCli(first, 'SIGINT')).toBe(0);
  });

  it('stops a second emulator on the same port with one line naming the port and --port', () => {
    const r = runCli(['emulator', '--port', String(port), '--mapping', MAPPING, '--data', data], {
      env: { HOME: data },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^otel-sentinel: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use \\(another emulator or gateway\\?\\); ` +
          'stop that process or choose another port with --port \\(0 picks a free one\\)$',
        'm',
      ),
    );
    // The emulator logs its DCRs before it listens; the error is the last line, and the only error.
    expectOneLine(r.stderr.slice(r.stderr.indexOf('otel-sentinel:')));
  });

  it('leaves the first emulator serving, with the CA it named', () => {
    const ca = /trust its CA: NODE_EXTRA_CA_CERTS=(\S+)/.exec(first.out)?.[1] ?? '';
    // A client that trusts that CA gets an HTTP answer: the second start changed neither.
    const client = spawnSync(
      process.execPath,
      ['-e', `fetch('https://127.0.0.1:${port}/').then((r) => console.log(r.status))`],
      { env: { NODE_EXTRA_CA_CERTS: ca }, encoding: 'utf8', timeout: 20_000 },
    );
    expect(client.stderr).toBe('');
    expect(client.stdout).toMatch(/^\d{3}\n$/);
  });

  it('stops the gateway on a port another program holds, naming the port and --port', async () => {
    const held = await holdPort();
    try {
      const mapping = join(FIXTURES, 'mappings', 'transform-ok.yaml');
      const r = runCli(
        ['gateway', '--quiet', '--mapping', mapping, '--port', String(held.port), '--durability', 'memory'],
        { env: { ...SENTINEL_ENV, OTEL_SENTINEL_SPOOL_DIR: join(tempDir(), 'spool') } },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        `otel-sentinel: cannot listen on 127.0.0.1:${held.port}: the port is in use (another emulator or gateway?); ` +
          'stop that process or choose another port with --port (0 picks a free one)\n',
      );
    } finally {
      await release(held.server);
    }
  });

  it('stops the gateway on an address this machine does not have, naming --host', () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of a real interface.
    const mapping = join(FIXTURES, 'mappings', 'transform-ok.yaml');
    const r = runCli(
      [
        'gateway',
        '--quiet',
        '--mapping',
        mapping,
        '--host',
        '192.0.2.1',
        '--port',
        '0',
        '--durability',
        'memory',
      ],
      { env: { ...SENTINEL_ENV, OTEL_SENTINEL_SPOOL_DIR: join(tempDir(), 'spool') } },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'otel-sentinel: cannot listen on 192.0.2.1: no network interface of this machine has that address; choose another with --host\n',
    );
  });

  it('names the emulator CA variable when its certificate is not trusted', async () => {
    // This process does not trust the emulator's CA: a real TLS failure.
    const error = await failure(fetch(`https://127.0.0.1:${port}/`));
    const line = formatError(error, false);
    expect(line).toMatch(
      /^otel-sentinel: the TLS certificate of (the server|127\.0\.0\.1:\d+) is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\); trust its CA with NODE_EXTRA_CA_CERTS=<CA file>/,
    );
    expect(line).toContain(
      '(for the emulator: the file it names at start, "trust its CA: NODE_EXTRA_CA_CERTS=…")',
    );
    // The file the line points to is the one the emulator names at its start.
    const ca = /trust its CA: NODE_EXTRA_CA_CERTS=(\S+)/.exec(first.out)?.[1] ?? '';
    expect(readFileSync(ca, 'utf8')).toContain('BEGIN CERTIFICATE');
  });
});

describe('files', () => {
  it('a directory that cannot be created is named, with the reason, in one line', () => {
    const dir = tempDir();
    const r = runCli(['emulator', '--mapping', MAPPING, '--port', '0', '--data', '/dev/null/emulator'], {
      env: { HOME: dir },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'otel-sentinel: cannot create the directory /dev/null/emulator: a parent is not a directory\n',
    );
  });

  it('a missing file is named with its path', async () => {
    const path = join(tempDir(), 'missing.yaml');
    const line = formatError(await failure(readFile(path)), false);
    expect(line).toBe(`otel-sentinel: cannot open ${path}: no such file or directory\n`);
  });

  it('a directory read as a file says so', async () => {
    const path = tempDir();
    mkdirSync(join(path, 'sub'));
    // readFile opens the directory and fails at read(), whose error carries no path.
    const line = formatError(await failure(readFile(join(path, 'sub'))), false);
    expect(line).toBe('otel-sentinel: cannot read a file given: it is a directory; check the paths\n');
  });

  it('a file it has no permission for is named, also when wrapped as the cause', () => {
    // Root reads any file, so the tests cannot provoke EACCES when they run as root: the error
    // is built as Node builds it.
    const denied = Object.assign(new Error("EACCES: permission denied, open '/etc/app/mapping.yaml'"), {
      code: 'EACCES',
      errno: -13,
      syscall: 'open',
      path: '/etc/app/mapping.yaml',
    });
    const wrapped = new Error('loading the mapping failed', { cause: denied });
    expect(formatError(wrapped, false)).toBe(
      'otel-sentinel: cannot open /etc/app/mapping.yaml: permission denied\n',
    );
  });
});

describe('hosts', () => {
  it('a refused connection names host:port, never the URL or its credentials', async () => {
    const held = await holdPort();
    await release(held.server); // the port is now closed: connecting is refused
    const error = await failure(fetch(`http://127.0.0.1:${held.port}/token?sig=s3cr3t-sig`));
    const line = formatError(error, false);
    expect(line).toBe(
      `otel-sentinel: cannot connect to 127.0.0.1:${held.port}: connection refused (is the service or the emulator running there?); check the endpoint or URL that names it\n`,
    );
    expect(line).not.toContain('s3cr3t');
  });

  it('a host name that does not resolve is named', async () => {
    const error = await failure(lookup('no-such-host.invalid'));
    // ENOTFOUND with DNS; EAI_AGAIN on a machine with no DNS server at all.
    expect(formatError(error, false)).toMatch(
      /^otel-sentinel: cannot resolve no-such-host\.invalid: (no such host; check the host name|the DNS server did not answer)/,
    );
  });

  it('a certificate that is not valid yet, or a failed handshake, is named with its host and code', () => {
    // The shape Node's TLS socket gives these (code, host and port on the error), as the CLI meets them.
    const notYet = Object.assign(new Error('certificate is not yet valid'), {
      code: 'CERT_NOT_YET_VALID',
      host: 'dce.example',
      port: 443,
    });
    expect(formatError(notYet, false)).toBe(
      "otel-sentinel: the TLS certificate of dce.example:443 is not valid yet (CERT_NOT_YET_VALID); check this machine's clock\n",
    );
    const handshake = Object.assign(new Error('wrong version number'), {
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
    });
    expect(formatError(handshake, false)).toMatch(
      /^otel-sentinel: the TLS handshake with the server failed \(ERR_SSL_WRONG_VERSION_NUMBER\); check that the endpoint speaks TLS/,
    );
  });

  it('a broken pipe is not described as a host problem', () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });
    expect(formatError(epipe, false)).toMatch(/^otel-sentinel: internal error: write EPIPE/);
  });

  it('an internal error that quotes a URL does not show its password', async () => {
    const error = await failure(fetch('http://app:s3cr3t-pass@127.0.0.1:1/token'));
    const line = formatError(error, false);
    expect(line).toMatch(/^otel-sentinel: internal error: .*http:\/\/…@127\.0\.0\.1:1\/token/);
    expect(line).not.toContain('s3cr3t');
  });

  it('an error of the program itself is still reported as a bug', () => {
    expect(formatError(new TypeError('x is not a function'), false)).toMatch(
      /^otel-sentinel: internal error: x is not a function \(this is a bug;/,
    );
  });

  it('shows the stack with --debug, operating error or not', async () => {
    const error = await failure(readFile(join(tempDir(), 'missing')));
    expect(formatError(error, true)).toMatch(/ENOENT[^\n]*\n\s+at /);
  });
});
