import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMapping } from '../src/compile-mapping.js';
import { loadMappingFile, parseMapping, parseMappingWith } from '../src/load-mapping.js';
import { formatProblem } from '../src/problems.js';
import type { MappingProblem } from '../src/problems.js';
import { PRESET_NAMES, presetFile } from '../src/presets.js';
import type { PresetCatalog } from '../src/presets.js';
import { validateMapping } from '../src/validate.js';
import { ENV, record } from './helpers.js';

const USER_HEAD = `version: 1
extends: owasp
endpoint: https://my-dce.westeurope-1.ingest.monitor.azure.com
dcrImmutableId: dcr-0123456789abcdef0123456789abcdef
`;

/** A stand-in for the shipped preset, so a test can give it defaults, hash columns or mistakes. */
const FIXTURE = `version: 1
defaults:
  maxFieldBytes: 1024
  sanitize: false
  hashKeyEnv: PRESET_HASH_KEY
streams:
  - stream: Custom-Fixture
    table: Fixture_CL
    columns:
      TimeGenerated: { from: timestamp }
      Ev: { from: eventName, required: true }
      Sess: { from: "attributes['session.id']", transform: hmac-sha256 }
`;

function catalog(text: string): PresetCatalog {
  return { names: ['owasp'], text: () => text };
}

function parseWith(preset: string, user: string, env: Record<string, string> = ENV) {
  return parseMappingWith(user, { fileName: 'user.yaml', env }, catalog(preset));
}

function lines(problems: readonly MappingProblem[]): string[] {
  return problems.map(formatProblem);
}

