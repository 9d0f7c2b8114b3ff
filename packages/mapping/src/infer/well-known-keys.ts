// Sample keys whose name says what they hold: OWASP Logging Vocabulary fields and the
// OpenTelemetry attributes they stand for, secrets never to map, and session ids to hash.

import { isSensitiveKey } from '../sensitive-keys.js';
import type { ColumnType } from '../types.js';
import { normalizeKey } from './column-names.js';

export interface Rename {
  readonly bag: 'attributes' | 'resource';
  readonly key: string;
  readonly name: string;
  /** Only when the sample as a whole is in the OWASP format: the key alone means too many things. */
  readonly owaspOnly?: true;
  readonly type?: ColumnType;
}

/** OWASP Logging Vocabulary format fields and the OpenTelemetry attribute each one is. */
export const RENAMES: ReadonlyMap<string, Rename> = new Map<string, Rename>([
  ['source_ip', { bag: 'attributes', key: 'client.address', name: 'SourceIp' }],
  ['useragent', { bag: 'attributes', key: 'user_agent.original', name: 'UserAgent' }],
  ['request_uri', { bag: 'attributes', key: 'url.path', name: 'RequestUri' }],
  ['request_method', { bag: 'attributes', key: 'http.request.method', name: 'RequestMethod' }],
  ['host_ip', { bag: 'attributes', key: 'network.local.address', name: 'HostIp' }],
  ['hostname', { bag: 'attributes', key: 'server.address', name: 'Hostname', owaspOnly: true }],
  ['port', { bag: 'attributes', key: 'server.port', name: 'Port', owaspOnly: true, type: 'int' }],
  ['protocol', { bag: 'attributes', key: 'url.scheme', name: 'Protocol', owaspOnly: true }],
  ['appid', { bag: 'resource', key: 'service.name', name: 'AppId', owaspOnly: true }],
]);

export const OWASP_FIELDS = new Set([
  ...'datetime appid event level description useragent source_ip host_ip'.split(' '),
  ...'hostname protocol port request_uri request_method region geo'.split(' '),
]);

/** Event categories of the OWASP Logging Vocabulary, whose first parameter is the user id. */
export const OWASP_EVENT =
  /^(?:authn|authz|crypt|excess|upload|input|malicious|mcp|privilege|sensitive|sequence|session|sys|user)_/i;

/** Resource attributes of an OTLP sample worth a column of their own. */
export const RESOURCE_COLUMNS =
  'service.name service.version service.namespace deployment.environment.name host.name'.split(' ');

const SECRET_LAST_WORDS = new Set([
  ...'password passwd passphrase secret token authorization apikey'.split(' '),
  ...'cookie credential credentials jwt bearer privatekey'.split(' '),
]);

const SECRET_PAIRS = new Set(['api_key', 'private_key', 'secret_key', 'access_key', 'signing_key']);

/** Keys whose values are secrets: `password`, `api_key`, `headers.authorization`, `access_token`. */
export function isSecretKey(key: string): boolean {
  if (isSensitiveKey(key)) return true;
  const words = normalizeKey(key).split('_');
  const last = words.at(-1) ?? '';
  return SECRET_LAST_WORDS.has(last) || SECRET_PAIRS.has(words.slice(-2).join('_'));
}

/** `session.id`, `sessionId`, `session_id`, `JSESSIONID`, `PHPSESSID`, `session.previous_id`. */
export function isSessionKey(key: string): boolean {
  const words = normalizeKey(key).split('_');
  if (/sess(?:ion)?id$/.test(words.join(''))) return words.at(-1) !== 'valid';
  return words.includes('session') && words.at(-1) === 'id';
}

export function findSecretKey(value: unknown, depth = 0): string | undefined {
  if (depth > 8 || typeof value !== 'object' || value === null) return undefined;
  const entries = Array.isArray(value) ? value.map((v: unknown) => ['', v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    if (k !== '' && typeof v !== 'boolean' && typeof v !== 'number' && isSecretKey(k)) return k;
    const inner = findSecretKey(v, depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
}
