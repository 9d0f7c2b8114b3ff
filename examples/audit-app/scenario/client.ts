// The scenario's HTTP client: each request goes out as one persona (its address in
// X-Forwarded-For, its User-Agent, its region), and must get the status the script expects, so a
// change in the app's behaviour stops the scenario instead of quietly changing what it shows.

import type { Persona } from './personas.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request line: `GET /api/invoices/inv-1001`. */
export type RequestLine = `${Method} /${string}`;

export interface Call {
  /** The status the script expects. */
  readonly expect: number;
  /** `Authorization: Bearer <credential>`: a session id or an API token. */
  readonly bearer?: string;
  /** A JSON body. */
  readonly body?: unknown;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export class ScenarioError extends Error {
  readonly code = 'E_SCENARIO';
}

export class Client {
  /** Every status received, in order. */
  readonly statuses: number[] = [];

  constructor(private readonly baseUrl: string) {}

  async call(as: Persona, line: RequestLine, call: Call): Promise<Answer> {
    const space = line.indexOf(' ');
    const method = line.slice(0, space);
    const path = line.slice(space + 1);
    const headers: Record<string, string> = {
      'x-forwarded-for': as.ip,
      'user-agent': as.userAgent,
    };
    if (as.region !== undefined) headers['x-client-region'] = as.region;
    if (call.bearer !== undefined) headers.authorization = `Bearer ${call.bearer}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
    const text = await response.text();
    this.statuses.push(response.status);
    if (response.status !== call.expect) {
      throw new ScenarioError(
        `${as.name}: ${line} answered ${response.status}, the scenario expects ${call.expect}: ${text}`,
      );
    }
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  /** Signs a user in; returns the session id. */
  async signIn(as: Persona, username: string, password: string): Promise<string> {
    const { body } = await this.call(as, 'POST /login', { body: { username, password }, expect: 200 });
    return stringField(body, 'sessionId');
  }
}

/** A string property of a JSON answer; throws when it is missing. */
export function stringField(body: unknown, key: string): string {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'string')
    throw new ScenarioError(`the answer has no string "${key}": ${JSON.stringify(body)}`);
  return value;
}
