// A webhook delivery as the log keeps it: one incident posted to one automation target, with
// every attempt. The same JSON goes to the store, the Node API and the console.

/** `pending` while attempts remain; `delivered` on a 2xx; `failed` with a `cause` otherwise. */
export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** One POST of a delivery. */
export interface DeliveryAttempt {
  /** 1-based. */
  readonly number: number;
  /** When it started (ISO 8601). */
  readonly at: string;
  /** From its start to the response's end (or the error). */
  readonly durationMs: number;
  /** The HTTP status, when a response came. */
  readonly status?: number;
  /** Why no response came, in words with the error code, e.g. `connection reset (ECONNRESET)`. */
  readonly error?: string;
  /** How long the next attempt waited, when there was one, and whether Retry-After set it. */
  readonly waitMs?: number;
  /** Whether `waitMs` came from the response's Retry-After (else backoff with jitter). */
  readonly waitFromRetryAfter?: boolean;
}

/** One incident posted to one automation target, with every attempt. */
export interface Delivery {
  /** A GUID; also the payload's `eventUniqueId`. */
  readonly id: string;
  /** The incident posted. */
  readonly incidentNumber: number;
  /** Its analytic rule's id. */
  readonly ruleId: string;
  /** Its analytic rule's display name. */
  readonly ruleName: string;
  /** Its severity when it was posted. */
  readonly severity: string;
  /** The place of the target in the `automation` option. */
  readonly target: number;
  /** The target URL without userinfo or query string. */
  readonly url: string;
  /** Where it stands (see DeliveryState). */
  readonly state: DeliveryState;
  /** When the incident was handed to automation (ISO 8601). */
  readonly createdAt: string;
  /** The target's `maxAttempts` when the delivery began. */
  readonly maxAttempts: number;
  /** Every attempt, oldest first. */
  readonly attempts: readonly DeliveryAttempt[];
  /** The last HTTP status, when any response came. */
  readonly lastStatus?: number;
  /** Why it failed (the last attempt's problem, or that the emulator stopped first). */
  readonly cause?: string;
  /** When a delivered or failed delivery finished. */
  readonly finishedAt?: string;
  /** The delivery this one sends again, for a redelivery. */
  readonly redeliveryOf?: string;
}

/** A delivery with the JSON body it posts (the same body for each attempt and redelivery). */
export interface DeliveryWithPayload extends Delivery {
  /** The trigger body, as posted (README "Automation"). */
  readonly payload: unknown;
}

/** Reads back a stored delivery; undefined for text that is not one (a newer or damaged record). */
export function parseDelivery(text: string): DeliveryWithPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const d = value as Partial<DeliveryWithPayload>;
  const ok =
    typeof d.id === 'string' &&
    typeof d.incidentNumber === 'number' &&
    typeof d.state === 'string' &&
    typeof d.url === 'string' &&
    Array.isArray(d.attempts);
  return ok ? (value as DeliveryWithPayload) : undefined;
}

/** The delivery without its payload: what lists show. */
export function withoutPayload(d: DeliveryWithPayload): Delivery {
  const rest: { -readonly [K in keyof DeliveryWithPayload]?: DeliveryWithPayload[K] } = { ...d };
  delete rest.payload;
  return rest as Delivery;
}
