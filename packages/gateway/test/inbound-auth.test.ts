// Inbound authentication: either configured secret lets a request in, nothing else does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InboundAuth } from '../src/http/inbound-auth.js';

describe('InboundAuth', () => {
  const auth = new InboundAuth('s3cret-token', 'k3y');

  it('lets in the bearer token (any case of the scheme) or the API key', () => {
    expect(auth.allows({ authorization: 'Bearer s3cret-token' })).toBe(true);
    expect(auth.allows({ authorization: 'bearer   s3cret-token' })).toBe(true);
    expect(auth.allows({ 'x-api-key': 'k3y' })).toBe(true);
    expect(auth.allows({ authorization: 'Bearer wrong', 'x-api-key': 'k3y' })).toBe(true);
  });

  it('keeps out anything else', () => {
    expect(auth.allows({})).toBe(false);
    expect(auth.allows({ authorization: 's3cret-token' })).toBe(false);
    expect(auth.allows({ authorization: 'Basic s3cret-token' })).toBe(false);
    expect(auth.allows({ authorization: 'Bearer k3y' })).toBe(false);
    expect(auth.allows({ 'x-api-key': 's3cret-token' })).toBe(false);
    fc.assert(
      fc.property(fc.string(), fc.string(), (token, key) => {
        fc.pre(token.trim() !== 's3cret-token' && key.trim() !== 'k3y');
        expect(auth.allows({ authorization: `Bearer ${token}`, 'x-api-key': key })).toBe(false);
      }),
    );
  });

  it('lets everything in when no secret is set, and says which kinds it takes', () => {
    expect(new InboundAuth(undefined, undefined).allows({})).toBe(true);
    expect(new InboundAuth(undefined, undefined).describe()).toBe('none');
    expect(new InboundAuth('t', undefined).describe()).toBe('bearer token');
    expect(auth.describe()).toBe('bearer token or API key');
    expect(new InboundAuth('t', undefined).allows({ 'x-api-key': 't' })).toBe(false);
  });
});
