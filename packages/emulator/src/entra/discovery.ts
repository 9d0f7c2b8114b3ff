// The discovery documents of the emulated Entra ID. MSAL requires `issuer`, `token_endpoint`,
// `authorization_endpoint` and `jwks_uri`, and accepts the issuer only on the origin it asked
// (msal-common `Authority.validateIssuer`), so every URL here is on the emulator's origin.

/** `GET /{tenant}/v2.0/.well-known/openid-configuration`, field for field as Entra ID serves it. */
export function openIdConfiguration(origin: string, tenantId: string): Record<string, unknown> {
  const base = `${origin}/${tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    // Advertised because MSAL requires it; the emulator has no interactive sign-in to serve there.
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'ver', 'azp', 'appid', 'idtyp'],
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

/** `GET /{tenant}/discovery/v2.0/keys`: empty, since access tokens are signed with a secret key. */
export function signingKeys(): { readonly keys: readonly unknown[] } {
  return { keys: [] };
}

/**
 * `GET /common/discovery/instance`: MSAL's cloud instance discovery, answered for the emulator's
 * own host. (MSAL sends this request to login.microsoftonline.com unless instance discovery is
 * disabled; clients of the emulator must disable it.)
 */
export function instanceDiscovery(origin: string, tenant: string): Record<string, unknown> {
  const host = new URL(origin).host;
  return {
    tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
