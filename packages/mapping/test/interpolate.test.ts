import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolate } from '../src/interpolate.js';

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
// Text around references: anything without a `$` (a `$` could start another reference).
const text = fc.string().filter((s) => !s.includes('$'));

describe('interpolating ${VAR} and ${VAR:-default}', () => {
  it.each([
    ['${A}', { A: 'x' }, 'x', []],
    ['pre-${A}-post', { A: 'x' }, 'pre-x-post', []],
    ['${A:-fallback}', {}, 'fallback', []],
    ['${A:-fallback}', { A: '' }, 'fallback', []],
    ['${A:-}', {}, '', []],
    ['${A}', { A: '' }, '', []],
    ['${A}${B}', { A: '1' }, '1', ['B']],
    ['$${A}', { A: 'x' }, '${A}', []],
    ['no references', {}, 'no references', []],
    ['${A:-has:-colons}', {}, 'has:-colons', []],
  ])('%s with %o → %s', (input, env: Record<string, string>, value, missing) => {
    const r = interpolate(input, env);
    expect(r.value).toBe(value);
    expect(r.missing).toEqual(missing);
    expect(r.syntaxError).toBeUndefined();
  });

  it.each([['${'], ['a ${B'], ['${1A}'], ['${A B}']])('reports the malformed reference in %s', (input) => {
    expect(interpolate(input, {}).syntaxError).toBeDefined();
  });

  it('knows when the whole value was one reference', () => {
    expect(interpolate('${PORT:-8080}', {}).whole).toBe(true);
    expect(interpolate('x${PORT}', { PORT: '1' }).whole).toBe(false);
  });

  it('replaces every set variable by its value, whatever the surrounding text', () => {
    fc.assert(
      fc.property(text, name, fc.string(), text, (before, n, value, after) => {
        const r = interpolate(`${before}\${${n}}${after}`, { [n]: value });
        expect(r.value).toBe(`${before}${value}${after}`);
        expect(r.missing).toEqual([]);
      }),
    );
  });

  it('names every unset variable without a default, once per reference', () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 5 }), (names) => {
        const r = interpolate(names.map((n) => `\${${n}}`).join('/'), {});
        expect(r.missing).toEqual(names);
        expect(r.value).toBe('/'.repeat(names.length - 1));
      }),
    );
  });

  it('leaves text without references untouched', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(interpolate(t, {}).value).toBe(t);
      }),
    );
  });
});
