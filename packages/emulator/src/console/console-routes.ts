// The console on the emulator's own server: the guard on every /console URL, the page and its
// libraries, and the query API. Other lanes add their /console/api routes next to these; the
// guard covers them too.

import type { QuerySource } from '@otel-sentinel/kql';
import type { FastifyInstance } from 'fastify';
import { guardConsole } from './guard.js';
import { queryRoutes } from './query-routes.js';
import { installedRoots, staticRoutes, type ConsoleRoots } from './static-files.js';

export interface ConsoleDeps {
  /** Whether the console is on; off, every /console URL answers 404. */
  readonly enabled: boolean;
  readonly source: QuerySource;
  readonly count: (table: string) => number;
  readonly workspaceId: string;
  readonly origin: () => string;
  /** Default: `() => new Date()`. */
  readonly now?: () => Date;
  /** Default: the installed package's files. */
  readonly roots?: ConsoleRoots;
  readonly log?: (line: string) => void;
}

/** Registers the guard always (so /console is 404 when off), and the routes when on. */
export function consoleRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  guardConsole(app, { enabled: deps.enabled, origin: deps.origin });
  if (!deps.enabled) return;
  staticRoutes(app, deps.roots ?? installedRoots());
  queryRoutes(app, {
    source: deps.source,
    count: deps.count,
    workspaceId: deps.workspaceId,
    origin: deps.origin,
    now: deps.now ?? (() => new Date()),
    ...(deps.log !== undefined ? { log: deps.log } : {}),
  });
}
