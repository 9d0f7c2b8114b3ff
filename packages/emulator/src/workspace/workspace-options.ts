// The emulator's options for what a Sentinel workspace holds besides tables: stored functions
// (ASIM parsers, saved searches) and the files `externaldata` reads.

import type { StoredFunction } from '@otel-sentinel/kql';

export interface WorkspaceOptions {
  /**
   * Workspace functions given as they are (name, `functionParameters` text, body), e.g. built by
   * hand in a test. They win over stand-ins; a name also defined by `parsers` or `definitions`
   * must have the same body. Default none.
   * Example: `[{ name: 'Im_AuthenticationCustom', parameters: 'disabled:bool=false', body: 'MyAuth_CL' }]`.
   */
  readonly functions?: readonly StoredFunction[];
  /**
   * ASIM parser YAML (`ParserName`, `ParserParams`, `ParserQuery`) to serve as workspace
   * functions: files, or folders searched for YAML files (those without `ParserName` skipped).
   * The folders of `definitions` are searched too, for YAML under a `Parsers` folder, and their
   * ARM JSON for `savedSearches` with a `functionAlias`. Default none. Example: `['third_party/azure-sentinel/ASIM/dev/ASimTester/Testers/ASimSchemaTester.yaml']`.
   */
  readonly parsers?: readonly string[];
  /**
   * The built-in stand-ins: ASIM's unifying parsers `_Im_<Schema>`, `im<Schema>`, `_ASim_<Schema>`,
   * `ASim<Schema>` for Authentication, AuditEvent, UserManagement and WebSession, and the empty
   * watchlist functions `_GetWatchlist`, `_ASIM_GetWatchlistRaw`. Default true.
   */
  readonly asimStandIns?: boolean;
  /**
   * The files `externaldata` reads, by URL: `{ '<url>': '<local file>' }`. Each file is read at
   * start-up; the emulator never fetches a URL, so a query naming a URL not listed fails with an
   * error naming it. Default none. Example:
   * `{ 'https://raw.githubusercontent.com/Azure/Azure-Sentinel/master/ASIM/dev/ASimTester/ASimTester.csv': 'third_party/azure-sentinel/ASIM/dev/ASimTester/ASimTester.csv' }`.
   */
  readonly externalData?: Readonly<Record<string, string>>;
}
