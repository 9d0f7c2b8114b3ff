import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMappingFile } from '@otel-sentinel/mapping';
import type { MappingConfig } from '@otel-sentinel/mapping';
import type { GeneratedFile, PartialSolutionInfo } from '../src/index.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const NOW = new Date('2026-11-23T10:00:00Z');

export const SOLUTION: PartialSolutionInfo = {
  name: 'Contoso Audit',
  publisher: 'Contoso',
  publisherId: 'contoso',
  offerId: 'contoso-audit',
  version: '1.0.0',
  description: 'Security events from Contoso applications, sent by the otel-sentinel exporter.',
  support: {
    name: 'Contoso Security',
    email: 'security@contoso.com',
    link: 'https://contoso.com/support',
    tier: 'Partner',
  },
};

export function loadFixture(name: string): MappingConfig {
  const r = loadMappingFile(join(FIXTURES, 'mappings', name), { env: {} });
  if (!r.config) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.config;
}

/** Writes files into a fresh temp dir; returns the dir. */
export function writeTree(files: readonly GeneratedFile[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'connector-'));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}
