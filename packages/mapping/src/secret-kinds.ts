// The kinds of secret the redactor knows, and the counters it keeps per kind.
import { OtelSentinelError } from './errors/otel-sentinel-error.js';

/**
 * Every kind, in the order `createRedactor().kinds` lists them: the eleven kinds of the first
 * release first (mapping files name them in `redact:` lists), then provider token families, then
 * the generic forms.
 */
export const SECRET_KINDS = Object.freeze([
  'jwt',
  'bearer',
  'basic-auth',
  'azure-key',
  'url-credentials',
  'private-key',
  'card',
  'aws-key',
  'github-token',
  'entra-secret',
  'password-field',
  // Cloud providers.
  'aws-secret',
  'gcp-key',
  'alibaba-key',
  'digitalocean-token',
  'heroku-key',
  'flyio-token',
  'supabase-key',
  'planetscale-token',
  'databricks-token',
  'cloudflare-key',
  // Source hosting, package registries, CI and infrastructure tools.
  'gitlab-token',
  'atlassian-token',
  'npm-token',
  'pypi-token',
  'nuget-key',
  'rubygems-key',
  'docker-token',
  'vault-token',
  'doppler-token',
  'terraform-token',
  'pulumi-token',
  'postman-key',
  'artifactory-token',
  // Chat, mail and payments.
  'slack-token',
  'teams-webhook',
  'discord-token',
  'telegram-token',
  'twilio-key',
  'sendgrid-key',
  'mailgun-key',
  'mailchimp-key',
  'brevo-key',
  'stripe-key',
  'square-token',
  'braintree-token',
  'shopify-token',
  // AI services.
  'openai-key',
  'anthropic-key',
  'huggingface-token',
  'groq-key',
  'replicate-token',
  'perplexity-key',
  'xai-key',
  'langsmith-key',
  // Monitoring and SaaS.
  'datadog-key',
  'newrelic-key',
  'sentry-token',
  'grafana-token',
  'dynatrace-token',
  'linear-key',
  'notion-token',
  'figma-token',
  'contentful-token',
  // Generic forms: the key name or header says it is a secret.
  'secret-field',
  'auth-header',
] as const);

export type SecretKind = (typeof SECRET_KINDS)[number];

/**
 * Kinds that a `redact:` list brings in with another: `api_key=`, `client_secret=` and
 * `access_token=` values were `password-field` before `secret-field` existed, so a list naming
 * `password-field` still redacts them.
 */
export const IMPLIED_KINDS: Readonly<Partial<Record<SecretKind, readonly SecretKind[]>>> = {
  'password-field': ['secret-field'],
};

/** How many secrets of each kind were replaced. */
export type RedactionCounts = Record<SecretKind, number>;

export function newRedactionCounts(): RedactionCounts {
  const counts = {} as RedactionCounts;
  for (const kind of SECRET_KINDS) counts[kind] = 0;
  return counts;
}

/** A redaction setting named a kind of secret this version does not know. */
export class UnknownSecretKindError extends OtelSentinelError {
  declare readonly code: 'E_UNKNOWN_SECRET_KIND';
  readonly kind: string;
  constructor(kind: string) {
    super('E_UNKNOWN_SECRET_KIND', `unknown secret kind "${kind}"; known kinds: ${SECRET_KINDS.join(', ')}`);
    this.kind = kind;
  }
}
