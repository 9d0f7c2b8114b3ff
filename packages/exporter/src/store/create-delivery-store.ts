// The store of a spool directory, as the pipeline, the gateway and replay make it.

import { SqliteDeliveryStore } from './sqlite-delivery-store.ts';
import type { DeliveryStoreOptions } from './store-options.ts';
import type { DeliveryStore } from './store-types.ts';

export type { DeliveryStoreOptions } from './store-options.ts';

/** Validates the options (throws `ConfigError`); touches no file until `open()`. */
export function createDeliveryStore(options: DeliveryStoreOptions): DeliveryStore {
  return new SqliteDeliveryStore(options);
}
