// Attribute bags are plain objects (the OpenTelemetry SDK's, and ours, so V8 keeps them fast), so
// a key that Object.prototype also has must be read as an own property only, and `__proto__`
// must be written as data. One place for both rules.

import type { AnyValueLike, AttributesLike } from './log-record.js';

/** Whether a plain object would answer `key` from its prototype (`constructor`, `toString`, `__proto__`…). */
export function isInheritedKey(key: string): boolean {
  return key in Object.prototype;
}

/** `bag[key]` if `bag` has it as its own property. */
export function ownValue(bag: AttributesLike | undefined, key: string): AnyValueLike {
  return bag !== undefined && Object.hasOwn(bag, key) ? bag[key] : undefined;
}

/**
 * Sets `key` on a plain object as an own data property, `__proto__` included.
 * @internal Exported for @otel-sentinel/gateway, whose OTLP decoders build attribute bags with the
 * same rule as the mapping's readers.
 */
export function setAttribute(out: Record<string, AnyValueLike>, key: string, value: AnyValueLike): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
