// Where the parts of a binary ExportLogsServiceRequest lie in its body, noted while it is decoded,
// and the subset of its records written back from those bytes: each kept LogRecord copied byte for
// byte (unknown fields included) inside re-built ResourceLogs and ScopeLogs wrappers.
import protobuf from 'protobufjs';

import { tagOf } from './wire-fields.js';

const RESOURCE_LOGS = tagOf('ExportLogsServiceRequest', 'resourceLogs', 'repeated ResourceLogs');
const SCOPE_LOGS = tagOf('ResourceLogs', 'scopeLogs', 'repeated ScopeLogs');
const LOG_RECORDS = tagOf('ScopeLogs', 'logRecords', 'repeated LogRecord');

/**
 * One ResourceLogs or ScopeLogs: `fields` holds the start and end of each of its fields other than
 * its children (resource or scope, schema URL, unknown fields), tag included, in body order.
 */
export interface GroupLayout {
  readonly fields: number[];
}

export interface ResourceLayout extends GroupLayout {
  readonly scopes: ScopeLayout[];
}

export interface ScopeLayout extends GroupLayout {
  /** The index of its first record in the request, and one past its last. */
  readonly firstRecord: number;
  endRecord: number;
}

export class RequestLayout {
  /** The request's fields other than its ResourceLogs, as in GroupLayout. */
  readonly fields: number[] = [];
  readonly resources: ResourceLayout[] = [];
  /** The start and end of each LogRecord's content (after its tag and length), in record order. */
  private readonly spans: number[] = [];

  addResource(): ResourceLayout {
    const resource: ResourceLayout = { fields: [], scopes: [] };
    this.resources.push(resource);
    return resource;
  }

  addScope(resource: ResourceLayout): ScopeLayout {
    const record = this.spans.length / 2;
    const scope: ScopeLayout = { fields: [], firstRecord: record, endRecord: record };
    resource.scopes.push(scope);
    return scope;
  }

  addRecord(scope: ScopeLayout, start: number, end: number): void {
    this.spans.push(start, end);
    scope.endRecord = this.spans.length / 2;
  }

  /**
   * The request with only the records `keep` accepts (asked once per record, in order), groups
   * without any dropped; undefined when none is kept.
   */
  subset(body: Uint8Array, keep: (index: number) => boolean): Uint8Array | undefined {
    const count = this.spans.length / 2;
    const kept = new Uint8Array(count);
    let any = false;
    for (let i = 0; i < count; i++) {
      if (keep(i)) {
        kept[i] = 1;
        any = true;
      }
    }
    if (!any) return undefined;
    const writer = protobuf.Writer.create();
    copyFields(writer, body, this.fields);
    for (const resource of this.resources) {
      const scopes = resource.scopes;
      if (!scopes.some((scope) => keepsAny(kept, scope))) continue;
      writer.uint32(RESOURCE_LOGS).fork();
      copyFields(writer, body, resource.fields);
      for (const scope of scopes) {
        if (!keepsAny(kept, scope)) continue;
        writer.uint32(SCOPE_LOGS).fork();
        copyFields(writer, body, scope.fields);
        for (let i = scope.firstRecord; i < scope.endRecord; i++) {
          if (kept[i] === 1)
            writer.uint32(LOG_RECORDS).bytes(body.subarray(this.spans[2 * i], this.spans[2 * i + 1]));
        }
        writer.ldelim();
      }
      writer.ldelim();
    }
    return writer.finish();
  }
}

function keepsAny(kept: Uint8Array, scope: ScopeLayout): boolean {
  for (let i = scope.firstRecord; i < scope.endRecord; i++) if (kept[i] === 1) return true;
  return false;
}

function copyFields(writer: protobuf.Writer, body: Uint8Array, fields: readonly number[]): void {
  for (let i = 0; i < fields.length; i += 2) writer.raw(body.subarray(fields[i], fields[i + 1]));
}
