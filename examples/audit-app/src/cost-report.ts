// Sends the exporter's operational volume (records it left to the operational pipeline, and what
// they would weigh as Application Insights rows) to the emulator's cost view, when
// OTEL_SENTINEL_COST_REPORT_URL names it: the console then shows what the split saves.

/** What the report is made of: the exporter's stats and when the app started counting. */
export interface OperationalVolume {
  readonly recordsFiltered: number;
  readonly bytesFiltered: number;
}

/** The report the emulator's `POST /console/api/operational-volume` takes. */
export function operationalReport(
  source: string,
  stats: OperationalVolume,
  since: Date,
  until: Date,
): Record<string, string | number> {
  return {
    source,
    recordsFiltered: stats.recordsFiltered,
    bytesFiltered: stats.bytesFiltered,
    since: since.toISOString(),
    until: until.toISOString(),
  };
}

/** `url` without userinfo or query string, fit for a log line. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/**
 * POSTs the report to `url` (the emulator's CA is trusted through NODE_EXTRA_CA_CERTS). Never
 * throws: a report that fails is one line on stderr, since it must not fail the app's shutdown.
 */
export async function sendOperationalReport(
  url: string,
  report: Record<string, string | number>,
): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(report),
      signal: AbortSignal.timeout(5000),
    });
    if (response.ok) return true;
    const text = await response.text();
    console.error(
      `contoso-audit-app: the cost report to ${shown(url)} was refused (${response.status}): ${text.slice(0, 300)}`,
    );
  } catch (error) {
    console.error(
      `contoso-audit-app: the cost report to ${shown(url)} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return false;
}
