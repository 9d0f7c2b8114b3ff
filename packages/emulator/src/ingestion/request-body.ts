// The request body as the service reads it: gunzipped when `Content-Encoding: gzip`, at most
// the limit both before and after, and a JSON array of objects.

import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { parseExactJson } from '@otel-sentinel/kql';
import type { IngestionError } from './error-responses.js';
import { ingestionErrors } from './error-responses.js';

const gunzipAsync = promisify(gunzip);

/** The decompressed bytes, or the error to answer. */
export async function decodeBody(
  raw: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Buffer | IngestionError> {
  if (raw.length > maxBytes) return ingestionErrors.tooLarge(maxBytes);
  const encoding = contentEncoding?.trim().toLowerCase() ?? '';
  if (encoding === '' || encoding === 'identity') return raw;
  if (encoding !== 'gzip') {
    return ingestionErrors.badEncoding(
      `Content-Encoding '${encoding}' is not supported; send gzip or no Content-Encoding.`,
    );
  }
  try {
    // The output cap stops a gzip bomb at the limit instead of inflating it whole.
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      return ingestionErrors.tooLarge(maxBytes);
    return ingestionErrors.badEncoding('The body is not valid gzip, but Content-Encoding says gzip.');
  }
}

/** The items of a JSON array of objects, or the error to answer. Never echoes body text. */
export function parseItems(body: Buffer): readonly Record<string, unknown>[] | IngestionError {
  if (body.length === 0)
    return ingestionErrors.badPayload('The request body is empty; send a JSON array of objects.');
  let value: unknown;
  try {
    // Integers beyond 2^53 keep their digits (as bigints): the service stores longs exactly.
    value = parseExactJson(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return ingestionErrors.badPayload('The request body is not valid JSON; send a JSON array of objects.');
  }
  if (!Array.isArray(value)) {
    return ingestionErrors.badPayload(
      `The request body must be a JSON array of objects; got ${value === null ? 'null' : typeof value}.`,
    );
  }
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return ingestionErrors.badPayload(`Item [${i}] of the request body is not a JSON object.`);
    }
  }
  return value as Record<string, unknown>[];
}
