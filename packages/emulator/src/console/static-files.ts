// Serves the console's files read-only from three roots: the compiled page (dist/console-ui),
// Monaco's and Monaco Kusto's AMD builds (under /console/vs/, in the layout their
// copyMonacoFilesAMD.js makes) and Chart.js's UMD build. A path may never leave its root.

import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendConsoleError } from './console-error.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
};

/**
 * Only the emulator's own files run, nothing is fetched from elsewhere, and no other site may
 * frame the page (clickjacking). Monaco sets styles inline and its AMD loader starts the Kusto
 * worker from a blob: URL that imports same-origin scripts.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Where the console's files are on disk. */
export interface ConsoleRoots {
  /** The compiled page: index.html, style.css, main.js, tabs/…. */
  readonly ui: string;
  /** `monaco-editor/min/vs`. */
  readonly monaco: string;
  /** `@kusto/monaco-kusto/release/min`, served as `vs/language/kusto`. */
  readonly kusto: string;
  /** `chart.js/dist` (chart.umd.min.js). */
  readonly chart: string;
}

/** The roots of the installed package: dist/console-ui next to this module's folder, and node_modules. */
export function installedRoots(): ConsoleRoots {
  const require = createRequire(import.meta.url);
  const here = dirname(fileURLToPath(import.meta.url));
  return {
    ui: resolve(here, '..', 'console-ui'),
    monaco: dirname(require.resolve('monaco-editor/min/vs/loader.js')),
    kusto: dirname(require.resolve('@kusto/monaco-kusto/release/min/monaco.contribution.js')),
    chart: dirname(require.resolve('chart.js')),
  };
}

/**
 * The file `relative` names inside `root`, or undefined when it would step outside it (`..`,
 * an absolute path, a backslash or a NUL byte, in any encoding Fastify has already decoded).
 */
export function inside(root: string, relative: string): string | undefined {
  if (relative.includes('\0') || relative.includes('\\')) return undefined;
  const parts = relative.split('/');
  if (parts.some((p) => p === '..' || p === '.')) return undefined;
  const base = resolve(root);
  const file = resolve(base, ...parts.filter((p) => p !== ''));
  return file.startsWith(base + sep) ? file : undefined;
}

/** Which root and file a path under /console/ maps to. */
export function locate(roots: ConsoleRoots, path: string): string | undefined {
  if (path === '' || path === 'index.html') return join(roots.ui, 'index.html');
  if (path.startsWith('vs/language/kusto/'))
    return inside(roots.kusto, path.slice('vs/language/kusto/'.length));
  // Monaco's other languages are left out, as copyMonacoFilesAMD.js leaves them out.
  if (path.startsWith('vs/language/') || path.startsWith('vs/basic-languages/')) return undefined;
  if (path.startsWith('vs/')) return inside(roots.monaco, path.slice('vs/'.length));
  if (path === 'vendor/chart.umd.min.js') return join(roots.chart, 'chart.umd.min.js');
  return inside(roots.ui, path);
}

async function sendFile(reply: FastifyReply, file: string | undefined, path: string): Promise<FastifyReply> {
  const type = file === undefined ? undefined : CONTENT_TYPES[extname(file)];
  const found =
    file !== undefined && type !== undefined && (await stat(file).catch(() => undefined))?.isFile();
  if (file === undefined || type === undefined || found !== true) {
    const what = path.startsWith('api/') ? `API route GET /console/${path}` : `file ${path}`;
    return sendConsoleError(reply, 404, 'NotFound', `The console has no ${what}`);
  }
  // The page's own files change with each build; Monaco's and Chart.js's only with their versions.
  const cache = path.startsWith('vs/') || path.startsWith('vendor/') ? 'public, max-age=86400' : 'no-cache';
  return reply
    .header('content-type', type)
    .header('cache-control', cache)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .send(await readFile(file));
}

/** `GET /console` (redirect), `GET /console/` and `GET /console/*` for the page and its libraries. */
export function staticRoutes(app: FastifyInstance, roots: ConsoleRoots): void {
  app.get('/console', (_request, reply) => reply.redirect('/console/', 301));
  app.get('/console/', (_request, reply) => sendFile(reply, locate(roots, ''), 'index.html'));
  app.get('/console/*', (request: FastifyRequest<{ Params: { '*': string } }>, reply) => {
    const path = request.params['*'];
    return sendFile(reply, locate(roots, path), path);
  });
}
