// What is deployed, as far as drift is concerned: the DCRs' stream declarations and data flows
// and the workspace tables' columns, read from JSON files or from the Azure management API.

export interface DeployedColumn {
  readonly name: string;
  /**
   * Lower-cased, as the mapping writes types (`dateTime` in a GET response is `datetime`); a
   * `ColumnType` unless the JSON holds a type the mapping does not know.
   */
  readonly type: string;
}

export interface DeployedFlow {
  readonly streams: readonly string[];
  /** `Custom-<Table>_CL` (or `Microsoft-<Table>`), as written. */
  readonly outputStream: string;
  /** `source` when the flow gives none. */
  readonly transformKql: string;
}

export interface DeployedDcr {
  /** The resource name as written (an ARM expression stays one). */
  readonly name: string;
  /** Known for a deployed DCR (`properties.immutableId`); absent in a template. */
  readonly immutableId?: string;
  /** Stream name → declared columns. */
  readonly streams: ReadonlyMap<string, readonly DeployedColumn[]>;
  readonly flows: readonly DeployedFlow[];
  /** Where it was read, for messages: `DCR.json $`, or the resource id. */
  readonly origin: string;
  /** How messages name it: `DCR app-dcr`, or `the DCR at azuredeploy.json $.resources[3]`. */
  readonly label: string;
}

export interface DeployedTable {
  readonly name: string;
  /** The table's own columns (`properties.schema.columns`). */
  readonly columns: readonly DeployedColumn[];
  /** Columns the service adds (`standardColumns` of a GET response); empty in templates. */
  readonly standardColumns: readonly DeployedColumn[];
  readonly origin: string;
}

export interface Deployment {
  readonly dcrs: readonly DeployedDcr[];
  readonly tables: readonly DeployedTable[];
  /**
   * Whether the DCR side / the table side was looked at. A table.json alone says nothing about
   * the DCR, and a table missing from a workspace that was read is drift, not a gap in the input.
   */
  readonly checked: { readonly dcrs: boolean; readonly tables: boolean };
  /** Tables asked for and not found (a 404 from the Tables API), by name. */
  readonly missingTables?: readonly string[];
}
