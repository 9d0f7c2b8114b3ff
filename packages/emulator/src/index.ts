// Public API of @otel-sentinel/emulator.

export { defaultDataDir, startEmulator } from './emulator.js';
export type { EmulatorOptions, RunningEmulator } from './emulator.js';
export { catalogFromMappings } from './catalog/from-mappings.js';
export { FaultInjector } from './faults/fault-injector.js';
export { UnsupportedKqlError } from './model.js';
export type {
  AppRegistration,
  Catalog,
  ColumnDef,
  ColumnType,
  DataFlowDef,
  DcrDef,
  FaultKind,
  FaultRule,
  QueryTable,
  Row,
  TableDef,
} from './model.js';
export { storeQuerySource } from './emulator.js';
export { openStore } from './store/sqlite-store.js';
export { runQuery } from './kql/query.js';
export type { QuerySource } from './kql/query.js';
