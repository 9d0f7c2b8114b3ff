// The part of a DCR both generators write the same way: stream declarations, the workspace
// destination and one data flow per stream. One place, so the solution package and the direct
// template can never declare a stream differently.

import { streamDeclaration } from '@otel-sentinel/mapping';
import type { MappingConfig } from '@otel-sentinel/mapping';

export function dcrFlows(config: MappingConfig, destination: string): Record<string, unknown> {
  const decls = config.streams.map((s) => streamDeclaration(s));
  return {
    streamDeclarations: Object.fromEntries(
      decls.map((d) => [d.name, { columns: d.columns.map((c) => ({ name: c.name, type: c.type })) }]),
    ),
    destinations: {
      logAnalytics: [{ workspaceResourceId: "[variables('workspaceResourceId')]", name: destination }],
    },
    // The exporter sends event time in TimeGenerated, so by default rows pass through unchanged;
    // a stream's own transformKql (checked when the mapping was loaded) replaces that.
    dataFlows: config.streams.map((s) => ({
      streams: [s.stream],
      destinations: [destination],
      transformKql: s.transformKql ?? 'source',
      outputStream: `Custom-${s.table}`,
    })),
  };
}
