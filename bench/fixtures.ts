// The security events every benchmark uses: a login flow of a web API, about 1 KB per row once
// mapped. One definition, so the packages' figures describe the same workload.

export const AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'curl/8.5.0',
  'python-requests/2.31.0',
];

export const EVENTS: readonly string[] = [
  'authn_login_success',
  'authn_login_fail',
  'authz_fail',
  'session_created',
  'input_validation_fail',
];

/** 2025-11-23T08:15:30Z, in milliseconds. */
export const T0 = 1_763_885_730_000;

/** Whether the i-th event is a success (INFO) or a failure (WARN). */
export function succeeded(i: number): boolean {
  return i % 2 === 0;
}

export function eventName(i: number): string {
  return EVENTS[i % EVENTS.length] ?? 'authn_login_fail';
}

/** The body of the i-th event; `long` adds the routing details that bring a row near 1 KB. */
export function securityBody(i: number, long = true): string {
  const n = i & 255;
  const ok = succeeded(i);
  const head = `User user${n}@contoso.com ${ok ? 'signed in' : 'failed to sign in'} to tenant contoso-prod from 203.0.113.${n}`;
  if (!long) {
    return `${head}; request routed through edge node fra-edge-${n & 7} and application gateway agw-prod-westeurope-01 after passing the WAF policy waf-checkout-default.`;
  }
  return (
    `${head} using password authentication; session ${(0x5f3a0000 + i).toString(16)} ` +
    `was ${ok ? 'created with a lifetime of 3600 seconds and MFA satisfied by claim in token' : 'not created because the password did not match the stored hash'}; ` +
    `request routed through edge node fra-edge-${n & 7} and application gateway agw-prod-westeurope-01 ` +
    `after passing the WAF policy waf-checkout-default (rule set OWASP 3.2, mode prevention).`
  );
}

/** The attributes of the i-th event, `security.event` included. */
export function securityAttributes(i: number): Record<string, string | number | boolean> {
  const n = i & 255;
  const ok = succeeded(i);
  return {
    'security.event': true,
    'event.sequence': i,
    'user.id': `user${n}@contoso.com`,
    'client.address': `203.0.113.${n}`,
    'user_agent.original': AGENTS[i % AGENTS.length] ?? 'curl/8.5.0',
    'url.path': `/api/v2/accounts/${1000 + n}/login`,
    'http.request.method': 'POST',
    'http.response.status_code': ok ? 200 : 401,
    'auth.method': 'password',
    'auth.mfa': ok,
    'tenant.id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
    'session.id': `s-${(0x5f3a0000 + i).toString(16)}`,
    'geo.country': 'DE',
    'retry.count': i % 4,
  };
}

export const DCR = 'dcr-0123456789abcdef0123456789abcdef';
export const STREAM = 'Custom-AppSecurityEvents';

/** A mapping as the exporter and the gateway take it (a subset of the mapping file's shape). */
export interface SecurityMapping {
  readonly version: 1;
  readonly endpoint: string;
  readonly dcrImmutableId: string;
  readonly streams: {
    readonly stream: string;
    readonly table: string;
    readonly columns: Record<
      string,
      string | { from: string; type?: 'long' | 'dynamic'; required?: boolean; exclude?: string[] }
    >;
  }[];
}

/** A realistic security table: 12 columns, the rest of the attributes in a dynamic column. */
export function securityMapping(endpoint: string): SecurityMapping {
  return {
    version: 1,
    endpoint,
    dcrImmutableId: DCR,
    streams: [
      {
        stream: STREAM,
        table: 'AppSecurityEvents_CL',
        columns: {
          TimeGenerated: { from: 'timestamp' },
          EventName: { from: 'eventName', required: true },
          EventSeverity: 'severityText',
          EventOriginalUid: { from: "attributes['event.sequence']", type: 'long' },
          ActorUserId: "attributes['user.id']",
          SrcIpAddr: "attributes['client.address']",
          HttpUserAgent: "attributes['user_agent.original']",
          Url: "attributes['url.path']",
          HttpStatusCode: "attributes['http.response.status_code']",
          DvcHostname: "resource['host.name']",
          Message: 'body',
          AdditionalFields: {
            from: 'attributes',
            type: 'dynamic',
            exclude: [
              'security.event',
              'event.sequence',
              'user.id',
              'client.address',
              'user_agent.original',
              'url.path',
              'http.response.status_code',
            ],
          },
        },
      },
    ],
  };
}
