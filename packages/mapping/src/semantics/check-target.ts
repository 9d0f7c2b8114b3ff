// Where a stream's rows go: the endpoint and the DCR immutable id, checked where they are
// written (top level or per stream) and reported once when a stream has neither.

import type { PathSegment } from '../problems.js';
import type { Problems, SemanticContext } from './semantic-context.js';

const DCR_ID_RE = /^dcr-[0-9a-f]{32}$/;

export function checkEndpoint(value: string, path: readonly PathSegment[], problems: Problems): void {
  if (value === '') {
    problems.error(
      'E_ENDPOINT',
      path,
      'endpoint is empty; set it to the DCE or DCR logs-ingestion URI (https://…)',
    );
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.error(
      'E_ENDPOINT',
      path,
      `endpoint "${value}" is not a URL; expected https://<dce>.<region>.ingest.monitor.azure.com`,
    );
    return;
  }
  if (url.protocol !== 'https:') {
    problems.error(
      'E_ENDPOINT',
      path,
      `endpoint must use https (the Azure clients refuse ${url.protocol.replace(':', '')}); got "${value}"`,
    );
  } else if (url.pathname !== '/' && url.pathname !== '') {
    problems.warn(
      'W_ENDPOINT_PATH',
      path,
      `endpoint "${value}" has a path; the Logs Ingestion endpoint is only scheme and host, the client adds /dataCollectionRules/…`,
    );
  }
}

export function checkDcrId(value: string, path: readonly PathSegment[], problems: Problems): void {
  if (value === '')
    problems.error('E_DCR_ID', path, 'dcrImmutableId is empty; set it to the DCR immutable id (dcr-…)');
  else if (!DCR_ID_RE.test(value))
    problems.warn(
      'W_DCR_ID',
      path,
      `"${value}" does not look like a DCR immutable id (dcr- followed by 32 lower-case hex digits)`,
    );
}

/** A stream's own endpoint and DCR id, or the top-level ones; each checked, or reported missing. */
export function resolveTarget(
  s: { readonly endpoint?: string | undefined; readonly dcrImmutableId?: string | undefined },
  path: readonly PathSegment[],
  ctx: SemanticContext,
): { endpoint: string | undefined; dcrImmutableId: string | undefined } {
  const endpoint = s.endpoint ?? ctx.endpoint;
  if (endpoint === undefined) missingTarget('endpoint', '${SENTINEL_DCE_ENDPOINT}', path, ctx);
  else checkEndpoint(endpoint, s.endpoint !== undefined ? [...path, 'endpoint'] : ['endpoint'], ctx.problems);
  const dcr = s.dcrImmutableId ?? ctx.dcrImmutableId;
  if (dcr === undefined) missingTarget('dcrImmutableId', '${SENTINEL_DCR_IMMUTABLE_ID}', path, ctx);
  else if (s.dcrImmutableId !== undefined) checkDcrId(dcr, [...path, 'dcrImmutableId'], ctx.problems);
  return { endpoint, dcrImmutableId: dcr };
}

/**
 * A stream with no endpoint or DCR id. Streams from a preset take them from the top level of the
 * user's file, so that is where the problem points (once: equal problems are merged).
 */
function missingTarget(
  key: 'endpoint' | 'dcrImmutableId',
  example: string,
  path: readonly PathSegment[],
  ctx: SemanticContext,
): void {
  if (ctx.streamsFrom !== undefined)
    ctx.problems.error(
      'E_MISSING_KEY',
      [key],
      `no ${key}: the ${ctx.streamsFrom} preset's streams use the top-level ${key}; add "${key}: ${example}" to this file`,
      'key',
    );
  else
    ctx.problems.error('E_MISSING_KEY', path, `no ${key}: set "${key}" at the top level or on this stream`);
}
