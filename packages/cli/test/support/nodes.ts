// The Node binaries the user-facing checks run on: this one, and Node 22 (the oldest line
// `engines` allows) when CI names it in OTEL_SENTINEL_NODE22_BIN, as the exporter's store tests do.

export const NODES: readonly string[] = [
  process.execPath,
  ...(process.env['OTEL_SENTINEL_NODE22_BIN'] ? [process.env['OTEL_SENTINEL_NODE22_BIN']] : []),
];
