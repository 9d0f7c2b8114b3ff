// The audited entity: invoices in an in-memory store. The store knows nothing about logging; the
// routes audit every access to it. An invoice moves through its statuses in order, draft → sent →
// paid: marking a draft paid skips sending it, which the routes refuse (sequence_fail).

export const INVOICE_STATUSES = ['draft', 'sent', 'paid'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The status each status may move to. */
const NEXT: Readonly<Record<InvoiceStatus, InvoiceStatus | undefined>> = {
  draft: 'sent',
  sent: 'paid',
  paid: undefined,
};

/** Whether an invoice may go from `from` to `to`: staying put, or the next step. */
export function canMove(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return from === to || NEXT[from] === to;
}

export interface Invoice {
  readonly id: string;
  readonly customer: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly status: InvoiceStatus;
  readonly createdBy: string;
  readonly updatedAt: string;
}

/** The fields a client may set. */
export type InvoiceInput = Pick<Invoice, 'customer' | 'amountCents' | 'currency' | 'status'>;

export const EDITABLE = ['customer', 'amountCents', 'currency', 'status'] as const;

const SEED: readonly InvoiceInput[] = [
  { customer: 'Fabrikam, Inc.', amountCents: 125_000, currency: 'EUR', status: 'sent' },
  { customer: 'Northwind Traders', amountCents: 48_990, currency: 'EUR', status: 'paid' },
  { customer: 'Tailspin Toys', amountCents: 9_900, currency: 'USD', status: 'draft' },
];

export class InvoiceStore {
  private readonly invoices = new Map<string, Invoice>();
  private nextNumber = 1001;

  constructor(private readonly now: () => number = Date.now) {}

  /** Loads the sample invoices; returns how many were loaded. */
  warm(): number {
    for (const input of SEED) this.create(input, 'system');
    return SEED.length;
  }

  get(id: string): Invoice | undefined {
    return this.invoices.get(id);
  }

  /** The invoices whose customer contains `text` (any case); all of them for ''. */
  search(text: string): Invoice[] {
    const needle = text.toLowerCase();
    return [...this.invoices.values()].filter((i) => i.customer.toLowerCase().includes(needle));
  }

  create(input: InvoiceInput, createdBy: string): Invoice {
    const invoice: Invoice = {
      ...pick(input),
      id: `inv-${this.nextNumber++}`,
      createdBy,
      updatedAt: this.stamp(),
    };
    this.invoices.set(invoice.id, invoice);
    return invoice;
  }

  /** Applies a partial change; returns the invoice and the names of the fields that changed. */
  update(id: string, patch: Partial<InvoiceInput>): { invoice: Invoice; changed: string[] } | undefined {
    const current = this.invoices.get(id);
    if (current === undefined) return undefined;
    const changed = EDITABLE.filter((k) => patch[k] !== undefined && patch[k] !== current[k]);
    if (changed.length === 0) return { invoice: current, changed };
    const invoice: Invoice = { ...current, ...pick({ ...current, ...patch }), updatedAt: this.stamp() };
    this.invoices.set(id, invoice);
    return { invoice, changed };
  }

  delete(id: string): boolean {
    return this.invoices.delete(id);
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }
}

// Only the editable fields, so extra properties of a request body never reach the store.
function pick(input: InvoiceInput): InvoiceInput {
  return {
    customer: input.customer,
    amountCents: input.amountCents,
    currency: input.currency,
    status: input.status,
  };
}
