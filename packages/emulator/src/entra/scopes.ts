// Which `<resource>/.default` scopes the emulated Entra ID issues tokens for, and the audience
// (`aud`) each resource gets: the Azure Monitor data planes the emulator serves, in every cloud.

/** Resource identifiers (lower case, no trailing slash) the emulator knows, by cloud. */
const RESOURCES: ReadonlySet<string> = new Set([
  // Logs Ingestion (the `audience` of @azure/monitor-ingestion: public, US Gov, China)
  'https://monitor.azure.com',
  'https://monitor.azure.us',
  'https://monitor.azure.cn',
  // Log Analytics query API (@azure/monitor-query-logs)
  'https://api.loganalytics.io',
  'https://api.loganalytics.us',
  'https://api.loganalytics.azure.cn',
]);

const DEFAULT_SUFFIX = '/.default';

/**
 * The token audience for a client-credentials `scope`, or undefined when the emulator cannot
 * issue it. Accepts exactly one `<resource>/.default` (case-insensitive), including the
 * `https://monitor.azure.com//.default` form that @azure/monitor-ingestion 1.0 and Python's
 * azure-monitor-ingestion send, and `<emulator origin>/.default`: Python's `LogsQueryClient`
 * derives its scope from the endpoint it is given (`endpoint=https://127.0.0.1:4443`).
 */
export function audienceForScope(scope: string, ownOrigin?: string): string | undefined {
  const value = scope.trim().toLowerCase();
  if (!value.endsWith(DEFAULT_SUFFIX)) return undefined;
  const resource = value.slice(0, -DEFAULT_SUFFIX.length).replace(/\/+$/, '');
  if (RESOURCES.has(resource)) return resource;
  return ownOrigin !== undefined && isOwnOrigin(resource, ownOrigin) ? resource : undefined;
}

const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * True when `resource` is the emulator's https origin, or another loopback name for it on the
 * same port (`https://localhost:4443` for `https://127.0.0.1:4443`), with no path.
 */
export function isOwnOrigin(resource: string, ownOrigin: string): boolean {
  try {
    const given = new URL(resource);
    const own = new URL(ownOrigin);
    return (
      given.protocol === 'https:' &&
      given.port === own.port &&
      (given.pathname === '/' || given.pathname === '') &&
      given.search === '' &&
      LOOPBACK_HOSTNAMES.has(given.hostname) &&
      LOOPBACK_HOSTNAMES.has(own.hostname)
    );
  } catch {
    return false;
  }
}
