// The audited API: every read, create, update and delete of an invoice emits an audit record
// (sensitive_read/create/update/delete) saying who touched which invoice, from where. Search text
// is screened for SQL injection (malicious_sqli), bodies for fields they may not carry
// (malicious_extraneous), and status changes for skipped steps (sequence_fail).

import type { Logger } from '@opentelemetry/api-logs';
import type { SecurityEvents } from '@otel-sentinel/owasp';
import type { FastifyInstance, preValidationHookHandler } from 'fastify';
import { extraneousField, sqlInjectionRule } from '../guards/input-screening.js';
import { canMove, EDITABLE, INVOICE_STATUSES } from '../invoices.js';
import type { InvoiceInput, InvoiceStore } from '../invoices.js';
import type { Monitors } from '../monitors.js';
import { logOperational } from '../operational-log.js';

export interface InvoiceDeps {
  readonly logger: Logger;
  readonly security: SecurityEvents;
  readonly invoices: InvoiceStore;
  readonly monitors: Monitors;
  /** Sessions only: for changes. */
  readonly authenticate: preValidationHookHandler;
  /** Sessions or API tokens: for reads. */
  readonly authenticateRead: preValidationHookHandler;
  readonly rateLimit: preValidationHookHandler;
}

/** A new invoice: a draft unless the caller says it is already sent. */
type NewInvoice = Omit<InvoiceInput, 'status'> & { readonly status?: 'draft' | 'sent' };

interface Params {
  readonly id: string;
}
interface SearchQuery {
  readonly customer?: string;
}

const invoiceFields = {
  customer: { type: 'string', minLength: 1, maxLength: 200 },
  amountCents: { type: 'integer', minimum: 0 },
  currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  status: { type: 'string', enum: INVOICE_STATUSES },
} as const;

const params = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^inv-[0-9]{1,12}$' } },
} as const;

const EDITABLE_FIELDS: ReadonlySet<string> = new Set(EDITABLE);

/** The object an audit record names: the invoice's path in the API. */
export function invoiceObject(id: string): string {
  return `/api/invoices/${id}`;
}

export function registerInvoices(app: FastifyInstance, deps: InvoiceDeps): void {
  const { logger, security, invoices, monitors, authenticate, authenticateRead, rateLimit } = deps;

  // Runs after authentication, before schema validation (which would drop unknown fields quietly).
  const refuseExtraneous: preValidationHookHandler = (request, reply, done) => {
    const field = extraneousField(request.body, EDITABLE_FIELDS);
    if (field === undefined) {
      done();
      return;
    }
    security.maliciousExtraneous({ inputName: field });
    void reply.code(400).send({ error: `unexpected field: ${field}` });
  };

  const auditRead = (userId: string, object: string): void => {
    if (monitors.isOn('invoice-read-audit')) security.sensitiveRead({ userId, object });
  };

  app.get<{ Querystring: SearchQuery }>(
    '/api/invoices',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { customer: { type: 'string', maxLength: 200 } },
        },
      },
      preValidation: [authenticateRead, rateLimit],
    },
    (request, reply) => {
      const text = request.query.customer ?? '';
      const ruleId = sqlInjectionRule(text);
      if (ruleId !== undefined) {
        security.maliciousSqli({ parameter: 'customer', ruleId });
        return reply.code(400).send({ error: 'invalid search' });
      }
      auditRead(request.principal?.userId ?? 'anonymous', '/api/invoices');
      return reply.send(invoices.search(text));
    },
  );

  app.get<{ Params: Params }>(
    '/api/invoices/:id',
    { schema: { params }, preValidation: [authenticateRead, rateLimit] },
    (request, reply) => {
      const invoice = invoices.get(request.params.id);
      logOperational(logger, 'DEBUG', 'invoice lookup', { 'invoice.found': invoice !== undefined });
      if (invoice === undefined) return reply.code(404).send({ error: 'no such invoice' });
      auditRead(request.principal?.userId ?? 'anonymous', invoiceObject(invoice.id));
      return reply.send(invoice);
    },
  );

  app.post<{ Body: NewInvoice }>(
    '/api/invoices',
    {
      schema: {
        body: {
          type: 'object',
          required: ['customer', 'amountCents', 'currency'],
          additionalProperties: false,
          properties: { ...invoiceFields, status: { type: 'string', enum: ['draft', 'sent'] } },
        },
      },
      preValidation: [authenticate, rateLimit, refuseExtraneous],
    },
    (request, reply) => {
      const userId = request.principal?.userId ?? 'anonymous';
      const invoice = invoices.create({ status: 'draft', ...request.body }, userId);
      security.sensitiveCreate({ userId, object: invoiceObject(invoice.id) });
      return reply.code(201).header('location', invoiceObject(invoice.id)).send(invoice);
    },
  );

  app.patch<{ Params: Params; Body: Partial<InvoiceInput> }>(
    '/api/invoices/:id',
    {
      schema: {
        params,
        body: { type: 'object', minProperties: 1, additionalProperties: false, properties: invoiceFields },
      },
      preValidation: [authenticate, rateLimit, refuseExtraneous],
    },
    (request, reply) => {
      const userId = request.principal?.userId ?? 'anonymous';
      const current = invoices.get(request.params.id);
      if (current === undefined) return reply.code(404).send({ error: 'no such invoice' });
      const status = request.body.status;
      if (status !== undefined && !canMove(current.status, status)) {
        // Marking a draft paid skips sending it: the flow was bypassed, not just a typo.
        security.sequenceFail({ userId });
        return reply
          .code(409)
          .send({ error: `an invoice goes draft → sent → paid; this one is ${current.status}` });
      }
      const result = invoices.update(current.id, request.body);
      if (result === undefined) return reply.code(404).send({ error: 'no such invoice' });
      security.sensitiveUpdate({ userId, object: invoiceObject(current.id) });
      return reply.send(result.invoice);
    },
  );

  app.delete<{ Params: Params }>(
    '/api/invoices/:id',
    { schema: { params }, preValidation: [authenticate, rateLimit] },
    (request, reply) => {
      if (!invoices.delete(request.params.id)) return reply.code(404).send({ error: 'no such invoice' });
      security.sensitiveDelete({
        userId: request.principal?.userId ?? 'anonymous',
        object: invoiceObject(request.params.id),
      });
      return reply.code(204).send();
    },
  );
}
