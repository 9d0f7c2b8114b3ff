// The audited API: every read, create, update and delete of an invoice emits an audit record
// (sensitive_read/create/update/delete) saying who did what to which invoice, from where and why.

import type { Logger } from '@opentelemetry/api-logs';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import type { InvoiceInput, InvoiceStore } from '../invoices.js';
import { logOperational } from '../operational-log.js';
import { requestAttributes } from '../request-context.js';
import { AuditAction, emitAuditEvent } from '../security-events.js';

export interface InvoiceDeps {
  readonly logger: Logger;
  readonly invoices: InvoiceStore;
  readonly authenticate: preHandlerHookHandler;
}

const ENTITY = 'invoice';
const REASON_HEADER = 'x-audit-reason';

/** A new invoice: a draft unless the caller says otherwise. */
type NewInvoice = Omit<InvoiceInput, 'status'> & Partial<Pick<InvoiceInput, 'status'>>;

interface Params {
  readonly id: string;
}
interface ReasonHeaders {
  readonly [REASON_HEADER]?: string;
}

const invoiceFields = {
  customer: { type: 'string', minLength: 1, maxLength: 200 },
  amountCents: { type: 'integer', minimum: 0 },
  currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  status: { type: 'string', enum: ['draft', 'sent', 'paid'] },
} as const;

const params = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^inv-[0-9]{1,12}$' } },
} as const;

// Why the caller acts, in their words; optional except on delete.
const reason = { type: 'string', minLength: 1, maxLength: 200 } as const;
const optionalReason = { type: 'object', properties: { [REASON_HEADER]: reason } } as const;
const requiredReason = { ...optionalReason, required: [REASON_HEADER] } as const;

export function registerInvoices(app: FastifyInstance, deps: InvoiceDeps): void {
  const { logger, invoices, authenticate } = deps;

  app.get<{ Params: Params; Headers: ReasonHeaders }>(
    '/api/invoices/:id',
    { schema: { params, headers: optionalReason }, preHandler: authenticate },
    (request, reply) => {
      const invoice = invoices.get(request.params.id);
      logOperational(logger, 'DEBUG', 'invoice lookup', { 'invoice.found': invoice !== undefined });
      if (invoice === undefined) return reply.code(404).send({ error: 'no such invoice' });
      emitAuditEvent(
        logger,
        AuditAction.Read,
        { entityType: ENTITY, entityId: invoice.id, reason: request.headers[REASON_HEADER] },
        requestAttributes(request),
      );
      return reply.send(invoice);
    },
  );

  app.post<{ Body: NewInvoice; Headers: ReasonHeaders }>(
    '/api/invoices',
    {
      schema: {
        headers: optionalReason,
        body: {
          type: 'object',
          required: ['customer', 'amountCents', 'currency'],
          additionalProperties: false,
          properties: invoiceFields,
        },
      },
      preHandler: authenticate,
    },
    (request, reply) => {
      const createdBy = request.principal?.userId ?? 'anonymous';
      const invoice = invoices.create({ status: 'draft', ...request.body }, createdBy);
      emitAuditEvent(
        logger,
        AuditAction.Create,
        { entityType: ENTITY, entityId: invoice.id, reason: request.headers[REASON_HEADER] },
        requestAttributes(request),
      );
      return reply.code(201).header('location', `/api/invoices/${invoice.id}`).send(invoice);
    },
  );

  app.patch<{ Params: Params; Body: Partial<InvoiceInput>; Headers: ReasonHeaders }>(
    '/api/invoices/:id',
    {
      schema: {
        params,
        headers: optionalReason,
        body: { type: 'object', minProperties: 1, additionalProperties: false, properties: invoiceFields },
      },
      preHandler: authenticate,
    },
    (request, reply) => {
      const result = invoices.update(request.params.id, request.body);
      if (result === undefined) return reply.code(404).send({ error: 'no such invoice' });
      emitAuditEvent(
        logger,
        AuditAction.Update,
        {
          entityType: ENTITY,
          entityId: result.invoice.id,
          reason: request.headers[REASON_HEADER],
          changedFields: result.changed,
        },
        requestAttributes(request),
      );
      return reply.send(result.invoice);
    },
  );

  app.delete<{ Params: Params; Headers: ReasonHeaders }>(
    '/api/invoices/:id',
    { schema: { params, headers: requiredReason }, preHandler: authenticate },
    (request, reply) => {
      if (!invoices.delete(request.params.id)) return reply.code(404).send({ error: 'no such invoice' });
      emitAuditEvent(
        logger,
        AuditAction.Delete,
        { entityType: ENTITY, entityId: request.params.id, reason: request.headers[REASON_HEADER] },
        requestAttributes(request),
      );
      return reply.code(204).send();
    },
  );
}
