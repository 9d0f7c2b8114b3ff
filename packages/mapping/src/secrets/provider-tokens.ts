// Provider tokens that announce themselves by a fixed prefix (`xoxb-`, `sk_live_`, `glpat-`): one
// table, compiled into ONE regex so a string with a hint pays for one scan, not one per provider.
// Each rule names its source: the gitleaks rule id (gitleaks' default config, MIT) or the
// provider's own documentation of its token format. Formats are facts; no code is copied.

import type { SecretKind } from '../secret-kinds.js';
import { hasTokenChecksum } from './checksums.js';
import { hasDigitAndLetter, hasMixedCase } from './detector.js';
import type { Detector } from './detector.js';

interface TokenRule {
  readonly kind: SecretKind;
  /** The token, without boundaries and without capture groups. */
  readonly source: string;
  /** A closer look at the matched token; a rule without one trusts its prefix. */
  readonly accept?: (token: string) => boolean;
  /** Overrides the default left boundary (no token character before). */
  readonly left?: string;
}

/** Upheld by GitHub's and npm's checksum, or else by looking random. */
function checksumOrRandom(token: string): boolean {
  return hasTokenChecksum(token) || hasDigitAndLetter(token.slice(4));
}

/**
 * A Discord bot token's first part is the bot's numeric user id, base64-encoded; scanners' samples
 * are often random, so a token that looks random (digits, both cases) counts too.
 */
function discordToken(token: string): boolean {
  const first = token.slice(0, token.indexOf('.'));
  const id = Buffer.from(first, 'base64url').toString('latin1');
  return /^\d{17,20}$/.test(id) || (hasDigitAndLetter(token) && hasMixedCase(token));
}

