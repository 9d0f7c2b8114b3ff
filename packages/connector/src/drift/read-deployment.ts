// Reads DCRs and workspace tables out of Azure JSON: one resource, an array of them, an ARM
// template (nested deployments included), a list response (`value`), or a GET response. What
// is not a DCR or a table is skipped; a DCR or table that cannot be read is a DeploymentError
// naming the file, the JSON path and what to change.

import { basename } from 'node:path';
import { CUSTOM_STREAM_PREFIX, OtelSentinelError } from '@otel-sentinel/mapping';
import type { OtelSentinelErrorOptions } from '@otel-sentinel/mapping';
import type { DeployedColumn, DeployedDcr, DeployedFlow, DeployedTable } from './deployment.js';

const TABLE_TYPE = 'microsoft.operationalinsights/workspaces/tables';
const DCR_TYPE = 'microsoft.insights/datacollectionrules';
const DEPLOYMENT_TYPE = 'microsoft.resources/deployments';

type Obj = Readonly<Record<string, unknown>>;

/** What is deployed cannot be read: a file that is not a DCR, table or template, or an Azure read refused. */
export class DeploymentError extends OtelSentinelError {
  declare readonly code: 'E_DEPLOYMENT';
  /** `options.path` names the file at fault when there is one. */
  constructor(message: string, options?: OtelSentinelErrorOptions) {
    super('E_DEPLOYMENT', message, options);
  }
}

export interface ReadResources {
  readonly dcrs: DeployedDcr[];
  readonly tables: DeployedTable[];
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `[concat(…)]`, `[parameters('x')]`: evaluated by ARM at deployment (`[[` escapes a bracket). */
function isArmExpression(value: string): boolean {
  return value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']');
}

/** The DCRs and tables in a parsed JSON document; `file` names it in origins and errors. */
export function readDeployment(json: unknown, file: string): ReadResources {
  const out: ReadResources = { dcrs: [], tables: [] };
  visit(json, '$', file, out);
  return out;
}

function visit(value: unknown, path: string, file: string, out: ReadResources): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      visit(item, `${path}[${i}]`, file, out);
    });
    return;
  }
  if (!isObj(value)) return;
  const type = typeof value.type === 'string' ? value.type.toLowerCase() : undefined;
  if (type === DCR_TYPE) out.dcrs.push(readDcr(value, `${file} ${path}`));
  else if (type === TABLE_TYPE) out.tables.push(readTable(value, `${file} ${path}`));
  else if (type === DEPLOYMENT_TYPE) {
    const template = isObj(value.properties) ? value.properties.template : undefined;
    if (isObj(template)) visit(template.resources, `${path}.properties.template.resources`, file, out);
  } else if (type === undefined) {
    // An ARM template, or a list response.
    if (Array.isArray(value.resources)) visit(value.resources, `${path}.resources`, file, out);
    if (Array.isArray(value.value)) visit(value.value, `${path}.value`, file, out);
  }
}

/** `properties`, or the resource itself when a client flattened them (the SDK models do). */
function propertiesOf(resource: Obj): Obj {
  return isObj(resource.properties) ? resource.properties : resource;
}

function columnsOf(value: unknown, origin: string, what: string): DeployedColumn[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DeploymentError(`${origin}: ${what} is not an array of columns`);
  return value.map((c: unknown, i) => {
    if (!isObj(c) || typeof c.name !== 'string' || typeof c.type !== 'string') {
      throw new DeploymentError(
        `${origin}: ${what}[${i}] is not a column { "name": …, "type": … }; fix the JSON`,
      );
    }
    return { name: c.name, type: c.type.toLowerCase() };
  });
}

export function readDcr(resource: Obj, origin: string): DeployedDcr {
  const props = propertiesOf(resource);
  const name = typeof resource.name === 'string' ? resource.name : '(unnamed DCR)';
  const streams = readStreamDeclarations(props.streamDeclarations, origin);
  const flows = Array.isArray(props.dataFlows) ? (props.dataFlows as unknown[]).flatMap(readFlow) : [];
  const immutableId = typeof props.immutableId === 'string' ? props.immutableId : undefined;
  // A name ARM computes at deployment says nothing: the file and the JSON path say which DCR.
  const label = isArmExpression(name) ? `the DCR at ${basename(origin)}` : `DCR ${name}`;
  return { name, ...(immutableId !== undefined ? { immutableId } : {}), streams, flows, origin, label };
}

function readStreamDeclarations(
  declarations: unknown,
  origin: string,
): Map<string, readonly DeployedColumn[]> {
  const streams = new Map<string, readonly DeployedColumn[]>();
  if (!isObj(declarations)) return streams;
  for (const [stream, declaration] of Object.entries(declarations)) {
    const columns = isObj(declaration) ? declaration.columns : undefined;
    streams.set(stream, columnsOf(columns, origin, `streamDeclarations['${stream}'].columns`));
  }
  return streams;
}

/** A data flow, once per output stream; nothing for a flow that is not an object. */
function readFlow(flow: unknown): DeployedFlow[] {
  if (!isObj(flow)) return [];
  const inputs = Array.isArray(flow.streams)
    ? flow.streams.filter((s): s is string => typeof s === 'string')
    : [];
  const kql =
    typeof flow.transformKql === 'string' && flow.transformKql.trim() !== '' ? flow.transformKql : 'source';
  // Without an outputStream, a Custom- stream goes to the table of its own name.
  const outputs =
    typeof flow.outputStream === 'string'
      ? [flow.outputStream]
      : inputs.filter((s) => s.startsWith(CUSTOM_STREAM_PREFIX));
  return outputs.map((outputStream) => ({ streams: inputs, outputStream, transformKql: kql }));
}

export function readTable(resource: Obj, origin: string): DeployedTable {
  const props = propertiesOf(resource);
  const schema = isObj(props.schema) ? props.schema : {};
  return {
    name: tableName(resource, schema, origin),
    columns: columnsOf(schema.columns, origin, 'properties.schema.columns'),
    standardColumns: columnsOf(schema.standardColumns, origin, 'properties.schema.standardColumns'),
    origin,
  };
}

/** `schema.name`; else the last segment of the resource name, also inside an ARM expression. */
function tableName(resource: Obj, schema: Obj, origin: string): string {
  if (typeof schema.name === 'string' && schema.name !== '' && !isArmExpression(schema.name))
    return schema.name;
  const name = typeof resource.name === 'string' ? resource.name : '';
  if (name !== '' && !isArmExpression(name)) return name.slice(name.lastIndexOf('/') + 1);
  // `[format('{0}/{1}', parameters('workspaceName'), 'AppAuthEvents_CL')]` and the like.
  const literal =
    /'([A-Za-z0-9_]+)'\s*\)\s*\]$/.exec(name)?.[1] ?? /\/([A-Za-z0-9_]+)'\s*\)\s*\]$/.exec(name)?.[1];
  if (literal !== undefined) return literal;
  throw new DeploymentError(
    `${origin}: cannot tell the table's name from ${JSON.stringify(name)}; set properties.schema.name to it (e.g. "AppEvents_CL")`,
  );
}
