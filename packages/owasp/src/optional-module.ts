// Loads an optional peer (the OpenTelemetry APIs) synchronously and only when it is needed, so the
// package imports and runs without it. The APIs keep their state on globalThis, so the copy loaded
// here sees the providers and diag logger the app registered through its own import.

import { createRequire } from 'node:module';

const requireOptional = createRequire(import.meta.url);

/** What loading an optional module gave: its exports, or why there are none. */
export type OptionalModule =
  { readonly ok: true; readonly exports: unknown } | { readonly ok: false; readonly error: unknown };

export type ModuleLoader = (id: string) => OptionalModule;

/** `require(id)`, with a failure (not installed, or broken) returned rather than thrown. */
export const loadOptionalModule: ModuleLoader = (id) => {
  try {
    return { ok: true, exports: requireOptional(id) };
  } catch (error) {
    return { ok: false, error };
  }
};

/** `value[key]` when `value` is an object that has it (own or inherited), else undefined. */
export function propertyOf(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  return key in value ? (value as Record<string, unknown>)[key] : undefined;
}
