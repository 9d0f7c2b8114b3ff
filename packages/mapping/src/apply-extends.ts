// `extends: <preset>`: lays the user's file over a shipped preset, key by key, before validation,
// and builds a locator that sends each problem to the file its value came from: the user's
// file:line:col, or `preset:<name>` and the line in the preset.

import type { MappingProblem, PathSegment } from './problems.js';
import type { PresetCatalog } from './presets.js';
import { presetLabel } from './presets.js';
import { readYaml } from './read-yaml.js';
import type { RawProblem } from './structure-issues.js';
import type { Locator, Position } from './yaml-locator.js';

export interface ExtendsInput {
  /** The user's data, parsed and interpolated. */
  readonly data: unknown;
  /** Positions in the user's file. */
  readonly locator: Locator;
  /** Problems found in the user's file before validation (interpolation). */
  readonly earlier: readonly RawProblem[];
  /** Environment for `${VAR}` in the preset. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly presets: PresetCatalog;
}

export interface ExtendsResult {
  /** The data to validate: the user's, with the preset's streams and defaults under it. */
  readonly data: unknown;
  readonly locator: Locator;
  /** The earlier problems that still apply: the user's, and the preset's in parts the user kept. */
  readonly earlier: readonly RawProblem[];
  /** Problems with `extends` itself, and notes on what the preset supplies. */
  readonly problems: readonly RawProblem[];
  /** Syntax problems in the preset text, already located (`preset:<name>`). */
  readonly located: readonly MappingProblem[];
  /** The preset whose streams are in effect, when the user's file gives none. */
  readonly streamsFrom?: string;
}

type Origin = 'user' | 'preset';

function asMap(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/**
 * The user's data over the preset it extends. From the preset only `streams` (when the user's
 * file has none: given streams replace the preset's wholesale) and `defaults` (field by field,
 * the user's fields win) are taken; every other key comes from the user's file alone.
 */
export function applyExtends(input: ExtendsInput): ExtendsResult {
  const unchanged: ExtendsResult = {
    data: input.data,
    locator: input.locator,
    earlier: input.earlier,
    problems: [],
    located: [],
  };
  const user = asMap(input.data);
  const name = user?.extends;
  // Absent: nothing to do; not a string: the schema reports its type.
  if (user === undefined || typeof name !== 'string') return unchanged;
  const loaded = loadPreset(input, name);
  if (!loaded.ok) return { ...unchanged, ...loaded.failure };
  return mergeOverPreset(input, user, name, loaded);
}

interface LoadedPreset {
  readonly ok: true;
  readonly label: string;
  readonly preset: Record<string, unknown>;
  readonly read: { readonly locator: Locator; readonly early: readonly RawProblem[] };
}

type PresetFailure = Pick<ExtendsResult, 'problems'> | Pick<ExtendsResult, 'located'>;

/** The named preset, read and parsed, or the problem that stops `extends` from using it. */
function loadPreset(
  input: ExtendsInput,
  name: string,
): LoadedPreset | { readonly ok: false; readonly failure: PresetFailure } {
  const fail = (code: string, message: string) => ({
    ok: false as const,
    failure: { problems: [{ code, message, path: ['extends'], target: 'value' as const }] },
  });
  if (!input.presets.names.includes(name)) {
    const known = input.presets.names.join(', ');
    return fail('E_UNKNOWN_PRESET', `unknown preset "${name}"; the presets are: ${known}`);
  }
  let text: string;
  try {
    text = input.presets.text(name);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('E_PRESET', `cannot read preset ${name} (${reason}); reinstall @otel-sentinel/mapping`);
  }
  const label = presetLabel(name);
  const read = readYaml(text, label, { env: input.env });
  if (!read.ok) return { ok: false, failure: { located: read.problems } };
  const preset = asMap(read.data);
  if (preset?.streams === undefined) {
    return fail('E_PRESET', `preset ${name} has no streams; reinstall @otel-sentinel/mapping`);
  }
  return { ok: true, label, preset, read };
}

/** The user's keys over the preset's streams and defaults, with a locator for both files. */
function mergeOverPreset(
  input: ExtendsInput,
  user: Record<string, unknown>,
  name: string,
  { label, preset, read }: LoadedPreset,
): ExtendsResult {
  const merged: Record<string, unknown> = { ...user };
  const problems: RawProblem[] = [];
  const userGaveStreams = Object.hasOwn(user, 'streams');
  const streamsFromPreset = !userGaveStreams;
  if (streamsFromPreset) merged.streams = preset.streams;
  else
    problems.push({
      code: 'I_PRESET_STREAMS_REPLACED',
      message: `these streams replace the ${name} preset's streams entirely; only its defaults still apply`,
      path: ['streams'],
      target: 'key',
      severity: 'info',
    });

  const presetDefaults = asMap(preset.defaults);
  const userDefaults = asMap(user.defaults);
  if (presetDefaults !== undefined) {
    if (!Object.hasOwn(user, 'defaults')) merged.defaults = presetDefaults;
    else if (userDefaults !== undefined) merged.defaults = { ...presetDefaults, ...userDefaults };
  }

  const origin = (path: readonly PathSegment[]): Origin =>
    originOf(path, user, streamsFromPreset, presetDefaults, userDefaults);
  const locator = new MergedLocator(input.locator, read.locator, label, origin);
  return {
    data: merged,
    locator,
    earlier: [...input.earlier, ...read.early.filter((p) => origin(p.path) === 'preset')],
    problems,
    located: [],
    ...(streamsFromPreset ? { streamsFrom: name } : {}),
  };
}

/** Which file the value at `path` of the merged data came from. */
function originOf(
  path: readonly PathSegment[],
  user: Record<string, unknown>,
  streamsFromPreset: boolean,
  presetDefaults: Record<string, unknown> | undefined,
  userDefaults: Record<string, unknown> | undefined,
): Origin {
  const [top, field] = path;
  if (top === 'streams') return streamsFromPreset ? 'preset' : 'user';
  if (top !== 'defaults' || presetDefaults === undefined) return 'user';
  if (field === undefined) return Object.hasOwn(user, 'defaults') ? 'user' : 'preset';
  if (userDefaults !== undefined && Object.hasOwn(userDefaults, field)) return 'user';
  if (!Object.hasOwn(user, 'defaults') || Object.hasOwn(presetDefaults, field)) return 'preset';
  return 'user';
}

/** Positions in the user's file, or in the preset (named by its label) for what came from it. */
class MergedLocator implements Locator {
  constructor(
    private readonly user: Locator,
    private readonly preset: Locator,
    private readonly label: string,
    private readonly origin: (path: readonly PathSegment[]) => Origin,
  ) {}

  locate(path: readonly PathSegment[], target?: 'key' | 'value'): Position {
    if (this.origin(path) === 'user') return this.user.locate(path, target);
    return { ...this.preset.locate(path, target), file: this.label };
  }
}
