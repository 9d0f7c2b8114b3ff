import { describe, expect, it } from 'vitest';
import { itHasKustoTypes, valueOf } from './support/one-row.js';

// Expected values are Microsoft's documented examples (Kusto query reference: parse_url,
// url_decode, url_encode) and the forms Microsoft's ASIM web session rules use.

describe('parse_url', () => {
  it('gives the parts of an absolute URL, named as Kusto names them', () => {
    expect(
      valueOf('parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")'),
    ).toEqual({
      Scheme: 'scheme',
      Host: 'host',
      Port: '1234',
      Path: 'this/is/a/path',
      Username: 'username',
      Password: 'password',
      'Query Parameters': { k1: 'v1', k2: 'v2' },
      Fragment: 'fragment',
    });
  });

  it('reads the host as the excessive-403 rule does, and decodes query values', () => {
    expect(valueOf('tostring(parse_url("https://app.contoso.com/login?x=1")["Host"])')).toBe(
      'app.contoso.com',
    );
    expect(valueOf('tostring(parse_url("https://h/p?q=a%20b")["Query Parameters"].q)')).toBe('a b');
    expect(valueOf("tostring(split(tostring(parse_url('https://h/files/run.ps1')['Path']), '/')[-1])")).toBe(
      'run.ps1',
    );
  });

  it('gives every part empty for a URL without a scheme', () => {
    expect(valueOf('parse_url("/login?user=alice")')).toEqual({
      Scheme: '',
      Host: '',
      Port: '',
      Path: '',
      Username: '',
      Password: '',
      'Query Parameters': {},
      Fragment: '',
    });
  });
});

describe('url_decode and url_encode', () => {
  it('decode %xx escapes and encode as Kusto does (lower-case hex)', () => {
    expect(valueOf("url_decode('https%3a%2f%2fwww.bing.com%2f')")).toBe('https://www.bing.com/');
    expect(valueOf("url_encode('https://www.bing.com/')")).toBe('https%3a%2f%2fwww.bing.com%2f');
  });

  it('decode UTF-8 sequences, and leave a broken escape as written', () => {
    expect(valueOf("url_decode('caf%C3%A9%2F..%2Fetc%2Fpasswd')")).toBe('café/../etc/passwd');
    expect(valueOf("url_decode('100%')")).toBe('100%');
    expect(valueOf("url_decode('%E9t%C3%A9')")).toBe('%E9té');
  });
});

describe('result types', () => {
  itHasKustoTypes(['parse_url(Text)', 'url_decode(Text)', 'url_encode(Text)']);
});
