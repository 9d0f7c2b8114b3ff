// The client's country on each security event, as OpenTelemetry's `geo.country.iso_code` (ISO
// 3166-1 alpha-2): the country part of the region the edge reports (`NL-NH` → `NL`), read only
// behind a trusted proxy. The owasp preset maps it to ASIM's SrcGeoCountry, which Microsoft's
// "sign-ins from several countries" rule reads. Events outside a request carry none.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { SecurityLogger, SecurityLogRecord } from '@otel-sentinel/owasp';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';

export const GEO_COUNTRY_ATTRIBUTE = 'geo.country.iso_code';

/** `NL-NH` → `NL`, `CN` → `CN`: an ISO 3166-2 subdivision code starts with its country. */
export function countryOfRegion(region: string): string {
  return region.split('-')[0] ?? region;
}

export class RequestCountry {
  private readonly store = new AsyncLocalStorage<string | undefined>();

  /** An onRequest hook: the rest of the request (handlers, events) runs with its client's country. */
  hook(regionOf: (request: FastifyRequest) => string | undefined): onRequestHookHandler {
    return (request, _reply, done) => {
      const region = regionOf(request);
      this.store.run(region === undefined ? undefined : countryOfRegion(region), done);
    };
  }

  /** `logger`, with the current request's country added to every record it emits. */
  stamp(logger: SecurityLogger): SecurityLogger {
    return {
      emit: (record: SecurityLogRecord) => {
        const country = this.store.getStore();
        logger.emit(
          country === undefined
            ? record
            : { ...record, attributes: { ...record.attributes, [GEO_COUNTRY_ATTRIBUTE]: country } },
        );
      },
    };
  }
}
