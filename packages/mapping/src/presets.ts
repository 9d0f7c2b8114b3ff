// The presets this package ships (`presets/<name>.yaml`): ready streams and columns that a mapping
// file starts from with `extends: <name>`. The folder sits beside src/ and dist/, so the same
// relative URL finds it from either.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { parse as parseYaml } from 'yaml';

/** The names `extends` accepts. */
export const PRESET_NAMES = ['owasp'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const PRESETS_DIR = new URL('../presets/', import.meta.url);

/** Where presets come from: the shipped folder, or (in tests) any other set of texts. */
export interface PresetCatalog {
  readonly names: readonly string[];
  /** The preset's YAML text; throws (an `fs` error) when it cannot be read. */
  text(name: string): string;
}

/** How problems name a preset in place of a file: `preset:owasp`. */
export function presetLabel(name: string): string {
  return `preset:${name}`;
}

/** The absolute path of a shipped preset's YAML file, e.g. for `otel-sentinel init --expand`. */
export function presetFile(name: PresetName): string {
  return fileURLToPath(new URL(`${name}.yaml`, PRESETS_DIR));
}

const texts = new Map<string, string>();

/** The presets in this package's `presets/` folder; each file is read once per process. */
export const SHIPPED_PRESETS: PresetCatalog = {
  names: PRESET_NAMES,
  text(name) {
    let text = texts.get(name);
    if (text === undefined) {
      text = readFileSync(presetFile(name as PresetName), 'utf8');
      texts.set(name, text);
    }
    return text;
  },
};

const tables = new Map<string, readonly string[]>();

/**
 * The tables a shipped preset's streams write, read from the preset itself so that its file is the
 * one place that names them (`presetTables('owasp')` is `['OwaspSecurityEvents_CL']`): a tool that
 * must recognise a mapping built on the preset (the connector, choosing the OWASP detections)
 * asks here instead of keeping its own copy of the name.
 */
export function presetTables(name: PresetName): readonly string[] {
  let found = tables.get(name);
  if (found === undefined) {
    const preset: unknown = parseYaml(SHIPPED_PRESETS.text(name));
    const streams = isRecord(preset) && Array.isArray(preset.streams) ? (preset.streams as unknown[]) : [];
    found = Object.freeze(
      streams.flatMap((stream) =>
        isRecord(stream) && typeof stream.table === 'string' ? [stream.table] : [],
      ),
    );
    tables.set(name, found);
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
