// The pre-filter: text that every secret of a kind contains, joined into ONE case-sensitive regex
// that a clean string pays for once. A false hit only costs a run of the full detectors.

import type { SecretKind } from '../secret-kinds.js';

// A case-insensitive alternation costs about twice as much per character, so the fragments spell
// the usual cases out (`[Bb]earer|BEARER`), and key words are cut to what they must contain and
// the separator after them (`assword["']?\s*[:=>]`), so prose that mentions a password is no hit.
const SEPARATOR = `["']?[ \\t]*[:=>]`;

const HINTS: Readonly<Record<SecretKind, string>> = {
  jwt: 'eyJ',
  bearer: '[Bb](?:earer|EARER)[ \\t]',
  'basic-auth': '[Bb](?:asic|ASIC)[ \\t]',
  'azure-key': '[Kk]ey=|KEY=|Key"|[Ss]ignature=|SIGNATURE=|sig=|==|azurewebsites',
  'url-credentials': ':\\/\\/[^\\s\\/?#@]*:[^\\s]*@',
  'private-key': 'BEGIN |PuTTY-User-Key-File-|AGE-SECRET-KEY-',
  card: '[2-6]\\d{3}(?:[ -]\\d{4}|\\d{9})',
  'aws-key': 'A(?:3T|KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|PKA|ROA|SCA)',
  'github-token': 'gh[pousr]_|github_pat_',
  'entra-secret': '\\dQ~',
  'password-field': `(?:ass(?:word|wd|phrase)?|wd|ASS(?:WORD|WD|PHRASE)?|WD)${SEPARATOR}|--[a-z-]*(?:pass|pwd)|sshpass|mysql|mariadb|redis-cli| -p |curl `,
  'aws-secret': '(?:ecret_?[Aa]ccess_?[Kk]ey|ECRET_?ACCESS_?KEY|ws_?secret|WS_?SECRET)',
  'gcp-key': 'AIza|GOCSPX-|ya29\\.',
  'alibaba-key': 'LTAI',
  'digitalocean-token': 'do[por]_v1_',
  'heroku-key': 'HRKU-',
  'flyio-token': 'fo1_|fm[12]',
  'supabase-key': 'sbp_|sb_secret_',
  'planetscale-token': 'pscale_',
  'databricks-token': 'dapi',
  'gitlab-token': 'gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ffct|agent|ft|wt)-|GR1348941',
  'atlassian-token': 'AT(?:ATT|CTT|BB)',
  'npm-token': 'npm_',
  'pypi-token': 'pypi-AgE',
  'nuget-key': 'oy2',
  'rubygems-key': 'rubygems_',
  'docker-token': 'dckr_',
  'vault-token': 'hv[sbr]\\.',
  'doppler-token': 'dp\\.',
  'terraform-token': '\\.atlasv1\\.',
  'pulumi-token': 'pul-',
  'postman-key': 'PMAK-',
  'artifactory-token': 'AKCp|cmVmdGtu',
  'cloudflare-key': 'v1\\.0-',
  'teams-webhook': 'webhook\\.office\\.com',
  'braintree-token': 'access_token\\$',
  'slack-token': 'xox|xapp-|hooks\\.slack\\.com',
  'discord-token': '[MNO][A-Za-z0-9_-]{23,25}\\.|discord',
  'telegram-token': ':AA',
  'twilio-key': 'SK[0-9a-fA-F]|AC[0-9a-f]',
  'sendgrid-key': 'SG\\.',
  'mailgun-key': 'key-',
  'mailchimp-key': '-us\\d',
  'brevo-key': 'xkeysib-',
  'stripe-key': '[sr]k_(?:live|test|prod)_|whsec_',
  'square-token': 'EAAA|sq0(?:atp|csp)-',
  'shopify-token': 'shp(?:at|ss|ca|pa)_',
  'openai-key': 'sk-',
  'anthropic-key': 'sk-ant-',
  'huggingface-token': 'hf_|api_org_',
  'groq-key': 'gsk_',
  'replicate-token': 'r8_',
  'perplexity-key': 'pplx-',
  'xai-key': 'xai-',
  'langsmith-key': 'lsv2_',
  'datadog-key': '[Dd][Dd][_-]|atadog|ATADOG',
  'newrelic-key': 'NR(?:AK|II|JS|RA)-',
  'sentry-token': 'sntry',
  'grafana-token': 'glc_|glsa_',
  'dynatrace-token': 'dt0[a-z]',
  'linear-key': 'lin_(?:api|oauth)_',
  'notion-token': 'ntn_|secret_',
  'figma-token': 'figd_',
  'contentful-token': 'CFPAT-',
  'secret-field': `(?:ecret|ECRET|oken|OKEN|[Kk]ey|KEY|redentials?|REDENTIALS?|PAT|pat)${SEPARATOR}|--[a-z-]*(?:secret|token|key)`,
  'auth-header':
    'uthorization|UTHORIZATION|response=|Signature=|Negotiate |NTLM |-[Kk]ey|-KEY|-[Tt]oken|-TOKEN|-[Aa]pi|-API|[Aa]pi[Kk]ey|APIKEY',
};

/** The one pre-filter regex for `kinds`, or none when there is nothing to look for. */
export function hintsFor(kinds: readonly SecretKind[]): readonly RegExp[] {
  const sources = [...new Set(kinds.map((k) => HINTS[k]))];
  return sources.length > 0 ? [new RegExp(sources.join('|'))] : [];
}
