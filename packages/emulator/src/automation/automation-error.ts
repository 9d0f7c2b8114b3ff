// Why a redelivery cannot be made: the console answers it with the status `httpStatus`.

import { OtelSentinelError } from '@otel-sentinel/mapping';

/** Why `redeliver` refused. */
export type AutomationErrorCode =
  /** No delivery has that id (404). */
  | 'E_UNKNOWN_DELIVERY'
  /** The delivery is still pending: its attempts are not over (409). */
  | 'E_DELIVERY_PENDING'
  /** No automation target of the running emulator has the delivery's URL any more (409). */
  | 'E_TARGET_GONE'
  /** The emulator is closing or closed (409). */
  | 'E_AUTOMATION_CLOSED';

/** `emulator.automation.redeliver` cannot send the delivery again; `code` says why. */
export class AutomationError extends OtelSentinelError {
  /** Stable: test this, not the message. */
  declare readonly code: AutomationErrorCode;

  /** The HTTP status the console API answers this error with. */
  get httpStatus(): number {
    return this.code === 'E_UNKNOWN_DELIVERY' ? 404 : 409;
  }
}
