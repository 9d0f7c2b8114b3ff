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
 * `https://monitor.azure.com//.default` form that @azure/monitor-ingestion 1.0 sends.
 */
export function audienceForScope(scope: string): string | undefined {
  const value = scope.trim().toLowerCase();
  if (!value.endsWith(DEFAULT_SUFFIX)) return undefined;
  const resource = value.slice(0, -DEFAULT_SUFFIX.length).replace(/\/+$/, '');
  return RESOURCES.has(resource) ? resource : undefined;
}
