// The owasp preset's ASIM parsers: what `connector` writes for `extends: owasp`, reviewed by hand
// and kept as golden files (UPDATE_GOLDEN=1 rewrites them; review the diff before committing).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeKql } from '@otel-sentinel/kql';
import { describe, expect, it } from 'vitest';
import { checkSolution, generateSolution } from '../src/index.js';
import { FIXTURES, loadFixture, NOW, writeTree } from './helpers.js';

const GOLDEN = join(FIXTURES, 'golden', 'owasp-asim');
const PARSERS = 'Solutions/ShopSecurity/Parsers';

describe("the owasp preset's ASIM parsers", () => {
  const all = generateSolution(loadFixture('owasp-preset.yaml'), { now: NOW });
  const parsers = all.filter((f) => f.path.startsWith(`${PARSERS}/`));

  it('are a filtering and a parameter-less parser for each of the four schemas, in the preset order', () => {
    expect(parsers.map((f) => f.path.slice(PARSERS.length + 1))).toEqual([
      'vimAuthenticationContosoShopSecurity.yaml',
      'ASimAuthenticationContosoShopSecurity.yaml',
      'vimUserManagementContosoShopSecurity.yaml',
      'ASimUserManagementContosoShopSecurity.yaml',
      'vimAuditEventContosoShopSecurity.yaml',
      'ASimAuditEventContosoShopSecurity.yaml',
      'vimWebSessionContosoShopSecurity.yaml',
      'ASimWebSessionContosoShopSecurity.yaml',
    ]);
  });

  it('match the reviewed golden files byte for byte', () => {
    for (const f of parsers) {
      const golden = join(GOLDEN, f.path);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, f.content);
      }
      expect(f.content, f.path).toBe(readFileSync(golden, 'utf8'));
    }
  });

  it("pass every check, queries and fields included, with Microsoft's analyzer", () => {
    const dir = writeTree(all);
    expect(checkSolution(join(dir, 'Solutions', 'ShopSecurity'), { analyzeKql })).toEqual([]);
  });

  it('give a web request with no server field the app itself as Dst', () => {
    const web = parsers.find((f) => f.path.endsWith('/vimWebSessionContosoShopSecurity.yaml'));
    expect(web?.content).toContain("Dvc = coalesce(DvcHostname, 'Shop Security')");
    expect(web?.content).toContain('        Dst = Dvc');
  });
});
