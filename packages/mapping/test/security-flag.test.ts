import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileMapping } from '../src/compile-mapping.js';
import { parseMapping } from '../src/load-mapping.js';
import { securityFlag } from '../src/security-flag.js';
import type { LogRecordLike } from '../src/log-record.js';
import { ENV, oneStream } from './helpers.js';

function withAttributes(attributes: Record<string, unknown>): LogRecordLike {
  return { hrTime: [1_700_000_000, 0], attributes };
}

describe('the security flag', () => {
  const isSecurity = securityFlag('security.event');

  it('is found as the flat key the OWASP helpers write', () => {
    expect(isSecurity(withAttributes({ 'security.event': true }))).toBe(true);
  });

  it('is found nested in a map attribute, as pino and winston bridges emit it', () => {
    expect(isSecurity(withAttributes({ security: { event: true } }))).toBe(true);
  });

  it('accepts the string "true" in both forms and nothing looser', () => {
    expect(isSecurity(withAttributes({ 'security.event': 'true' }))).toBe(true);
    expect(isSecurity(withAttributes({ security: { event: 'true' } }))).toBe(true);
    for (const v of ['TRUE', 'True', '1', 'yes', 1, false, 'false', null, {}, ['true']])
      expect([v, isSecurity(withAttributes({ security: { event: v } }))]).toEqual([v, false]);
  });

  it('leaves records without the flag, or with it beside the path, operational', () => {
    expect(isSecurity(withAttributes({}))).toBe(false);
    expect(isSecurity(withAttributes({ security: true }))).toBe(false);
    expect(isSecurity(withAttributes({ security: 'event' }))).toBe(false);
    expect(isSecurity(withAttributes({ security: { other: true } }))).toBe(false);
    expect(isSecurity(withAttributes({ event: true }))).toBe(false);
    expect(isSecurity(withAttributes({ security: [true] }))).toBe(false);
    expect(isSecurity(withAttributes({ security: new Uint8Array([1]) }))).toBe(false);
  });

  it('takes a nested flag when the flat key is present but not true', () => {
    expect(isSecurity(withAttributes({ 'security.event': false, security: { event: true } }))).toBe(true);
  });

  it('reads a deeper configured path in every mix of flat and nested keys', () => {
    const deep = securityFlag('app.security.event');
    expect(deep(withAttributes({ 'app.security.event': true }))).toBe(true);
    expect(deep(withAttributes({ app: { security: { event: true } } }))).toBe(true);
    expect(deep(withAttributes({ app: { 'security.event': true } }))).toBe(true);
    expect(deep(withAttributes({ 'app.security': { event: true } }))).toBe(true);
    expect(deep(withAttributes({ app: { security: true } }))).toBe(false);
    expect(deep(withAttributes({ security: { event: true } }))).toBe(false);
  });

  it('reads a one-part name as that attribute only', () => {
    const audit = securityFlag('audit');
    expect(audit(withAttributes({ audit: true }))).toBe(true);
    expect(audit(withAttributes({ audit: { event: true } }))).toBe(false);
  });

  it('does not answer from Object.prototype for inherited key names', () => {
    const proto = securityFlag('constructor.event');
    expect(proto(withAttributes({}))).toBe(false);
    expect(proto(withAttributes({ constructor: { event: true } }))).toBe(true);
  });

  it('refuses a name it cannot read', () => {
    expect(() => securityFlag('')).toThrow(RangeError);
    expect(() => securityFlag('a.b.c.d.e.f.g.h.i')).toThrow(/at most 8/);
  });

  it('agrees for any path between its flat form and its fully nested form', () => {
    const part = fc.stringMatching(/^[a-z]{1,6}$/);
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(true, 'true', false),
        (parts, v) => {
          const flag = securityFlag(parts.join('.'));
          let nested: unknown = v;
          for (const p of [...parts].reverse()) nested = { [p]: nested };
          const flat = flag(withAttributes({ [parts.join('.')]: v }));
          const deep = flag(withAttributes(nested as Record<string, unknown>));
          expect([flat, deep]).toEqual([v !== false, v !== false]);
        },
      ),
    );
  });
});

describe('a compiled mapping with the security flag nested', () => {
  it('maps a record flagged as { security: { event: true } } and skips one flagged false', () => {
    const r = parseMapping(oneStream('      Who: "attributes[\'user.id\']"\n'), { env: ENV });
    if (!r.config) throw new Error('mapping invalid');
    const m = compileMapping(r.config, { env: ENV });
    const flagged = m.map(withAttributes({ security: { event: true }, 'user.id': 'joebob1' }));
    expect(flagged.status === 'mapped' ? flagged.row : flagged.status).toEqual({
      TimeGenerated: '2023-11-14T22:13:20.0000000Z',
      Who: 'joebob1',
    });
    expect(m.map(withAttributes({ security: { event: false }, 'user.id': 'joebob1' })).status).toBe(
      'skipped',
    );
  });

  it('rejects a securityAttribute of more than eight parts at its line and column', () => {
    const text = oneStream('      Who: body\n').replace(
      'version: 1\n',
      'version: 1\nsecurityAttribute: a.b.c.d.e.f.g.h.i\n',
    );
    const p = parseMapping(text, { fileName: 'm.yaml', env: ENV }).problems.find(
      (x) => x.code === 'E_SECURITY_ATTRIBUTE',
    );
    expect([p?.line, p?.column, p?.severity]).toEqual([2, 20, 'error']);
  });
});
