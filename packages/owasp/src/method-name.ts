// The helper name of an event: the OWASP name in camelCase (`authn_login_fail` → `authnLoginFail`).
// No imports, so the generator scripts can load it with Node's type stripping.

/** `authn_login_fail` → `authnLoginFail`, `malicious_excess_404` → `maliciousExcess404`. */
export function methodNameOf(eventName: string): string {
  return eventName.replace(/_([a-z0-9])/g, (_match: string, c: string) => c.toUpperCase());
}

/** `authn_login_fail` → `AuthnLoginFail`: the stem of the event's argument type name. */
export function typeNameOf(eventName: string): string {
  const camel = methodNameOf(eventName);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}