// Order matters where prefixes overlap: `sk-ant-` before `sk-`, `xoxe.xoxp-` before `xoxe-`.
export const TOKEN_RULES: readonly TokenRule[] = [
  // GitHub: gitleaks github-pat, github-oauth, github-app-token, github-refresh-token,
  // github-fine-grained-pat; GitHub docs "About authentication to GitHub" (token prefixes).
  { kind: 'github-token', source: 'gh[pousr]_[A-Za-z0-9]{36,251}', accept: checksumOrRandom },
  { kind: 'github-token', source: 'github_pat_[A-Za-z0-9_]{22,255}' },
  // GitLab: gitleaks gitlab-pat, gitlab-deploy-token, gitlab-runner-authentication-token,
  // gitlab-ptt, gitlab-cicd-job-token, gitlab-rrt (…); GitLab docs "Token prefixes".
  {
    kind: 'gitlab-token',
    source: 'gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ffct|agent|ft|wt)-[A-Za-z0-9_.-]{20,}',
    accept: hasDigitAndLetter,
  },
  { kind: 'gitlab-token', source: 'GR1348941[A-Za-z0-9_-]{20,}' },
  // Slack: gitleaks slack-bot-token, slack-user-token, slack-app-token, slack-config-access-token,
  // slack-legacy-token; Slack docs "Token types".
  { kind: 'slack-token', source: 'xoxe\\.xox[bp]-\\d-[A-Za-z0-9]{100,}' },
  { kind: 'slack-token', source: 'xox[abeoprs]-[0-9A-Za-z-]{10,250}', accept: hasDigitAndLetter },
  { kind: 'slack-token', source: 'xapp-\\d-[A-Za-z0-9-]{10,}' },
  // Stripe: gitleaks stripe-access-token; Stripe docs "API keys" and webhook signing secrets.
  { kind: 'stripe-key', source: '(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,255}' },
  { kind: 'stripe-key', source: 'whsec_[A-Za-z0-9+/=]{24,}' },
  // Anthropic: gitleaks anthropic-api-key, anthropic-admin-api-key. Before OpenAI's `sk-`.
  { kind: 'anthropic-key', source: 'sk-ant-(?:api|admin|oat|sid)\\d{2}-[A-Za-z0-9_-]{20,}' },
  // OpenAI: gitleaks openai-api-key (user, project, service-account and admin keys). Newer keys
  // do not all carry the T3BlbkFJ marker, so the shape and a random look decide.
  {
    kind: 'openai-key',
    source: 'sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{20,}',
    accept: (t) => hasDigitAndLetter(t.slice(3)) && hasMixedCase(t.slice(3)),
  },
  // Google: gitleaks gcp-api-key; GitHub secret scanning's google_oauth_client_secret and
  // google_oauth_access_token patterns.
  { kind: 'gcp-key', source: 'AIza[0-9A-Za-z_-]{35}' },
  { kind: 'gcp-key', source: 'GOCSPX-[A-Za-z0-9_-]{28}' },
  { kind: 'gcp-key', source: 'ya29\\.[0-9A-Za-z_-]{20,}' },
  // npm: gitleaks npm-access-token; npm's 2021 token format (with GitHub's checksum).
  { kind: 'npm-token', source: 'npm_[A-Za-z0-9]{36}', accept: checksumOrRandom },
  // PyPI: gitleaks pypi-upload-token (macaroons start with the base64 of their version byte).
  { kind: 'pypi-token', source: 'pypi-AgE[A-Za-z0-9_-]{50,}' },
  // NuGet: GitHub secret scanning's nuget_api_key.
  { kind: 'nuget-key', source: 'oy2[a-z0-9]{43}', accept: hasDigitAndLetter },
  // RubyGems: gitleaks rubygems-api-token.
  { kind: 'rubygems-key', source: 'rubygems_[a-f0-9]{48}' },
  // Docker Hub: Docker docs "Personal access tokens" (dckr_pat_), organisation tokens (dckr_oat_).
  { kind: 'docker-token', source: 'dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,}' },
  // SendGrid: gitleaks sendgrid-api-token.
  { kind: 'sendgrid-key', source: 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}' },
  // Twilio: gitleaks twilio-api-key (API key SIDs); account SID with auth token: see key-value.
  { kind: 'twilio-key', source: 'SK[0-9a-fA-F]{32}', accept: hasDigitAndLetter },
  // Twilio account SIDs: an identifier rather than a credential, but half of every Twilio login
  // and listed by scanners (GitHub secret scanning's twilio_account_sid).
  { kind: 'twilio-key', source: 'AC[0-9a-f]{32}', accept: hasDigitAndLetter },
  // Mailgun: gitleaks mailgun-private-api-token.
  { kind: 'mailgun-key', source: 'key-[0-9a-f]{32}', accept: hasDigitAndLetter },
  // Mailchimp: gitleaks mailchimp-api-key (32 hex digits and the data centre).
  { kind: 'mailchimp-key', source: '[0-9a-f]{32}-us\\d{1,2}', accept: hasDigitAndLetter },
  // Brevo (Sendinblue): gitleaks sendinblue-api-token.
  { kind: 'brevo-key', source: 'xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}' },
  // Shopify: gitleaks shopify-access-token, shopify-custom-access-token, shopify-private-app-access-token, shopify-shared-secret.
  { kind: 'shopify-token', source: 'shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}' },
  // Square: gitleaks square-access-token, square-secret.
  { kind: 'square-token', source: '(?:EAAA|sq0atp-)[A-Za-z0-9_-]{22,60}', accept: hasDigitAndLetter },
  { kind: 'square-token', source: 'sq0csp-[A-Za-z0-9_-]{43}' },
  // Discord: GitHub secret scanning's discord_bot_token; detect-secrets' DiscordBotTokenDetector.
  {
    kind: 'discord-token',
    source: '[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}',
    accept: discordToken,
  },
  // Telegram: gitleaks telegram-bot-api-token (bot id, colon, `AA` and 33 more); follows `bot` in
  // API URLs, so only a digit may not come before it.
  { kind: 'telegram-token', source: '\\d{8,10}:AA[A-Za-z0-9_-]{33}', left: '(?<![0-9])' },
  // Heroku: gitleaks heroku-api-key-v2.
  { kind: 'heroku-key', source: 'HRKU-AA[0-9A-Za-z_-]{58}' },
  // DigitalOcean: gitleaks digitalocean-pat, digitalocean-access-token, digitalocean-refresh-token.
  { kind: 'digitalocean-token', source: 'do[por]_v1_[a-f0-9]{64}' },
  // Hugging Face: gitleaks huggingface-access-token, huggingface-organization-api-token.
  {
    kind: 'huggingface-token',
    source: '(?:hf_|api_org_)[A-Za-z]{34}',
    accept: (t) => hasMixedCase(t.slice(3)),
  },
  // Atlassian: gitleaks atlassian-api-token; Bitbucket app passwords (ATBB).
  { kind: 'atlassian-token', source: 'AT(?:ATT|CTT)3[A-Za-z0-9_=-]{100,}' },
  { kind: 'atlassian-token', source: 'ATBB[A-Za-z0-9]{32}', accept: hasDigitAndLetter },
  // Postman: gitleaks postman-api-token.
  { kind: 'postman-key', source: 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}' },
  // Doppler: gitleaks doppler-api-token; Doppler docs "Token formats".
  { kind: 'doppler-token', source: 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}' },
  // HashiCorp Vault: gitleaks vault-service-token, vault-batch-token (and recovery tokens).
  { kind: 'vault-token', source: 'hv[sbr]\\.[A-Za-z0-9_-]{24,}', accept: hasDigitAndLetter },
  // Terraform Cloud: gitleaks hashicorp-tf-api-token.
  { kind: 'terraform-token', source: '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}' },
  // Pulumi: gitleaks pulumi-api-token.
  { kind: 'pulumi-token', source: 'pul-[a-f0-9]{40}' },
  // Linear: gitleaks linear-api-key; Linear OAuth tokens.
  { kind: 'linear-key', source: 'lin_api_[A-Za-z0-9]{40}' },
  { kind: 'linear-key', source: 'lin_oauth_[a-f0-9]{64}' },
  // Notion: gitleaks notion-api-token (ntn_) and the older internal-integration `secret_` form.
  { kind: 'notion-token', source: 'ntn_\\d{11}[A-Za-z0-9]{35}' },
  { kind: 'notion-token', source: 'secret_[A-Za-z0-9]{43}', accept: hasDigitAndLetter },
  // Alibaba Cloud: gitleaks alibaba-access-key-id.
  { kind: 'alibaba-key', source: 'LTAI[A-Za-z0-9]{20}', accept: hasDigitAndLetter },
  // Fly.io: gitleaks flyio-access-token.
  { kind: 'flyio-token', source: 'fo1_[A-Za-z0-9_-]{43}' },
  { kind: 'flyio-token', source: 'fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}' },
  // Supabase: Supabase docs (management access tokens `sbp_`, secret API keys `sb_secret_`).
  { kind: 'supabase-key', source: 'sbp_[a-f0-9]{40}' },
  { kind: 'supabase-key', source: 'sb_secret_[A-Za-z0-9_-]{20,}' },
  // PlanetScale: gitleaks planetscale-api-token, planetscale-password, planetscale-oauth-token.
  { kind: 'planetscale-token', source: 'pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.=-]{32,64}' },
  // Databricks: gitleaks databricks-api-token.
  { kind: 'databricks-token', source: 'dapi[a-f0-9]{32}(?:-\\d)?', accept: hasDigitAndLetter },
  // Groq, Replicate, Perplexity, xAI, LangSmith: each provider's API key documentation
  // (gitleaks perplexity-api-key for Perplexity).
  { kind: 'groq-key', source: 'gsk_[A-Za-z0-9]{52}' },
  { kind: 'replicate-token', source: 'r8_[A-Za-z0-9]{37}' },
  { kind: 'perplexity-key', source: 'pplx-[A-Za-z0-9]{48}' },
  { kind: 'xai-key', source: 'xai-[A-Za-z0-9]{80}' },
  { kind: 'langsmith-key', source: 'lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}' },
  // New Relic: gitleaks new-relic-user-api-key, new-relic-insert-key, new-relic-browser-api-token.
  { kind: 'newrelic-key', source: 'NR(?:AK|II|JS|RA)-[A-Za-z0-9]{19,32}', accept: hasDigitAndLetter },
  // Sentry: gitleaks sentry-org-token, sentry-user-token.
  { kind: 'sentry-token', source: 'sntr(?:ys|yu)_[A-Za-z0-9+/=_-]{30,}' },
  // Grafana: gitleaks grafana-cloud-api-token, grafana-service-account-token.
  { kind: 'grafana-token', source: 'glc_[A-Za-z0-9+/]{32,400}={0,2}' },
  { kind: 'grafana-token', source: 'glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}' },
  // Dynatrace: gitleaks dynatrace-api-token.
  { kind: 'dynatrace-token', source: 'dt0[a-z]\\d{2}\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}' },
  // Braintree: GitHub secret scanning's braintree_access_token.
  {
    kind: 'braintree-token',
    source: 'access_token\\$(?:production|sandbox)\\$[a-z0-9]{16}\\$[a-f0-9]{32}',
  },
  // JFrog Artifactory: gitleaks artifactory-api-key and artifactory-reference-token.
  { kind: 'artifactory-token', source: 'AKCp[A-Za-z0-9]{69}' },
  { kind: 'artifactory-token', source: 'cmVmdGtu[A-Za-z0-9]{56}' },
  // Cloudflare: gitleaks cloudflare-origin-ca-key.
  { kind: 'cloudflare-key', source: 'v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}' },
  // Figma: GitHub secret scanning's figma_pat. Contentful: gitleaks contentful-delivery-api-token
  // and Contentful's CFPAT- management tokens.
  { kind: 'figma-token', source: 'figd_[A-Za-z0-9_-]{40}' },
  { kind: 'contentful-token', source: 'CFPAT-[A-Za-z0-9_-]{43}' },
];

const TOKEN_CHAR = 'A-Za-z0-9_-';

function compile(rules: readonly TokenRule[]): RegExp {
  const parts = rules.map((r) => {
    if (new RegExp(`(?:${r.source})|`).exec('')?.length !== 1) {
      throw new Error(`token rule for ${r.kind} must not capture: ${r.source}`);
    }
    return `${r.left ?? `(?<![${TOKEN_CHAR}])`}(${r.source})(?![${TOKEN_CHAR}])`;
  });
  return new RegExp(parts.join('|'), 'g');
}

/** One detector for every rule in the table; the capture group that matched names the rule. */
export const PROVIDER_TOKENS: Detector = {
  kinds: [...new Set(TOKEN_RULES.map((r) => r.kind))],
  pattern: compile(TOKEN_RULES),
  locate: (m) => {
    for (let i = 1; i < m.length; i++) {
      const token = m[i];
      if (token === undefined) continue;
      const rule = TOKEN_RULES[i - 1];
      if (rule === undefined || (rule.accept !== undefined && !rule.accept(token))) return undefined;
      const start = m[0].length - token.length;
      return { start, end: start + token.length, kind: rule.kind };
    }
    return undefined;
  },
};
