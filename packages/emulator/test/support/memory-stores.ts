// In-memory stores for a test file, closed after each test.
import { afterEach } from 'vitest';
import type { Store } from '../../src/model.js';
import { openStore } from '../../src/store/sqlite-store.js';

/** A function that opens an in-memory store, closed after the current test. */
export function memoryStores(): () => Store {
  let opened: Store[] = [];
  afterEach(() => {
    for (const s of opened) s.close();
    opened = [];
  });
  return () => {
    const store = openStore(':memory:');
    opened.push(store);
    return store;
  };
}
