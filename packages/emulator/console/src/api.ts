// The console's one way to talk to the emulator: JSON over /console/api/, with errors as
// ConsoleApiError, plus the shared result renderer every tab uses for grids and charts.

import { renderResult } from './render/result.js';

/** A result column: its name and its KQL type (string, long, datetime, dynamic, …). */
export interface Column {
  readonly name: string;
  readonly type: string;
}

/** How a result asks to be drawn (a `render` operator, or a `summarize … by bin(TimeGenerated, …)`). */
export interface Visualization {
  readonly kind: 'timechart' | 'barchart' | 'piechart' | 'table';
  /** The column on the x axis (or the labels of a pie). */
  readonly x: string;
  /** The columns drawn as values. */
  readonly y: readonly string[];
  /** A column whose values split the rows into one series each. */
  readonly series?: string;
}

/** What `POST /console/api/query` answers. */
export interface QueryResult {
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly unknown[])[];
  readonly visualization?: Visualization;
}

/** An error answered by the console API (`{ error: { code, message, line?, col? } }`). */
export class ConsoleApiError extends Error {
  override readonly name = 'ConsoleApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For KQL errors: where in the query (1-based). */
    readonly line?: number,
    readonly col?: number,
  ) {
    super(message);
  }
}

/** What every tab's `mount(el, api)` receives. Paths are relative to /console/api (`'/rules'`). */
export interface ConsoleApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** Runs KQL through the emulator; `timespan` is an ISO 8601 duration or interval. */
  runQuery(query: string, timespan?: string): Promise<QueryResult>;
  /** Draws a result into `el`: a chart when it has (or is given) a visualization, then the grid. */
  renderResult(el: HTMLElement, result: QueryResult, visualization?: Visualization): void;
}

const API_ROOT = '/console/api';

function apiUrl(path: string): string {
  if (path.startsWith(`${API_ROOT}/`)) return path;
  return `${API_ROOT}${path.startsWith('/') ? path : `/${path}`}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function errorFrom(status: number, body: unknown): ConsoleApiError {
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  const code = typeof error?.['code'] === 'string' ? error['code'] : `HTTP${status}`;
  const message =
    typeof error?.['message'] === 'string' ? error['message'] : `the console API answered ${status}`;
  const line = typeof error?.['line'] === 'number' ? error['line'] : undefined;
  const col = typeof error?.['col'] === 'number' ? error['col'] : undefined;
  return new ConsoleApiError(status, code, message, line, col);
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (method === 'POST') {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(body ?? {});
  }
  const response = await fetch(apiUrl(path), init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): errorFrom falls back to the status.
  }
  if (!response.ok) throw errorFrom(response.status, parsed);
  return parsed as T;
}

/** The console API of the page's own origin. */
export function createApi(): ConsoleApi {
  return {
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
    runQuery: (query, timespan) =>
      request<QueryResult>('POST', '/query', timespan === undefined ? { query } : { query, timespan }),
    renderResult,
  };
}

export { renderResult };
