import { describe, expect, it } from 'vitest';
import { evaluate, failureOf, itHasKustoTypes, valueOf } from './support/one-row.js';

// Expected values are Microsoft's documented examples (learn.microsoft.com, Kusto query
// reference: split, countof, extract, extract_all, replace_string, replace_regex, trim, indexof),
// and the forms Microsoft's ASIM analytic rules use.

describe('split', () => {
  it('gives the parts, documented edge cases included', () => {
    expect(valueOf("split('aa_bb', '_')")).toEqual(['aa', 'bb']);
    expect(valueOf("split('', '_')")).toEqual(['']);
    expect(valueOf("split('a__b', '_')")).toEqual(['a', '', 'b']);
    expect(valueOf("split('aabbcc', 'bb')")).toEqual(['aa', 'cc']);
  });

  it('with an index gives a one-element array, or an empty one when the index is out of range', () => {
    expect(valueOf("split('aaa_bbb_ccc', '_', 1)")).toEqual(['bbb']);
    expect(valueOf("split('aaa_bbb_ccc', '_', 3)")).toEqual([]);
  });

  it('splits a user principal name as the ASIM rules do (Name and UPNSuffix)', () => {
    expect(valueOf("tostring(split(Text, '@', 0)[0])")).toBe('alice');
    expect(valueOf("tostring(split(Text, '@', 1)[0])")).toBe('contoso.com');
    expect(valueOf("tostring(split(Text, '.')[-1])")).toBe('com');
  });
});

describe('replace_string, replace_regex, trim', () => {
  it('replace_string replaces every occurrence', () => {
    expect(valueOf("replace_string('A magic trick can turn a cat into a dog', 'cat', 'hamster')")).toBe(
      'A magic trick can turn a hamster into a dog',
    );
    expect(valueOf("replace_string('a.b.c', '.', '')")).toBe('abc');
  });

  it('replace_regex rewrites with numbered groups', () => {
    expect(valueOf("replace_regex('Number is 1', @'is (\\d+)', @'was: \\1')")).toBe('Number was: 1');
    expect(valueOf("replace_regex('a1b22', @'\\d', 'N')")).toBe('aNbNN');
  });

  it('trim, trim_start and trim_end remove every leading or trailing match of a regular expression', () => {
    expect(valueOf("trim('--', '--https://bing.com--')")).toBe('https://bing.com');
    expect(valueOf("trim_start('https://', 'https://bing.com')")).toBe('bing.com');
    expect(valueOf("trim_end(',', '1,2,3,,')")).toBe('1,2,3');
    expect(valueOf("trim_end(@'[^\\w]+', 'bing.com/..')")).toBe('bing.com');
  });
});

describe('indexof, countof, reverse', () => {
  it('indexof finds a position, -1 when absent or outside the range searched', () => {
    expect(valueOf("indexof('abcdefg', 'cde')")).toBe(2);
    expect(valueOf("indexof('abcdefg', 'cde', 1, 4)")).toBe(2);
    expect(valueOf("indexof('abcdefg', 'cde', 1, 2)")).toBe(-1);
    expect(valueOf("indexof('abcdefgabcdefg', 'cde', 1, -1, 2)")).toBe(9);
    expect(valueOf("indexof('abcdefg', 'cdex')")).toBe(-1);
  });

  it('countof counts overlapping plain matches and non-overlapping regex matches', () => {
    expect(valueOf("countof('aaa', 'a')")).toBe(3);
    expect(valueOf("countof('aaaa', 'aa')")).toBe(3);
    expect(valueOf("countof('ababa', 'ab', 'normal')")).toBe(2);
    expect(valueOf("countof('ababa', 'aba')")).toBe(2);
    expect(valueOf("countof('ababa', 'aba', 'regex')")).toBe(1);
    expect(valueOf("countof('abcabc', 'a.c', 'regex')")).toBe(2);
  });

  it('countof refuses a kind other than normal or regex', () => {
    expect(failureOf("countof('a', 'a', 'fuzzy')").message).toContain("kind must be 'normal' or 'regex'");
  });

  it('reverse reverses the text', () => {
    expect(valueOf("reverse('abc')")).toBe('cba');
    expect(valueOf('reverse(Empty)')).toBe('');
  });
});