describe('extends: owasp', () => {
  it('takes the preset stream and its columns, and keeps the user file as the mapping file', () => {
    const r = parseMapping(USER_HEAD, { fileName: 'user.yaml', env: ENV });
    expect(lines(r.problems)).toEqual([]);
    expect(r.config?.file).toBe('user.yaml');
    expect(r.config?.streams.map((s) => `${s.stream} → ${s.table}`)).toEqual([
      'Custom-OwaspSecurityEvents → OwaspSecurityEvents_CL',
    ]);
    expect(r.config?.streams[0]?.endpoint).toBe('https://my-dce.westeurope-1.ingest.monitor.azure.com');
    expect(r.config?.streams[0]?.columns.length).toBe(32);
  });

  it('reads the preset from the package folder, which the package ships', () => {
    expect(PRESET_NAMES).toEqual(['owasp']);
    expect(existsSync(presetFile('owasp'))).toBe(true);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('presets');
  });

  it('loads, compiles and maps a file that extends the preset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapping-extends-'));
    const file = join(dir, 'mapping.yaml');
    writeFileSync(file, USER_HEAD);
    const r = loadMappingFile(file, { env: ENV });
    if (!r.config) throw new Error(lines(r.problems).join('\n'));
    expect(r.config.file).toBe(file);
    const outcome = compileMapping(r.config, { env: ENV }).map(
      record({ severityText: 'WARN', attributes: { 'user.id': 'joebob1' } }),
    );
    expect(outcome).toMatchObject({
      status: 'mapped',
      row: { EventOriginalType: 'authn_login_fail', EventSeverity: 'Medium', ActorUserId: 'joebob1' },
    });
  });

  it('works for an in-memory mapping object too', () => {
    const r = validateMapping(
      {
        version: 1,
        extends: 'owasp',
        endpoint: 'https://my-dce.westeurope-1.ingest.monitor.azure.com',
        dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
      },
      { env: ENV },
    );
    expect(r.problems).toEqual([]);
    expect(r.config?.streams[0]?.table).toBe('OwaspSecurityEvents_CL');
  });

  it('takes securityAttribute, endpoint, dcrImmutableId and solution from the user file only', () => {
    const preset = `version: 1
securityAttribute: preset.flag
endpoint: http://ignored.example
dcrImmutableId: ''
solution: { name: From the preset }
streams:
  - { stream: Custom-Fixture, table: Fixture_CL, columns: { TimeGenerated: timestamp, Ev: eventName } }
`;
    const user = `${USER_HEAD}securityAttribute: app.security
solution: { name: Contoso Security }
`;
    const r = parseWith(preset, user);
    expect(lines(r.problems)).toEqual([]);
    expect(r.config?.securityAttribute).toBe('app.security');
    expect(r.config?.solution).toEqual({ name: 'Contoso Security' });
    expect(r.config?.streams[0]?.dcrImmutableId).toBe('dcr-0123456789abcdef0123456789abcdef');

    const bare = parseWith(preset, USER_HEAD);
    expect(bare.config?.securityAttribute).toBe('security.event');
    expect(bare.config).not.toHaveProperty('solution');
  });

  it('merges defaults field by field, the user file winning', () => {
    const r = parseWith(FIXTURE, `${USER_HEAD}defaults: { maxFieldBytes: 2048, hashKeyEnv: USER_KEY }\n`, {
      ...ENV,
      USER_KEY: 'k',
    });
    expect(lines(r.problems)).toEqual([]);
    expect(r.config?.defaults).toMatchObject({
      maxFieldBytes: 2048,
      sanitize: false,
      hashKeyEnv: 'USER_KEY',
    });
    const sess = r.config?.streams[0]?.columns.find((c) => c.name === 'Sess');
    expect(sess?.transforms).toEqual([{ kind: 'hmac-sha256', keyEnv: 'USER_KEY' }]);
    expect(sess?.maxBytes).toBe(2048);
  });

  it('takes the preset defaults whole when the user file has none', () => {
    const r = parseWith(FIXTURE, USER_HEAD, { ...ENV, PRESET_HASH_KEY: 'k' });
    expect(r.config?.defaults).toMatchObject({
      maxFieldBytes: 1024,
      sanitize: false,
      hashKeyEnv: 'PRESET_HASH_KEY',
    });
  });

  it('replaces the preset streams wholesale with the user streams, and says so', () => {
    const user = `${USER_HEAD}streams:
  - stream: Custom-Mine
    table: Mine_CL
    columns: { TimeGenerated: timestamp, Ev: eventName }
`;
    const r = parseWith(FIXTURE, user);
    expect(r.config?.streams.map((s) => s.stream)).toEqual(['Custom-Mine']);
    expect(lines(r.problems)).toEqual([
      "user.yaml:5:1: info: these streams replace the owasp preset's streams entirely; only its defaults still apply (at streams)",
    ]);
    // The preset defaults still apply to the user's streams.
    expect(r.config?.streams[0]?.columns.find((c) => c.name === 'Ev')?.maxBytes).toBe(1024);
  });

  it("names preset:owasp, with the preset's line and the path, for a problem in the preset", () => {
    const r = parseWith(FIXTURE, USER_HEAD);
    expect(lines(r.problems)).toEqual([
      'preset:owasp:12:60: warning: hmac-sha256 needs a key in the environment variable PRESET_HASH_KEY, which is not set here; the exporter refuses to start without it (use 32+ random bytes) (at streams[0].columns.Sess.transform)',
    ]);
    expect(r.problems[0]).toMatchObject({ file: 'preset:owasp', path: 'streams[0].columns.Sess.transform' });
  });

  it("points at the user file for the user's own problems, listed before the preset's", () => {
    const user = `version: 1
extends: owasp
endpoint: http://my-dce.example
dcrImmutableId: dcr-0123456789abcdef0123456789abcdef
solution: { name: Contoso, colour: blue }
`;
    expect(lines(parseWith(FIXTURE, user).problems)).toEqual([
      'user.yaml:3:11: error: endpoint must use https (the Azure clients refuse http); got "http://my-dce.example" (at endpoint)',
      'user.yaml:5:28: error: unknown key "colour"; allowed here: name, publisher, publisherId, offerId, version, description, logo, support (at solution.colour)',
      'preset:owasp:12:60: warning: hmac-sha256 needs a key in the environment variable PRESET_HASH_KEY, which is not set here; the exporter refuses to start without it (use 32+ random bytes) (at streams[0].columns.Sess.transform)',
    ]);
  });

  it('points at the preset for a default only the preset sets, and at the user file for one it overrides', () => {
    const preset = FIXTURE.replace('maxFieldBytes: 1024', 'maxFieldBytes: 8');
    expect(lines(parseWith(preset, USER_HEAD, { ...ENV, PRESET_HASH_KEY: 'k' }).problems)).toEqual([
      'preset:owasp:3:18: error: "maxFieldBytes" must be at least 16; got number 8 (at defaults.maxFieldBytes)',
    ]);
    const user = `${USER_HEAD}defaults: { maxFieldBytes: 9 }\n`;
    expect(lines(parseWith(preset, user, { ...ENV, PRESET_HASH_KEY: 'k' }).problems)).toEqual([
      'user.yaml:5:28: error: "maxFieldBytes" must be at least 16; got number 9 (at defaults.maxFieldBytes)',
    ]);
  });

  it('reports an unset variable in the preset at the preset, and not once the user file replaces that part', () => {
    const preset = FIXTURE.replace('table: Fixture_CL', 'table: ${PRESET_TABLE}');
    expect(lines(parseWith(preset, USER_HEAD, { ...ENV, PRESET_HASH_KEY: 'k' }).problems)).toEqual([
      'preset:owasp:8:12: error: environment variable PRESET_TABLE is not set; set it or give a default: ${PRESET_TABLE:-value} (at streams[0].table)',
      'preset:owasp:8:12: error: table "" must start with a letter, use only letters, digits and _, and end with _CL (at streams[0].table)',
    ]);
    const user = `${USER_HEAD}streams: [{ stream: Custom-Mine, table: Mine_CL, columns: { Ev: eventName } }]\n`;
    expect(
      parseWith(preset, user, { ...ENV, PRESET_HASH_KEY: 'k' }).problems.filter(
        (p) => p.severity === 'error',
      ),
    ).toEqual([]);
  });

  it('asks for the endpoint and DCR id in the user file, once, when the preset streams need them', () => {
    const r = parseMapping('version: 1\nextends: owasp\n', { fileName: 'user.yaml', env: ENV });
    expect(lines(r.problems)).toEqual([
      'user.yaml:1:1: error: no endpoint: the owasp preset\'s streams use the top-level endpoint; add "endpoint: ${SENTINEL_DCE_ENDPOINT}" to this file (at endpoint)',
      'user.yaml:1:1: error: no dcrImmutableId: the owasp preset\'s streams use the top-level dcrImmutableId; add "dcrImmutableId: ${SENTINEL_DCR_IMMUTABLE_ID}" to this file (at dcrImmutableId)',
    ]);
  });

  it('reports an unknown preset at the extends value, naming the presets there are', () => {
    const r = parseMapping(USER_HEAD.replace('extends: owasp', 'extends: owsap'), {
      fileName: 'user.yaml',
      env: ENV,
    });
    expect(lines(r.problems)).toEqual([
      'user.yaml:2:10: error: unknown preset "owsap"; the presets are: owasp (at extends)',
    ]);
    expect(r.problems[0]?.code).toBe('E_UNKNOWN_PRESET');
  });

  it('refuses an extends that is not a name', () => {
    const r = parseMapping(USER_HEAD.replace('extends: owasp', 'extends: [owasp]'), {
      fileName: 'user.yaml',
      env: ENV,
    });
    expect(lines(r.problems)).toEqual([
      'user.yaml:2:10: error: a list is not allowed for "extends"; allowed: "owasp" (at extends)',
    ]);
  });

  it('still needs the version in the user file', () => {
    const r = parseMapping(USER_HEAD.replace('version: 1\n', ''), { fileName: 'user.yaml', env: ENV });
    expect(lines(r.problems)).toEqual([
      'user.yaml:1:1: error: missing required key "version": version 1 (at version)',
    ]);
  });

  it('names the preset and its line when the preset is not valid YAML', () => {
    const r = parseWith('version: 1\nstreams: [\n', USER_HEAD);
    expect(r.config).toBeUndefined();
    expect(r.problems.map((p) => `${p.file}:${p.line}`)).toContain('preset:owasp:3');
  });

  it('says to reinstall when the preset cannot be read or has no streams', () => {
    const unreadable: PresetCatalog = {
      names: ['owasp'],
      text: () => {
        throw new Error('ENOENT: no such file or directory');
      },
    };
    const r = parseMappingWith(USER_HEAD, { fileName: 'user.yaml', env: ENV }, unreadable);
    expect(lines(r.problems)).toEqual([
      'user.yaml:2:10: error: cannot read preset owasp (ENOENT: no such file or directory); reinstall @otel-sentinel/mapping (at extends)',
    ]);
    expect(lines(parseWith('version: 1\n', USER_HEAD).problems)).toEqual([
      'user.yaml:2:10: error: preset owasp has no streams; reinstall @otel-sentinel/mapping (at extends)',
    ]);
  });
});
