// Cloud credentials that need more than a prefix: AWS key ids (whose prefixes are also the start
// of ordinary upper-case words), AWS secret keys and Datadog keys (known only by their key name),
// Azure connection-string keys, SAS signatures and bare storage keys, and Entra client secrets.

import { afterPrefix, unlessMarker, wholeMatch } from './detector.js';
import type { Detector } from './detector.js';

const DIGIT = /[0-9]/;
/** An AWS key name or an `aws` word close before an id whose body has no digit. */
const AWS_CONTEXT = /(?:aws|access_?key|accesskeyid|key_?id)[^\n]{0,24}$/i;

/**
 * AWS key ids are 16 base-32 characters after a type prefix; random ones nearly always hold a
 * digit. An all-letter body (`ASIAPACIFICSOUTHEAST`) counts only where the text names AWS keys.
 */
function awsKeyId(token: string, m: RegExpExecArray): boolean {
  if (DIGIT.test(token.slice(4))) return true;
  return AWS_CONTEXT.test(m.input.slice(Math.max(0, m.index - 40), m.index));
}

/** Digests, checksums and integrity hashes before a bare base64 value: not a storage key. */
const DIGEST_CONTEXT =
  /(?:sha-?(?:1|224|256|384|512)|md5|digest|integrity|checksum|hash|etag|base64,)["']?\s*[=:,-]{0,2}\s*["']?$/i;

export const CLOUD_KEY_DETECTORS: readonly Detector[] = [
  {
    // gitleaks aws-access-token; AWS IAM docs "Unique identifier prefixes" (AKIA, ASIA, ABIA, ACCA,
    // AGPA, AIDA, AIPA, ANPA, ANVA, APKA, AROA, ASCA; A3T from the same rule).
    kinds: ['aws-key'],
    pattern:
      /(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    locate: (m) => (awsKeyId(m[0], m) ? { start: 0, end: m[0].length, kind: 'aws-key' } : undefined),
  },
  // AWS secret access keys: 40 base64 characters, known by the key name in front (AWS CLI
  // credentials file, environment, SDK JSON such as STS responses).
  afterPrefix(
    'aws-secret',
    new RegExp(
      `((?:(?:aws_?)?secret_?access_?key|aws_?secret(?:_?key)?)["']?(?:\\s*[:=]\\s*|[ \\t]+)["']?)${unlessMarker('[A-Za-z0-9/+]')}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'gi',
    ),
  ),
  // Datadog API (32 hex) and application (40 hex) keys by their variable or header name
  // (gitleaks datadog-access-token keys on the word "datadog" the same way).
  afterPrefix(
    'datadog-key',
    /((?:dd|datadog)[_-](?:api|app|application)[_-]?key["']?\s*[:=]\s*["']?)([a-f0-9]{32}(?:[a-f0-9]{8})?)(?![A-Za-z0-9])/gi,
  ),
  // Twilio account SID and auth token written together (`AC…:token`, as curl -u takes them); the
  // SID itself is a provider token and may already be a marker.
  afterPrefix(
    'twilio-key',
    /(?<![A-Za-z0-9])((?:AC[0-9a-f]{32}|\[REDACTED:twilio-key\]):)([0-9a-f]{32})(?![A-Za-z0-9])/g,
  ),
  // Entra (Azure AD) client secrets: Microsoft's credential format (3 characters, a digit, `Q~`,
  // then 31 to 34 more). A final "." followed by no token character ends a sentence.
  wholeMatch(
    'entra-secret',
    /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~-]|\.[A-Za-z0-9_~.-])/g,
  ),
  // Azure connection strings: Storage, Cosmos DB, Service Bus, Event Hubs, SignalR, Relay
  // (Microsoft docs "Configure Azure Storage connection strings", "… SAS authentication").
  afterPrefix(
    'azure-key',
    new RegExp(
      `(?<![A-Za-z0-9])((?:AccountKey|SharedAccessKey|SharedAccessSignature|AccessKey)=)${unlessMarker(`[^;\\s"']`)}([^;\\s"']+)`,
      'gi',
    ),
  ),
  // Keys as the Azure CLI and ARM print them (`az servicebus namespace authorization-rule keys
  // list`, Cosmos DB `listKeys`): `"primaryKey": "…"`, `"secondaryMasterKey": "…"`.
  afterPrefix(
    'azure-key',
    /("(?:primary|secondary)(?:Readonly)?(?:Master)?Key"\s*:\s*")([A-Za-z0-9+/]{40,90}={0,2})(?=")/g,
  ),
  // Azure Functions keys in the `code` query parameter (Microsoft docs "Azure Functions HTTP
  // trigger", authorization keys).
  afterPrefix(
    'azure-key',
    /(\.azurewebsites\.net\/[^\s"'?#]*\?(?:[^\s"'#]*?&)?code=)([A-Za-z0-9_%-]{20,}={0,2})/g,
  ),
  // SAS signatures are base64 HMACs, 40+ characters; the length keeps `?sig=1` out.
  afterPrefix('azure-key', /([?&;]sig=)([A-Za-z0-9%+/=_-]{16,})/g),
  // A bare 64-byte key (Storage, Cosmos DB): 86 base64 characters and `==`. Not after a `-`
  // (`sha512-…==` integrity), nor after a digest or data-URL label (`sha-512=`, `base64,`).
  {
    kinds: ['azure-key'],
    pattern: /(?<![A-Za-z0-9+/-])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g,
    locate: (m) =>
      DIGEST_CONTEXT.test(m.input.slice(Math.max(0, m.index - 24), m.index))
        ? undefined
        : { start: 0, end: m[0].length, kind: 'azure-key' },
  },
];
