// Secrets inside URLs: the password of `scheme://user:password@host`, whatever characters it
// holds, and webhook URLs whose path is the credential (Slack, Discord).

import { afterPrefix, unlessMarker } from './detector.js';
import type { Detector } from './detector.js';

/** A host (name, IPv4 or bracketed IPv6), an optional port, then the end of the authority. */
const HOST_AFTER_AT = `@(?:[A-Za-z0-9_.~%-]+|\\[[0-9A-Fa-f:.]+\\])(?::\\d+)?(?=[\\/?#\\s"'<>,;)\\]}]|$)`;
/** `https://host:8443/path?email=a@b.example`: a port and a path, not a password. */
const PORT_THEN_PATH = /^\d{1,5}\//;
/**
 * An `@` before a host that can only be one: a dotted name, `localhost`, a name with a port, or a
 * bracketed IPv6 address, then the end of the authority. Sticky, run at an `@` inside a candidate.
 */
const PLAIN_HOST_AT =
  /@(?:[A-Za-z0-9_~%-]+(?:\.[A-Za-z0-9_~%-]+)+|localhost|\[[0-9A-Fa-f:.]+\])(?::\d+)?(?=[/?#\s"'<>,;)\]}]|$)|@[A-Za-z0-9_.~%-]+:\d+(?=[/?#\s"'<>,;)\]}]|$)/y;

/**
 * RFC 3986 userinfo. Passwords hold unencoded `@`, `/`, `#`, `?` in practice. The candidate runs
 * to the last `@` that a host and the end of the authority follow (`p@ss/w0rd#x@db:5432`); the
 * password ends at the first `@` inside it that only a host can follow, so an address in the query
 * (`pw@api.example.com/v1?notify=ops@example.com`) is not taken for part of the password, and at
 * the last one when no host is that plain (`postgres://u:p@ss@db/app`, a Compose service name).
 */
const URL_CREDENTIALS: Detector = {
  kinds: ['url-credentials'],
  pattern: new RegExp(
    `([A-Za-z][A-Za-z0-9+.-]*:\\/\\/[^\\s:\\/?#@\\[\\]"'<>]*:)${unlessMarker('[^@]')}([^\\s"'<>]+)(?=${HOST_AFTER_AT})`,
    'g',
  ),
  locate: (m) => {
    const start = (m[1] ?? '').length;
    const candidate = m[2] ?? '';
    let end = candidate.length;
    for (let at = candidate.indexOf('@'); at >= 0; at = candidate.indexOf('@', at + 1)) {
      PLAIN_HOST_AT.lastIndex = m.index + start + at;
      if (PLAIN_HOST_AT.test(m.input)) {
        end = at;
        break;
      }
    }
    const secret = candidate.slice(0, end);
    if (secret === '' || PORT_THEN_PATH.test(secret)) return undefined;
    return { start, end: start + end, kind: 'url-credentials' };
  },
};

export const URL_SECRET_DETECTORS: readonly Detector[] = [
  // gitleaks slack-webhook-url.
  afterPrefix('slack-token', /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)([A-Za-z0-9_/+-]{20,})/g),
  // Discord developer docs, "Execute Webhook": /api/webhooks/{id}/{token}.
  afterPrefix('discord-token', /(discord(?:app)?\.com\/api\/webhooks\/)(\d+\/[A-Za-z0-9_-]{60,68})/g),
  // Microsoft Teams incoming webhooks (Microsoft docs "Create an Incoming Webhook").
  afterPrefix(
    'teams-webhook',
    /(\.webhook\.office\.com\/webhookb2\/[^\s"'/]+\/IncomingWebhook\/)([A-Za-z0-9]{32}\/[A-Za-z0-9-]{36}(?:\/[A-Za-z0-9_-]+)*)/g,
  ),
  URL_CREDENTIALS,
];