describe('extract and extract_all', () => {
  it('extract gives the group of the first match, converted to a typeof() type', () => {
    expect(valueOf("extract('x=([0-9.]+)', 1, 'hello x=45.6|wo')")).toBe('45.6');
    expect(evaluate("extract('x=([0-9.]+)', 1, 'hello x=45.6|wo', typeof(real))")).toEqual({
      value: 45.6,
      type: 'real',
    });
    expect(valueOf("extract('x=([0-9.]+)', 0, 'hello x=45.6|wo')")).toBe('x=45.6');
  });

  it('extract without a match gives an empty string, or null for another type', () => {
    expect(valueOf("extract('y=([0-9]+)', 1, 'x=1')")).toBe('');
    expect(valueOf("extract('y=([0-9]+)', 1, 'x=1', typeof(long))")).toBeNull();
    expect(valueOf("extract('x=([a-z]+)', 1, 'x=abc', typeof(long))")).toBeNull();
  });

  it('extract reads a file extension as the web session rules do', () => {
    expect(valueOf("extract(@'(\\.\\w+)$', 1, 'invoice.pdf.exe', typeof(string))")).toBe('.exe');
  });

  it('extract_all gives every match, its groups as arrays when several', () => {
    expect(valueOf("extract_all(@'(\\d+)', 'a set of numbers: 123, 567 and 789')")).toEqual([
      '123',
      '567',
      '789',
    ]);
    expect(valueOf("extract_all(@'(\\w)(\\w+)(\\w)', '82b8be2d-dfa7-4bd1-8f63-24ad26d31449')")).toEqual([
      ['8', '2b8be2', 'd'],
      ['d', 'fa', '7'],
      ['4', 'bd', '1'],
      ['8', 'f6', '3'],
      ['2', '4ad26d3144', '9'],
    ]);
    expect(
      valueOf("extract_all(@'(\\w)(\\w+)(\\w)', dynamic([1, 3]), '82b8be2d-dfa7-4bd1-8f63-24ad26d31449')"),
    ).toEqual([
      ['8', 'd'],
      ['d', '7'],
      ['4', '1'],
      ['8', '3'],
      ['2', '9'],
    ]);
  });

  it('extract_all without a match is null, and needs a capture group', () => {
    expect(valueOf("extract_all(@'(\\d+)', 'no digits')")).toBeNull();
    expect(failureOf("extract_all(@'\\d+', 'a1')").message).toContain(
      'needs 1 to 16 capture groups, it has 0',
    );
  });

  it('only extract takes a typeof() argument', () => {
    expect(failureOf('tostring(typeof(long))').message).toContain('takes no typeof(…) argument');
  });
});

describe('matches regex and has_all', () => {
  it('matches regex finds the pattern anywhere in the text, case-sensitively', () => {
    expect(valueOf("Text matches regex '[a-z]+@'")).toBe(true);
    expect(valueOf("Text matches regex '^ALICE'")).toBe(false);
    expect(valueOf("Text matches regex '(?i)^ALICE'")).toBe(true);
  });

  it('runs the ASIM data tester’s FQDN and MAC address patterns', () => {
    const fqdn = "@'^([_a-zA-Z0-9][_a-zA-Z0-9-]{0,62}\\.)+[a-zA-Z]{2,63}$'";
    expect(valueOf(`'contoso.com' matches regex ${fqdn}`)).toBe(true);
    expect(valueOf(`Text matches regex ${fqdn}`)).toBe(false);
    const mac = "@'^[a-fA-F0-9]{2}(:[a-fA-F0-9]{2}){5}$'";
    expect(valueOf(`'00:1a:2B:3c:4d:5E' matches regex ${mac}`)).toBe(true);
    expect(valueOf(`'00:1a:2B:3c:4d' matches regex ${mac}`)).toBe(false);
  });

  it('accepts RE2 escapes of punctuation such as \\=, as the private-IP-in-URL rule writes them', () => {
    expect(valueOf("'/a?q=MTAuMC4wLjE' matches regex @'\\=([a-zA-Z0-9\\/\\+]*)'")).toBe(true);
  });

  it('refuses what RE2 does not have (lookaround, backreferences), naming the pattern', () => {
    const lookahead = failureOf("Text matches regex 'a(?=l)'");
    expect(lookahead.code).toBe('E_KQL_SEMANTIC');
    expect(lookahead.message).toContain(
      "the regular expression 'a(?=l)' cannot run: lookahead and lookbehind are not RE2 syntax",
    );
    expect(failureOf("extract(@'(a)\\1', 1, Text)").message).toContain('backreferences');
  });

  it('has_all holds when every term is a whole term of the text, ignoring case', () => {
    expect(valueOf("Text has_all ('ALICE', 'contoso')")).toBe(true);
    expect(valueOf("Text has_all ('alice', 'fabrikam')")).toBe(false);
    expect(valueOf("Text has_all (dynamic(['alice', 'com']))")).toBe(true);
  });
});

describe('result types', () => {
  itHasKustoTypes([
    "split(Text, '@')",
    "replace_string(Text, 'a', 'b')",
    "replace_regex(Text, 'a', 'b')",
    "trim('a', Text)",
    "trim_start('a', Text)",
    "trim_end('a', Text)",
    "indexof(Text, 'a')",
    "countof(Text, 'a')",
    'reverse(Text)',
    "extract('(a)', 1, Text)",
    "extract('(a)', 1, Text, typeof(long))",
    "extract_all('(a)', Text)",
    "Text matches regex 'a'",
    "Text has_all ('a')",
  ]);
});
