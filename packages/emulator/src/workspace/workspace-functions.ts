// The workspace's stored functions and externaldata files, as the query API's source offers them
// to the KQL engine: functions from the options, ASIM parser YAML, saved searches in ARM JSON and
// those the management API receives (PUT savedSearches), plus the ASIM stand-ins for names the
// workspace does not define; files read once at start-up.

import { readFileSync, statSync } from 'node:fs';
import type { QuerySource, StoredFunction } from '@otel-sentinel/kql';
import { ConfigError } from '@otel-sentinel/mapping';
import type { RecordedWorkspace, Store } from '../model.js';
import { asimStandIns } from './asim-stand-ins.js';
import { functionsFromParserYaml, type SourcedFunction } from './parser-yaml.js';
import { functionsFromSavedSearches } from './saved-searches.js';
import type { WorkspaceOptions } from './workspace-options.js';
import { WorkspaceError } from './workspace-error.js';

/** What the workspace holds besides tables; the management API adds functions at run time. */
export class Workspace {
  private readonly own = new Map<string, SourcedFunction>();
  private record: Pick<Store, 'recordFunction'> | undefined;

  constructor(
    functions: readonly SourcedFunction[],
    private readonly files: ReadonlyMap<string, string>,
    private readonly standIns: boolean,
  ) {
    for (const fn of functions) this.define(fn);
  }

  /**
   * Adds a function; the same name with another body is an `E_FUNCTION_CONFLICT` (a solution's
   * parser YAML and its ARM template define each function twice, alike).
   */
  define(fn: SourcedFunction): void {
    const known = this.own.get(fn.name);
    if (known !== undefined && known.body.trim() !== fn.body.trim())
      throw new WorkspaceError(
        'E_FUNCTION_CONFLICT',
        `the function ${fn.name} is defined differently by ${known.from} and ${fn.from}; keep one of them`,
      );
    if (known === undefined) this.own.set(fn.name, fn);
  }

  /** Replaces (or adds) a function, as a saved search PUT with `etag: *` does. */
  replace(fn: SourcedFunction): void {
    this.own.set(fn.name, fn);
    this.record?.recordFunction(fn);
  }

  /** Records this workspace in `store`, and from now on every function replaced or added. */
  recordIn(store: Pick<Store, 'recordWorkspace' | 'recordFunction'>): void {
    store.recordWorkspace({ functions: [...this.own.values()], files: this.files, standIns: this.standIns });
    this.record = store;
  }

  /** The workspace a store recorded (see `recordIn`), stand-ins rebuilt from code. */
  static recorded(workspace: RecordedWorkspace): Workspace {
    return new Workspace(workspace.functions, workspace.files, workspace.standIns);
  }

  /** The workspace's own functions, by name. */
  get(name: string): SourcedFunction | undefined {
    return this.own.get(name);
  }

  /** Every function a query can call: the workspace's own, then the stand-ins it lacks. */
  functions(): StoredFunction[] {
    const own = [...this.own.values()].map(({ name, parameters, body }) => ({
      name,
      body,
      ...(parameters !== undefined ? { parameters } : {}),
    }));
    return this.standIns ? [...own, ...asimStandIns(own)] : own;
  }

  /** The text of the file mapped to `url`, or undefined (the engine then names the URL). */
  externalData(url: string): string | undefined {
    return this.files.get(url);
  }

  /** `source` with this workspace's functions and files. */
  over(source: QuerySource): QuerySource {
    return {
      tables: () => source.tables(),
      columns: (table) => source.columns(table),
      scan: (table) => source.scan(table),
      functions: () => this.functions(),
      externalData: (url) => this.externalData(url),
    };
  }
}

/** The workspace `options` describe, `definitions` searched too. Throws `WorkspaceError` or `ConfigError`. */
export function loadWorkspace(
  options: WorkspaceOptions & { readonly definitions?: readonly string[] },
): Workspace {
  const definitions = options.definitions ?? [];
  const folders = definitions.filter(isFolder);
  const given = (options.functions ?? []).map((f, i) => ({ ...f, from: `functions[${i}]` }));
  const functions = [
    ...given,
    ...functionsFromParserYaml(options.parsers ?? []),
    ...functionsFromParserYaml(folders, true),
    ...(definitions.length > 0 ? functionsFromSavedSearches(definitions) : []),
  ];
  return new Workspace(
    functions,
    readExternalData(options.externalData ?? {}),
    options.asimStandIns !== false,
  );
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // the catalog reports a missing definitions path
  }
}

function readExternalData(byUrl: Readonly<Record<string, string>>): Map<string, string> {
  const files = new Map<string, string>();
  for (const [url, file] of Object.entries(byUrl)) {
    const option = `externalData['${url}']`;
    if (!/^https?:\/\/\S+$/i.test(url))
      throw new ConfigError(
        'E_EXTERNAL_DATA',
        option,
        `${option}: "${url}" is not an http(s) URL; key each file by the URL the query names`,
      );
    try {
      files.set(url, readFileSync(file, 'utf8'));
    } catch (error: unknown) {
      const reason = (error as { code?: unknown }).code === 'ENOENT' ? 'no such file' : String(error);
      throw new ConfigError(
        'E_EXTERNAL_DATA',
        option,
        `${option}: cannot read ${file} (${reason}); give the local copy of that URL's file`,
      );
    }
  }
  return files;
}
