// Secrets inside URLs: the password of `scheme://user:password@host`, whatever characters it
// holds, and webhook URLs whose path is the credential (Slack, Discord).

import { afterPrefix, unlessMarker } from './detector.js';
import type { Detector } from './detector.js';

/** A host (name, IPv4 or bracketed IPv6), an optional port, then the end of the authority. */
const HOST_AFTER_AT = `@(?:[A-Za-z0-9_.~%-]+|\\[[0-9A-Fa-f:.]+\\])(?::\\d+)?(?=[\\/?#\\s"'<>,;)\\]}]|$)`;
/** `https://host:8443/path?email=a@b.example`: a port and a path, not a password. */
const PORT_THEN_PATH = /^\d{1,5}\//;

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
  // RFC 3986 userinfo. Passwords hold unencoded `@`, `/`, `#`, `?` in practice, so the password
  // runs to the first `@` that a host and the end of the authority follow.
  afterPrefix(
    'url-credentials',
    new RegExp(
      `([A-Za-z][A-Za-z0-9+.-]*:\\/\\/[^\\s:\\/?#@\\[\\]"'<>]*:)${unlessMarker('[^@]')}([^\\s"'<>]+?)(?=${HOST_AFTER_AT})`,
      'g',
    ),
    (secret) => !PORT_THEN_PATH.test(secret),
  ),
];
