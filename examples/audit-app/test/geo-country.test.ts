// The client's country (geo.country.iso_code) on security events: the country part of the region
// the trusted edge reports, so ASIM's SrcGeoCountry is filled for Microsoft's country rules.
import { afterEach, describe, expect, it } from 'vitest';
import { BOB, only, signIn, startApp } from './support/capture.js';
import type { Captured } from './support/capture.js';

let t: Captured;
afterEach(async () => {
  await t.close();
});

const from = (region: string, ip: string) => ({ 'x-client-region': region, 'x-forwarded-for': ip });

describe('geo.country.iso_code', () => {
  it('is the country of the edge region on a sign-in: CN for CN-SH', async () => {
    t = await startApp();
    await signIn(t.app, BOB, from('CN-SH', '203.0.113.88'));
    expect(only(t, 'authn_login_success').attributes).toMatchObject({
      'user.id': 'bob',
      'geo.country.iso_code': 'CN',
    });
  });

  it('is on every event of the request, a refusal too: NL for NL-NH', async () => {
    t = await startApp();
    const session = await signIn(t.app, BOB, from('NL-NH', '192.0.2.10'));
    const response = await t.app.inject({
      method: 'GET',
      url: '/admin/users',
      headers: { authorization: `Bearer ${session}`, ...from('NL-NH', '192.0.2.10') },
    });
    expect(response.statusCode).toBe(403);
    expect(only(t, 'authz_fail').attributes['geo.country.iso_code']).toBe('NL');
  });

  it('is left out without a region header, and when the app trusts no proxy', async () => {
    t = await startApp({ trustProxy: false });
    await signIn(t.app, BOB, from('NL-NH', '192.0.2.10'));
    expect(only(t, 'authn_login_success').attributes).not.toHaveProperty('geo.country.iso_code');
  });
});
