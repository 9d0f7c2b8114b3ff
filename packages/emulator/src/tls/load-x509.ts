// Loads @peculiar/x509 on demand. Its dependency tsyringe refuses to load unless a Reflect
// metadata polyfill is installed; x509 only needs the three functions below, so we supply a
// minimal one instead of adding reflect-metadata as a dependency.

import type * as X509 from '@peculiar/x509';

type X509Module = typeof X509;

interface ReflectMetadata {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
}

let loading: Promise<X509Module> | undefined;

/** The x509 library, with node's webcrypto as its provider. Loaded once per process. */
export function loadX509(): Promise<X509Module> {
  loading ??= load();
  return loading;
}

async function load(): Promise<X509Module> {
  installReflectMetadata();
  const x509 = await import('@peculiar/x509');
  const { webcrypto } = await import('node:crypto');
  // node's webcrypto is the standard Crypto; the library's typings name the DOM type.
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  return x509;
}

/** Installs the metadata functions only when no polyfill (reflect-metadata, core-js) is present. */
function installReflectMetadata(): void {
  const reflect = Reflect as typeof Reflect & ReflectMetadata;
  if (typeof reflect.getMetadata === 'function') return;
  const store = new WeakMap<object, Map<unknown, unknown>>();
  const own = (key: unknown, target: object): unknown => store.get(target)?.get(key);
  reflect.getOwnMetadata = own;
  reflect.getMetadata = (key, target) => {
    for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
      const value = own(key, t);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  reflect.defineMetadata = (key, value, target) => {
    let entries = store.get(target);
    if (entries === undefined) store.set(target, (entries = new Map()));
    entries.set(key, value);
  };
}
