// Reading OTLP request bodies: which format a Content-Type names, which Content-Encodings are
// taken, and the fastify body parsers — the raw body is capped by fastify's bodyLimit, a gzip
// body is inflated with the same cap on its output, stopping as soon as it is passed.

import type { Server as HttpsServer } from 'node:https';
import { gunzip } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OtlpFormat } from '../otlp/index.js';
import { HttpError } from './http-error.js';

const MEDIA_TYPES: ReadonlyMap<string, OtlpFormat> = new Map([
  ['application/x-protobuf', 'protobuf'],
  ['application/json', 'json'],
]);

/** The OTLP format a Content-Type names (parameters such as charset allowed), if any. */
export function formatOf(contentType: string | undefined): OtlpFormat | undefined {
  if (contentType === undefined) return undefined;
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return MEDIA_TYPES.get(media);
}

/** The format of an error answer: protobuf for a protobuf request, JSON for anything else. */
export function errorFormatOf(contentType: string | undefined): OtlpFormat {
  return formatOf(contentType) ?? 'json';
}

/** `gzip`, `identity` (or none), or undefined for an encoding the gateway does not take. */
export function encodingOf(header: string | string[] | undefined): 'gzip' | 'identity' | undefined {
  if (header === undefined) return 'identity';
  if (Array.isArray(header)) return undefined;
  const value = header.trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  return undefined;
}

function inflate(body: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    // maxOutputLength stops the inflater as soon as its output passes the limit: a gzip bomb
    // costs at most the limit (plus one chunk), never its full expansion.
    gunzip(body, { maxOutputLength: maxBytes }, (error, out) => {
      if (error === null) {
        resolve(out);
        return;
      }
      reject(
        (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
          ? new HttpError(
              413,
              'E_BODY_TOO_LARGE',
              `the gzip body inflates to more than ${maxBytes} bytes (maxBodyBytes); send smaller batches`,
            )
          : new HttpError(
              400,
              'E_BODY_NOT_GZIP',
              'the body is not valid gzip (Content-Encoding: gzip): it is corrupt or truncated',
            ),
      );
    });
  });
}

/**
 * Replaces fastify's body parsers with the two OTLP ones, each capped at `maxBodyBytes` before
 * and after decompression. Any other Content-Type gets fastify's 415.
 */
export function registerOtlpParsers(app: FastifyInstance<HttpsServer>, maxBodyBytes: number): void {
  app.removeAllContentTypeParsers();
  const parse = async (request: FastifyRequest, body: Buffer): Promise<Buffer> =>
    encodingOf(request.headers['content-encoding']) === 'gzip' ? inflate(body, maxBodyBytes) : body;
  for (const type of MEDIA_TYPES.keys())
    app.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: maxBodyBytes },
      (request: FastifyRequest, body: Buffer) => parse(request, body),
    );
}
