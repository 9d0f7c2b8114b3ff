// Payment card numbers: 13 to 19 digits that pass the Luhn check.

import { countDigits, passesLuhn } from './checksums.js';
import type { Detector, Found } from './detector.js';

/** IMEI and ICCID numbers also carry a Luhn digit; their label says what they are. */
const DEVICE_ID_LABEL = /(?:imei|imeisv|iccid|meid)["']?\s*[:=]?\s*["']?$/i;
/**
 * An IBAN printed in groups of four (`DE44 5001 0517 5407 3249 31`): its country code and check
 * digits come right before the digits, which may pass the Luhn check by chance.
 */
const IBAN_START = /(?:^|[^A-Za-z0-9])[A-Z]{2}\d{2}[ -]?$/;

/**
 * A candidate card number is kept when its digits pass the Luhn check. A grouped candidate that
 * fails may have swallowed a following number ("4111 1111 1111 1111 3 times"), so trailing groups
 * are dropped one at a time while 13 digits remain.
 */
function locateCard(m: RegExpExecArray): Found | undefined {
  const before = m.input.slice(Math.max(0, m.index - 12), m.index);
  if (DEVICE_ID_LABEL.test(before) || IBAN_START.test(before)) return undefined;
  const text = m[0];
  const separator = m[1];
  let end = text.length;
  while (true) {
    const digits = countDigits(text, end);
    if (digits < 13) return undefined;
    if (digits <= 19 && passesLuhn(text, end)) return { start: 0, end, kind: 'card' };
    if (separator === undefined) return undefined;
    end = text.lastIndexOf(separator, end - 1);
    if (end < 0) return undefined;
  }
}

export const CARD_DETECTOR: Detector = {
  kinds: ['card'],
  // Grouped by one repeated separator, or a plain run; never inside a longer word, number or
  // decimal fraction. Card numbers start with 2-6, which rules out epoch-millisecond times.
  pattern: /(?<![\w.])(?:[2-6]\d{3}([ -])\d{4,6}(?:\1\d{1,6}){1,3}|[2-6]\d{12,18})(?!\w)/g,
  locate: locateCard,
};
