// What every /console request must pass, whichever lane's route answers it: the console must be
// on (else 404), the Host must name this loopback server (a DNS-rebinding page's Host names its
// own domain), and a request that changes something must be JSON from the same origin (a form
// post or a cross-site fetch from another page is refused).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendConsoleError } from './console-error.js';

export interface ConsoleGuardOptions {
  /** Whether the console is served; when not, every /console URL answers 404. */
  readonly enabled: boolean;
  /** The emulator's origin once it listens (`https://127.0.0.1:<port>`). */
  readonly origin: () => string;
}

/** True for `/console`, `/console/…` and `/console?…`, not for `/consoles`. */
export function isConsoleUrl(url: string): boolean {
  return url === '/console' || url.startsWith('/console/') || url.startsWith('/console?');
}

function portOf(origin: string): string {
  try {
    return new URL(origin).port;
  } catch {
    return '';
  }
}

/** The Hosts this server answers the console to: the loopback address or `localhost`, with its port. */
export function allowedHosts(origin: string): readonly string[] {
  const port = portOf(origin);
  return port === '' ? [] : [`127.0.0.1:${port}`, `localhost:${port}`];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/** Why `request` is refused, or undefined when it may go on. */
export function refusal(
  request: Pick<FastifyRequest, 'method' | 'headers'>,
  origin: string,
): { status: number; code: string; message: string } | undefined {
  const host = request.headers.host?.toLowerCase();
  if (host === undefined || !allowedHosts(origin).includes(host)) {
    return {
      status: 403,
      code: 'WrongHost',
      message: `The console answers only to Host ${allowedHosts(origin).join(' or ')}; open it at ${origin}/console/`,
    };
  }
  if (SAFE_METHODS.has(request.method)) return undefined;
  if (!isJson(request.headers['content-type'])) {
    return {
      status: 403,
      code: 'NotJson',
      message: `A ${request.method} to the console must have content-type: application/json`,
    };
  }
  const from = request.headers.origin;
  if (from !== undefined && from.toLowerCase() !== `https://${host}`) {
    return {
      status: 403,
      code: 'CrossOrigin',
      message: `A ${request.method} to the console must come from the console's own page (https://${host}), not from another origin`,
    };
  }
  return undefined;
}

/** Adds the guard to `app`: it runs before any /console route, including other lanes' ones. */
export function guardConsole(app: FastifyInstance, options: ConsoleGuardOptions): void {
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (!isConsoleUrl(request.url)) {
      done();
      return;
    }
    if (!options.enabled) {
      void sendConsoleError(
        reply,
        404,
        'ConsoleOff',
        'The console is off: start the emulator with { console: true } (the CLI serves it unless --no-console)',
      );
      return;
    }
    const refused = refusal(request, options.origin());
    if (refused) {
      void sendConsoleError(reply, refused.status, refused.code, refused.message);
      return;
    }
    done();
  });
}
