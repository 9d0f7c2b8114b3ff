import { describe, expect, it } from 'vitest';
import { itHasKustoTypes, valueOf } from './support/one-row.js';

// Expected values are Microsoft's documented examples (Kusto query reference: base64_encode_tostring,
// base64_decode_tostring, base64_decode_toarray, unicode_codepoints_to_string,
// unicode_codepoints_from_string), the functions the private-IP-in-URL rule decodes URLs with.

describe('base64', () => {
  it('encodes and decodes UTF-8 text', () => {
    expect(valueOf('base64_encode_tostring("Kusto")')).toBe('S3VzdG8=');
    expect(valueOf('base64_decode_tostring("S3VzdG8=")')).toBe('Kusto');
    expect(valueOf('base64_decode_toarray("S3VzdG8=")')).toEqual([75, 117, 115, 116, 111]);
  });

  it('gives an empty string or null for what is not base64 or not UTF-8', () => {
    expect(valueOf('base64_decode_tostring("not base64!")')).toBe('');
    expect(valueOf('base64_decode_toarray("not base64!")')).toBeNull();
    expect(valueOf('base64_decode_tostring("/w==")')).toBe('');
    expect(valueOf('base64_decode_toarray("/w==")')).toEqual([255]);
  });
});

describe('Unicode code points', () => {
  it('turns code points into text and back', () => {
    expect(valueOf('unicode_codepoints_to_string(75, 117, 115, 116, 111)')).toBe('Kusto');
    expect(valueOf('unicode_codepoints_to_string(dynamic([75, 117, 115, 116, 111]))')).toBe('Kusto');
    expect(valueOf('unicode_codepoints_from_string("⒦⒰⒮⒯⒪")')).toEqual([9382, 9392, 9390, 9391, 9386]);
    expect(valueOf('unicode_codepoints_from_string("Kusto")')).toEqual([75, 117, 115, 116, 111]);
  });

  it('decodes a base64 IP address as the private-IP-in-URL rule does', () => {
    expect(valueOf('unicode_codepoints_to_string(base64_decode_toarray("MTAuMC4wLjE="))')).toBe('10.0.0.1');
  });
});

describe('result types', () => {
  itHasKustoTypes([
    'base64_encode_tostring(Text)',
    'base64_decode_tostring(Text)',
    'base64_decode_toarray(Text)',
    'unicode_codepoints_to_string(Items)',
    'unicode_codepoints_from_string(Text)',
  ]);
});
