import { describe, expect, it } from 'vitest';
import { compileMapping } from '../src/compile-mapping.js';
import { parseMapping } from '../src/load-mapping.js';
import { formatProblem } from '../src/problems.js';
import type { MappingConfig } from '../src/types.js';
import { ENV, oneStream, record } from './helpers.js';

const SEVERITY = '{ lookup: { INFO: Informational, WARN: Medium, CRITICAL: High } }';

function config(columns: string): MappingConfig {
  const r = parseMapping(oneStream(columns), { fileName: 'm.yaml', env: ENV });
  if (!r.config) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.config;
}

/** The row values of column `Sev` for each severity text. */
function mapSeverities(columns: string, texts: readonly string[]): unknown[] {
  const m = compileMapping(config(columns), { env: ENV });
  return texts.map((severityText) => {
    const o = m.map(record({ severityText }));
    if (o.status !== 'mapped') throw new Error(o.status);
    return o.row.Sev;
  });
}

function errors(columns: string): string[] {
  return parseMapping(oneStream(columns), { fileName: 'm.yaml', env: ENV })
    .problems.filter((p) => p.severity === 'error')
    .map(formatProblem);
}

describe('the lookup transform', () => {
  it('replaces each listed value by its replacement', () => {
    const rows = mapSeverities(`      Sev: { from: severityText, transform: ${SEVERITY} }\n`, [
      'INFO',
      'WARN',
      'CRITICAL',
    ]);
    expect(rows).toEqual(['Informational', 'Medium', 'High']);
  });

  it('passes a value the lookup does not list through unchanged', () => {
    const rows = mapSeverities(`      Sev: { from: severityText, transform: ${SEVERITY} }\n`, [
      'ERROR',
      'info',
      'INFO ',
    ]);
    expect(rows).toEqual(['ERROR', 'info', 'INFO ']);
  });

  it('gives a value the lookup does not list its default, when it has one', () => {
    const rows = mapSeverities(
      '      Sev: { from: severityText, transform: { lookup: { INFO: Informational }, default: Low } }\n',
      ['INFO', 'ERROR', ''],
    );
    expect(rows).toEqual(['Informational', 'Low', 'Low']);
  });

  it('finds only the keys it was given, never those of Object.prototype', () => {
    const rows = mapSeverities('      Sev: { from: severityText, transform: { lookup: { a: b } } }\n', [
      'constructor',
      'toString',
      '__proto__',
      'a',
    ]);
    expect(rows).toEqual(['constructor', 'toString', '__proto__', 'b']);
  });

  it('runs in its place in a list of transforms, on the value the earlier ones produced', () => {
    const rows = mapSeverities(
      `      Sev: { from: severityText, transform: [trim, uppercase, ${SEVERITY}, { truncate: 4 }] }\n`,
      [' info ', 'warn'],
    );
    expect(rows).toEqual(['Info', 'Medi']);
  });

  it('keeps the lookup and its default in the resolved column', () => {
    const c = config(
      '      Sev: { from: severityText, transform: { lookup: { INFO: Informational }, default: Low } }\n',
    ).streams[0]?.columns.find((col) => col.name === 'Sev');
    expect(c?.transforms).toEqual([{ kind: 'lookup', map: { INFO: 'Informational' }, default: 'Low' }]);
  });

  it('is refused on a column that is not a string, at the transform', () => {
    expect(
      errors(
        '      Port: { from: "attributes[\'server.port\']", type: int, transform: { lookup: { a: b } } }\n',
      ),
    ).toEqual([
      'm.yaml:8:72: error: transform lookup works on string columns; this column is int (at streams[0].columns.Port.transform)',
    ]);
  });

  it('refuses a replacement that is not a string, at the replacement', () => {
    expect(errors('      Sev: { from: severityText, transform: { lookup: { INFO: 1 } } }\n')).toEqual([
      'm.yaml:8:63: error: "INFO" must be a string, not number 1 (at streams[0].columns.Sev.transform.lookup.INFO)',
    ]);
  });

  it('refuses an empty lookup, saying what to write', () => {
    expect(errors('      Sev: { from: severityText, transform: { lookup: {} } }\n')).toEqual([
      'm.yaml:8:55: error: lookup has no entries; list each value and its replacement, e.g. { lookup: { INFO: Informational, WARN: Medium } } (at streams[0].columns.Sev.transform.lookup)',
    ]);
  });

  it('names a misspelt default key and the keys a transform may have', () => {
    expect(
      errors('      Sev: { from: severityText, transform: { lookup: { a: b }, defualt: c } }\n'),
    ).toEqual([
      'm.yaml:8:65: error: unknown key "defualt"; allowed here: one of { hmac-sha256: { keyEnv } }, { truncate: N }, { lookup: { … }, default } (at streams[0].columns.Sev.transform.defualt)',
    ]);
  });

  it('is listed among the transforms when a transform is unknown', () => {
    expect(errors('      Sev: { from: severityText, transform: { map: { a: b } } }\n')).toEqual([
      expect.stringContaining('{ lookup: { value: replacement, … }, default: replacement }'),
    ]);
  });
});
