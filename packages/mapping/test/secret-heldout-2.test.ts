// A second held-out check of redaction, written apart from the corpus and the detectors by someone
// who had read neither: 103 provider tokens, cloud keys, connection strings, passwords, private keys
// and cards in logs, headers, command lines and config, and 51 look-alikes. It found three misses
// when written (a URL password with `@`, `/` and `#` in it, an IBAN taken for a card, and
// `token_type=bearer expires_in=…` taken for a bearer token). Every secret must lose every
// 8-character piece and leave a `[REDACTED:…]` marker; every look-alike must come back unchanged.
// All values are made up in the providers' documented formats; none is a live credential.
import { describe, expect, it } from 'vitest';

import { createRedactor } from '../src/index.js';
import { MARKER, survivingFragment } from './support/secret-corpus.js';

const SECRETS: readonly (readonly [name: string, text: string, secret: string])[] = [
  // GitHub classic personal access token: ghp_ + 36 alphanumerics (GitHub docs, 'About authentication to GitHub', token prefixes)
  [
    'github-classic-pat-in-git-clone',
    '$ git clone https://ghp_9jYg7SjjPvttfbfMLZuPjII4OoaQmzBinnpy@github.com/acme/billing-api.git',
    'ghp_9jYg7SjjPvttfbfMLZuPjII4OoaQmzBinnpy',
  ],
  // GitHub OAuth app access token: gho_ + 36 (GitHub token prefixes)
  [
    'github-oauth-token-header',
    'GET /user HTTP/1.1\r\nHost: api.github.com\r\nAuthorization: token gho_3MPNZEPFqzi0OZUrNsPqPdQ1Og7YN8gKkgbo\r\nAccept: application/vnd.github+json',
    'gho_3MPNZEPFqzi0OZUrNsPqPdQ1Og7YN8gKkgbo',
  ],
  // GitHub App installation token: ghs_ + 36 (GitHub token prefixes)
  [
    'github-app-installation-token-ci-env',
    '##[debug]env GITHUB_TOKEN=ghs_xhQGTa3VyR208OzQek3f3W20GSQYFQPPlauF RUNNER_OS=Linux',
    'ghs_xhQGTa3VyR208OzQek3f3W20GSQYFQPPlauF',
  ],
  // GitHub App user-to-server token: ghu_ + 36 (GitHub token prefixes)
  [
    'github-user-to-server-json',
    '{"installationId":48213,"userAccessToken":"ghu_uy31Njf72dLqLJ3pKO5RvZYXfjY81tQeUzsY","expiresIn":28800}',
    'ghu_uy31Njf72dLqLJ3pKO5RvZYXfjY81tQeUzsY',
  ],
  // GitHub App refresh token: ghr_ + 36 (GitHub token prefixes)
  [
    'github-refresh-token-form-body',
    'POST /login/oauth/access_token body: client_id=Iv1.8a61f9b3a7aba766&grant_type=refresh_token&refresh_token=ghr_iiN1yhEcDNSl2u3JJjVcPPljSIdTPziMkn8J',
    'ghr_iiN1yhEcDNSl2u3JJjVcPPljSIdTPziMkn8J',
  ],
  // GitHub fine-grained PAT: github_pat_ + 22 + _ + 59 (GitHub docs, fine-grained personal access tokens)
  [
    'github-fine-grained-pat-start-of-line',
    '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 was rejected by api.github.com: 401 Bad credentials',
    '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',
  ],
  // GitLab personal access token: glpat- + 20 (GitLab docs, 'Token prefixes')
  [
    'gitlab-pat-in-git-config',
    '[remote "origin"]\n\turl = https://oauth2:glpat-XhgjtOmj4n0iX0R7M_nn@gitlab.example.com/platform/infra.git',
    'glpat-XhgjtOmj4n0iX0R7M_nn',
  ],
  // GitLab PAT in the PRIVATE-TOKEN header (GitLab REST API authentication docs)
  [
    'gitlab-pat-private-token-header',
    'curl --header "PRIVATE-TOKEN: glpat-oTNjUVurMg3P8m9FYe6i" "https://gitlab.example.com/api/v4/projects?owned=true"',
    'glpat-oTNjUVurMg3P8m9FYe6i',
  ],
  // GitLab deploy token: gldt- prefix (GitLab docs, 'Token prefixes', deploy tokens)
  [
    'gitlab-deploy-token-docker-login',
    'docker login registry.gitlab.com -u gitlab+deploy-token-4211 -p gldt-bbzCpOFP5c63IUGE2BGe',
    'gldt-bbzCpOFP5c63IUGE2BGe',
  ],
  // GitLab runner authentication token: glrt- prefix (GitLab docs, runner authentication tokens)
  [
    'gitlab-runner-token-config-toml',
    '[[runners]]\n  name = "k8s-runner"\n  url = "https://gitlab.example.com"\n  token = "glrt-92Q0Sn1fXkmDffvWOHlw"\n  executor = "kubernetes"',
    'glrt-92Q0Sn1fXkmDffvWOHlw',
  ],
  // GitLab runner registration token: GR1348941 prefix (GitLab docs, 'Token prefixes')
  [
    'gitlab-runner-registration-token-cli',
    'gitlab-runner register --non-interactive --url https://gitlab.example.com --registration-token GR1348941l3aDrOopDBcb_fEB9ezY --executor docker',
    'GR1348941l3aDrOopDBcb_fEB9ezY',
  ],
  // Slack bot token: xoxb-<team>-<bot>-<24 chars> (Slack API docs, 'Token types')
  [
    'slack-bot-token-yaml',
    "slack:\n  SLACK_BOT_TOKEN: xoxb-55661199114-6596720950279-SDUlPZVMZHc37H4NBZter7RM\n  channel: '#alerts'",
    'xoxb-55661199114-6596720950279-SDUlPZVMZHc37H4NBZter7RM',
  ],
  // Slack user token: xoxp-<n>-<n>-<n>-<32 hex> (Slack API docs, 'Token types')
  [
    'slack-user-token-in-query',
    'GET https://slack.com/api/users.list?token=xoxp-765171521906-91179101779-3800609125649-641f4c4c3ac10ce499beaafc65979b62&limit=200 -> 200',
    'xoxp-765171521906-91179101779-3800609125649-641f4c4c3ac10ce499beaafc65979b62',
  ],
  // Slack app-level token: xapp-1-<app id>-<n>-<64 hex> (Slack API docs, app-level tokens)
  [
    'slack-app-token-json',
    '{"socketMode":true,"appToken": "xapp-1-A0FPVSOFLKY-6166723603939-7f7cd525c949b4c8f6a82c822b3d6e01be3a7858017545c62f3d5c10acc50bd9"}',
    'xapp-1-A0FPVSOFLKY-6166723603939-7f7cd525c949b4c8f6a82c822b3d6e01be3a7858017545c62f3d5c10acc50bd9',
  ],
  // Slack incoming webhook: https://hooks.slack.com/services/T.../B.../<24 chars> (Slack docs, 'Sending messages using incoming webhooks')
  [
    'slack-webhook-url',
    'POST https://hooks.slack.com/services/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 status=200 body=ok',
    'BJia5mLgUUKsWPixVVMTNATk',
  ],
  // Stripe live secret key: sk_live_ + base62 (Stripe docs, 'API keys')
  [
    'stripe-secret-key-curl-basic',
    'curl https://api.stripe.com/v1/charges -u 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: -d amount=2000 -d currency=eur',
    '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',
  ],
  // Stripe restricted key: rk_live_ + base62 (Stripe docs, 'Restricted API keys')
  [
    'stripe-restricted-key-dotenv',
    'STRIPE_RESTRICTED_KEY = 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',
    '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',
  ],
  // Stripe webhook signing secret: whsec_ + 32 (Stripe docs, 'Check the webhook signatures')
  [
    'stripe-webhook-secret-cli-output',
    '> Ready! You are using Stripe API Version [2024-06-20]. Your webhook signing secret is whsec_AYuftO9HNmI6IQdDgXlo3LRKfvkMLmnc (^C to quit)',
    'whsec_AYuftO9HNmI6IQdDgXlo3LRKfvkMLmnc',
  ],
  // OpenAI project API key: sk-proj- + base64url with T3BlbkFJ marker (OpenAI platform docs, API keys)
  [
    'openai-project-key-config-dump',
    "Config { model: 'gpt-4o-mini', apiKey: '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', timeout: 60000 }",
    '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',
  ],
  // Anthropic API key: sk-ant-api03- + 93 base64url + AA (Anthropic API docs, x-api-key)
  [
    'anthropic-key-x-api-key-header',
    '> POST /v1/messages HTTP/1.1\n> x-api-key: sk-ant-api03-D9nzAWNn0NzpRbMcr81SNGU4fEhFNJhs-Q0wkpw5VWfQhpbB4AvL7aKUPTe1AxK4pW2lhn6HvRI15z7PT_a4c2Ss7cHKXAA\n> anthropic-version: 2023-06-01',
    'sk-ant-api03-D9nzAWNn0NzpRbMcr81SNGU4fEhFNJhs-Q0wkpw5VWfQhpbB4AvL7aKUPTe1AxK4pW2lhn6HvRI15z7PT_a4c2Ss7cHKXAA',
  ],
  // Hugging Face user access token: hf_ + 34 letters (Hugging Face Hub docs, 'User access tokens')
  [
    'huggingface-token-cli',
    'huggingface-cli login --token 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 --add-to-git-credential',
    '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',
  ],
  // Google API key: AIza + 35 base64url (Google Cloud docs, 'Manage API keys')
  [
    'google-api-key-in-url',
    'GET https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=AIzaNRBX1TbBIWpBH1EFaW1CXLJJxaqYtSoqLuu 200 83ms',
    'AIzaNRBX1TbBIWpBH1EFaW1CXLJJxaqYtSoqLuu',
  ],
  // Google OAuth client secret: GOCSPX- + 28 (Google Identity docs, client_secret.json)
  [
    'google-oauth-client-secret-json',
    '{"web":{"client_id":"280773635320-rek7oundbtruml7wqmo575wctd0uwkij.apps.googleusercontent.com","client_secret":"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","redirect_uris":["https://app.example.com/oauth2/cb"]}}',
    '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',
  ],
  // Google OAuth 2.0 access token: ya29. prefix (Google Identity docs, OAuth 2.0 access tokens)
  [
    'google-access-token-refresh-log',
    'oauth2client: token refreshed access=ya29.a0GYvHod1SNOsaf0L8qwmOif2u_rtmUzsPS9NucsM8ayv64tZzKBKklaAlS8tLpLU_WSMZgLzt6wKWMbeMVx1yLB3JOQbFkSubxPxKrUbsiKKhJiD_1gxCaftTrdH5tV-mI7oFoK2KG3Pr0j9sfaZ2zFF62L0XCD-jrFnT1GI3wGs8XC7WMpIi expires_in=3599',
    'ya29.a0GYvHod1SNOsaf0L8qwmOif2u_rtmUzsPS9NucsM8ayv64tZzKBKklaAlS8tLpLU_WSMZgLzt6wKWMbeMVx1yLB3JOQbFkSubxPxKrUbsiKKhJiD_1gxCaftTrdH5tV-mI7oFoK2KG3Pr0j9sfaZ2zFF62L0XCD-jrFnT1GI3wGs8XC7WMpIi',
  ],
  // AWS secret access key: 40 base64 chars in ~/.aws/credentials (AWS CLI docs, 'Configuration and credential file settings')
  [
    'aws-secret-key-credentials-file',
    '[default]\naws_access_key_id = AKIAVZJPJUUVU7XLM637\naws_secret_access_key = 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\nregion = eu-west-1',
    'nKnQsva9gshRHw++pE7QpHF/DvCHQ/foOPiWTgzi',
  ],
  // AWS access key id: AKIA + 16 upper-case base32 (AWS IAM docs, 'Manage access keys')
  [
    'aws-access-key-id-configure-cli',
    'aws configure set aws_access_key_id AKIABR6QYZ4MWFOI552H --profile ci',
    'AKIABR6QYZ4MWFOI552H',
  ],
  // AWS temporary access key id: ASIA + 16 (AWS STS docs, temporary credentials)
  [
    'aws-temporary-key-id-env',
    'env: AWS_ACCESS_KEY_ID=ASIAM2BYBS4IP4VPJHOY AWS_REGION=us-east-1 AWS_SDK_LOAD_CONFIG=1',
    'ASIAM2BYBS4IP4VPJHOY',
  ],
  // AWS secret access key in an STS AssumeRole JSON response (AWS STS API reference, Credentials)
  [
    'aws-secret-key-sts-json',
    '{"Credentials":{"AccessKeyId":"ASIA24V7KCMHBGXAQCRY","SecretAccessKey":"+0/6dxjPn/OMmOZ8h/3n04HzgvvDoah0RNfZZOiB","Expiration":"2026-12-07T15:00:00Z"}}',
    '+0/6dxjPn/OMmOZ8h/3n04HzgvvDoah0RNfZZOiB',
  ],
  // AWS secret access key in an env export (AWS CLI docs, environment variables)
  [
    'aws-secret-key-env-export',
    'export AWS_SECRET_ACCESS_KEY="VouhBAimtYrarg4VtfbXOq9QipTy6zE2ZO3uVJyt"',
    'VouhBAimtYrarg4VtfbXOq9QipTy6zE2ZO3uVJyt',
  ],
  // AWS secret key under a Spring kebab-case property (Spring Cloud AWS docs, credentials)
  [
    'aws-secret-key-spring-property',
    'spring.cloud.aws.credentials.secret-key=y2Hh6RuPsIpNSbhBK2XRuVrtYmXVkjJ/gVz9W1HH',
    'y2Hh6RuPsIpNSbhBK2XRuVrtYmXVkjJ/gVz9W1HH',
  ],
  // Azure Storage connection string: AccountKey = 88-char base64 ending == (Azure Storage docs, 'Configure a connection string')
  [
    'azure-storage-connection-string',
    'DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=3PNFVbJdjSAsElxYexwVSLDFSaq+oDzDE4M4fH0FyU0pAuTFEj2h8IAX/ZqJNL4BCZCPacDkqJHk1AehCk2i0A==;EndpointSuffix=core.windows.net',
    '3PNFVbJdjSAsElxYexwVSLDFSaq+oDzDE4M4fH0FyU0pAuTFEj2h8IAX/ZqJNL4BCZCPacDkqJHk1AehCk2i0A==',
  ],
  // Azure SAS token: sig= URL-encoded HMAC in a blob URL (Azure Storage docs, 'Create SAS tokens')
  [
    'azure-sas-sig-in-blob-url',
    'GET https://acmelogs.blob.core.windows.net/exports/2024-11.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-31T23:59:59Z&spr=https&sig=FgZi25jcz%2FEgE4GXNWjvxw6Lk3C%2F3SrZODJT%2BW33Vdo%3D 403',
    'FgZi25jcz%2FEgE4GXNWjvxw6Lk3C%2F3SrZODJT%2BW33Vdo%3D',
  ],
  // Azure Service Bus connection string: SharedAccessKey = 44-char base64 (Azure Service Bus docs, SAS authentication)
  [
    'azure-service-bus-connection-string',
    'ServiceBusConnection: "Endpoint=sb://acme-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=+lCveA20Ud19NOkqMDn6fLoRMIand1xxBfTc5YLbE0s="',
    '+lCveA20Ud19NOkqMDn6fLoRMIand1xxBfTc5YLbE0s=',
  ],
  // Microsoft Entra client secret: 3 chars, digit, Q~, 34 chars (Entra app registration credentials)
  [
    'entra-client-secret-az-login',
    'az login --service-principal -u 3c8d1f4e-2b7a-4e59-9a61-0f2d7c4b8e15 -p rHI4Q~LgY~x~PRJK0rNsatY2EPcLtOq-YlSMUgow --tenant 72f988bf-86f1-41af-91ab-2d7cd011db47',
    'rHI4Q~LgY~x~PRJK0rNsatY2EPcLtOq-YlSMUgow',
  ],
  // Microsoft Entra client secret in appsettings.json PascalCase key (Microsoft.Identity.Web config)
  [
    'entra-client-secret-appsettings',
    '"AzureAd": { "Instance": "https://login.microsoftonline.com/", "ClientId": "9b1e7c2a-4f3d-4c8e-b5a6-1d2e3f4a5b6c", "ClientSecret": "AaI0Q~rqZoOkVm949.rDTKNG5YcNX7cHIqgDBQ3S" }',
    'AaI0Q~rqZoOkVm949.rDTKNG5YcNX7cHIqgDBQ3S',
  ],
  // npm access token: npm_ + 36 (npm docs, 'About access tokens')
  [
    'npm-token-npmrc',
    '//registry.npmjs.org/:_authToken=npm_2iWvFBJIN069KrkGfSaJSepaqKCWF6cJf8Sb',
    'npm_2iWvFBJIN069KrkGfSaJSepaqKCWF6cJf8Sb',
  ],
  // PyPI API token: pypi-AgEIcHlwaS5vcmc... macaroon (PyPI help, API tokens)
  [
    'pypi-token-twine-cli',
    'twine upload --non-interactive -u __token__ -p pypi-AgEIcHlwaS5vcmcLDmQw1b6hqFXC5bMizjSwsbSLm9_ZCkY7KUHDMGiKSWmLd6EDTMbyQu5z4Fe9b-zl8Juj3fYEd7waufVZ6IzttqE7IS6HExHm99pJrkYfqqpofnlMY3zPFGeMjNHBnLUihUhV83LXVVCQY0L4yRYZjjkHjYWQy0N dist/*',
    'pypi-AgEIcHlwaS5vcmcLDmQw1b6hqFXC5bMizjSwsbSLm9_ZCkY7KUHDMGiKSWmLd6EDTMbyQu5z4Fe9b-zl8Juj3fYEd7waufVZ6IzttqE7IS6HExHm99pJrkYfqqpofnlMY3zPFGeMjNHBnLUihUhV83LXVVCQY0L4yRYZjjkHjYWQy0N',
  ],
  // TestPyPI API token: pypi-AgENdGVzdC5weXBpLm9yZw... (PyPI help, API tokens, .pypirc)
  [
    'testpypi-token-pypirc',
    '[testpypi]\nusername = __token__\npassword = pypi-AgENdGVzdC5weXBpLm9yZwPeueLnOUZyxpdyj59xEm27ScO2N9c7_gqsuVT0lj1rbU2CPWXuh6j7KsWfx4mAGkaCV4YLvcXDZi_jefLT1IA0f9GHMEohBiNxB1RaLX1ZFFZqpSjzajuE7X2SanDipdAuJT6kqjb-t2OBUhtc5MCE',
    'pypi-AgENdGVzdC5weXBpLm9yZwPeueLnOUZyxpdyj59xEm27ScO2N9c7_gqsuVT0lj1rbU2CPWXuh6j7KsWfx4mAGkaCV4YLvcXDZi_jefLT1IA0f9GHMEohBiNxB1RaLX1ZFFZqpSjzajuE7X2SanDipdAuJT6kqjb-t2OBUhtc5MCE',
  ],
  // Docker Hub personal access token: dckr_pat_ + 27 (Docker docs, 'Access tokens')
  [
    'docker-hub-pat-login',
    'docker login -u acmebot -p dckr_pat_VDq6PFUYxTTQBeRVvAYrVEv-N8U docker.io',
    'dckr_pat_VDq6PFUYxTTQBeRVvAYrVEv-N8U',
  ],
  // SendGrid API key: SG.<22>.<43> (Twilio SendGrid docs, API keys)
  [
    'sendgrid-key-dotenv-single-quotes',
    "SENDGRID_API_KEY='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'",
    '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',
  ],
  // Twilio API key SID: SK + 32 hex (Twilio docs, 'API keys')
  [
    'twilio-api-key-sid-json',
    '{"accountSid":"AC9268e0cae9d9046ebb0543f6d2ed3708","apiKeySid":"SK2d7a4c17888ebbdd20927b6777c69672","region":"ie1"}',
    'SK2d7a4c17888ebbdd20927b6777c69672',
  ],
  // Twilio account SID:auth token basic credentials, auth token 32 hex (Twilio docs, 'Auth tokens')
  [
    'twilio-auth-token-curl',
    "curl -X POST https://api.twilio.com/2010-04-01/Accounts/AC8d1b9997dda0af610b45675d7e0e37ca/Messages.json -u AC7f7176fef8486ec99aa7de7ffb3e7687:b2ac2a9ad1651bf5c30134790495bcc1 --data-urlencode 'Body=hi'",
    'b2ac2a9ad1651bf5c30134790495bcc1',
  ],
  // Mailgun private API key: key- + 32 hex (Mailgun docs, API authentication)
  [
    'mailgun-key-curl-user',
    "curl -s --user 'api:key-8465063340360ae17a57993be4b07366' https://api.mailgun.net/v3/mg.example.com/messages -F to=ops@example.com",
    'key-8465063340360ae17a57993be4b07366',
  ],
  // Discord webhook URL: /api/webhooks/<id>/<68-char token> (Discord developer docs, Webhook resource)
  [
    'discord-webhook-url',
    'notifier: posting to https://discord.com/api/webhooks/546881818113524322/03jby0mV8CLok18lQuGuBJ0tVUNHtww8eYMNN9QuAKUWSsGbd1VTH0WWTlVRQjipg-y6 failed: 429',
    '03jby0mV8CLok18lQuGuBJ0tVUNHtww8eYMNN9QuAKUWSsGbd1VTH0WWTlVRQjipg-y6',
  ],
  // Telegram bot token: <bot id>:<35 chars> (Telegram Bot API docs, authorizing your bot)
  [
    'telegram-bot-token-in-url',
    'https://api.telegram.org/bot273031729:AAY5LCLrwUigbGIl9XqbRVCsiNwHNaQhSM8/sendMessage?chat_id=-1001234567890&text=deploy+ok',
    '273031729:AAY5LCLrwUigbGIl9XqbRVCsiNwHNaQhSM8',
  ],
  // Shopify Admin API access token: shpat_ + 32 hex (Shopify docs, access tokens)
  [
    'shopify-access-token-header',
    'X-Shopify-Access-Token: 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',
    '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',
  ],
  // Square production access token: EAAA + 60 (Square developer docs, access tokens)
  [
    'square-access-token-env',
    'SQUARE_ACCESS_TOKEN=EAAAhbjBjyo6wzHnly4OhJ1cMpn9Ow0QMgCmH2x8Q--o8gPq-briAux2a0p4cMAc',
    'EAAAhbjBjyo6wzHnly4OhJ1cMpn9Ow0QMgCmH2x8Q--o8gPq-briAux2a0p4cMAc',
  ],
  // Square legacy OAuth access token: sq0atp- + 22 (Square developer docs)
  [
    'square-legacy-token-yaml',
    'square: { environment: production, accessToken: sq0atp-GhNTTVZMaNtplo6R6fLeVD }',
    'sq0atp-GhNTTVZMaNtplo6R6fLeVD',
  ],
  // DigitalOcean personal access token: dop_v1_ + 64 hex (DigitalOcean docs, 'How to create a personal access token')
  [
    'digitalocean-token-doctl',
    'doctl auth init --context prod --access-token dop_v1_43da46d008b6287d5004e61d8b38f9dbcdee01ec6c3d1dee99de80e6d263b52b',
    'dop_v1_43da46d008b6287d5004e61d8b38f9dbcdee01ec6c3d1dee99de80e6d263b52b',
  ],
  // Heroku API key: HRKU- prefixed (Heroku Dev Center, 'Heroku CLI authentication')
  [
    'heroku-api-key-netrc',
    'machine api.heroku.com\n  login ops@example.com\n  password HRKU-AAbeWvgZYai0bRnVQjzB02WjUphRw9hUP_SIbR06H9FniQLr_AzNxlX16bXB',
    'HRKU-AAbeWvgZYai0bRnVQjzB02WjUphRw9hUP_SIbR06H9FniQLr_AzNxlX16bXB',
  ],
  // Databricks personal access token: dapi + 32 hex (Databricks docs, personal access token authentication)
  [
    'databricks-token-databrickscfg',
    '[DEFAULT]\nhost = https://adb-8371194482721341.7.azuredatabricks.net\ntoken = dapiab39df66090071ce3b839fea2715292b',
    'dapiab39df66090071ce3b839fea2715292b',
  ],
  // HashiCorp Vault service token: hvs. prefix (Vault docs, 'Tokens', token prefixes)
  [
    'vault-token-header',
    'vault request: PUT /v1/secret/data/app X-Vault-Token: hvs.CAESIF4PAbNCzcm9iU6IgzKwN1lacmefKnw5UE6tMsKoaQ4AlLjLVy4-WuHX6Wxxr1fekm1cY7Kj3ia4_6to712iiDZ took=12ms',
    'hvs.CAESIF4PAbNCzcm9iU6IgzKwN1lacmefKnw5UE6tMsKoaQ4AlLjLVy4-WuHX6Wxxr1fekm1cY7Kj3ia4_6to712iiDZ',
  ],
  // Doppler personal token: dp.pt. + 43 (Doppler docs, token formats)
  [
    'doppler-token-env',
    'DOPPLER_TOKEN="dp.pt.wDyqcYxhMnPfKHqTBB57cdHYAoEc5tlWI2fUEDJFCtc" doppler run -- node server.js',
    'dp.pt.wDyqcYxhMnPfKHqTBB57cdHYAoEc5tlWI2fUEDJFCtc',
  ],
  // Grafana service account token: glsa_<32>_<8 hex> (Grafana docs, service account tokens)
  [
    'grafana-sa-token-curl',
    "curl -H 'Authorization: Bearer glsa_ldW7Uqnsqry9bkouIT8XEwO9Ary3bI6m_44f1136d' https://grafana.example.com/api/dashboards/uid/otel",
    'glsa_ldW7Uqnsqry9bkouIT8XEwO9Ary3bI6m_44f1136d',
  ],
  // Sentry organization auth token: sntrys_ + base64 JSON + _ + secret (Sentry docs, 'Auth Tokens')
  [
    'sentry-org-token-env',
    'SENTRY_AUTH_TOKEN=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',
    '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',
  ],
  // Sentry user auth token: sntryu_ + 64 hex (Sentry docs, 'Auth Tokens')
  [
    'sentry-user-token-cli',
    'sentry-cli --auth-token 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 releases new 2.14.0',
    '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',
  ],
  // New Relic user API key: NRAK- + 27 (New Relic docs, 'API keys')
  [
    'newrelic-user-key-k8s-env',
    '- name: NEW_RELIC_API_KEY\n  value: NRAK-2XBJJYOAMDJB8FXJ9NB0TOQUWZZ',
    'NRAK-2XBJJYOAMDJB8FXJ9NB0TOQUWZZ',
  ],
  // Datadog API key: 32 hex (Datadog docs, 'API and application keys', agent DD_API_KEY)
  [
    'datadog-api-key-docker-run',
    'docker run -d --name dd-agent -e DD_API_KEY=36398f0e7f94730ae77c79c7be62da81 -e DD_SITE=datadoghq.eu gcr.io/datadoghq/agent:7',
    '36398f0e7f94730ae77c79c7be62da81',
  ],
  // Linear personal API key: lin_api_ + 40 (Linear developers docs, authentication)
  [
    'linear-api-key-json-header',
    '{"url":"https://api.linear.app/graphql","headers":{"Authorization":"lin_api_UyWJBE5fU7MWGVel3Ce6ZJElTFi7rSyj7WlBtWhh"}}',
    'lin_api_UyWJBE5fU7MWGVel3Ce6ZJElTFi7rSyj7WlBtWhh',
  ],
  // Notion internal integration token: ntn_ prefix (Notion developers docs, authorization)
  [
    'notion-token-ntn-env',
    'NOTION_TOKEN=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',
    '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',
  ],
  // Notion legacy integration token: secret_ + 43 (Notion developers docs)
  [
    'notion-token-legacy-python',
    'notion = Client(auth="secret_qBO3kjjY2jvig8iqOL0uqsKslqNXBNF2GG4uAuCdjZv")',
    'secret_qBO3kjjY2jvig8iqOL0uqsKslqNXBNF2GG4uAuCdjZv',
  ],
  // Postman API key: PMAK-<24 hex>-<34 hex> (Postman docs, 'Generate a Postman API key')
  [
    'postman-api-key-header',
    'X-API-Key: PMAK-6efb40e5a568c2e7a61a0f87-c9dc5dd3a63a385bbb4904d35fe25ec78a',
    'PMAK-6efb40e5a568c2e7a61a0f87-c9dc5dd3a63a385bbb4904d35fe25ec78a',
  ],
  // JWT (RFC 7519) in a session cookie
  [
    'jwt-in-cookie',
    'Cookie: theme=dark; session=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyXzg4MTIiLCJuYW1lIjoiQWRhIiwiaWF0IjoxNzMzNTgwMDAwLCJleHAiOjE3MzM1ODM2MDB9.OuT-UFB-5QvNtiwW4jeuXrXrOujb2MFjvwxHCThqhGs; _ga=GA1.2.1183945.1733580000',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyXzg4MTIiLCJuYW1lIjoiQWRhIiwiaWF0IjoxNzMzNTgwMDAwLCJleHAiOjE3MzM1ODM2MDB9.OuT-UFB-5QvNtiwW4jeuXrXrOujb2MFjvwxHCThqhGs',
  ],
  // JWT (RFC 7519) in a query string
  [
    'jwt-in-query-string',
    '10.0.4.12 - - [07/Dec/2026:13:02:11 +0000] "GET /ws/connect?jwt=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtd3MiLCJzY29wZSI6InJlYWQ6ZXZlbnRzIiwiaWF0IjoxNzMzNTgwMTAwfQ.aMMz04wKI-wTQZRYw0WGDnEkl7pxEAkkHxWIDIdMpI8&v=2 HTTP/1.1" 101 0',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtd3MiLCJzY29wZSI6InJlYWQ6ZXZlbnRzIiwiaWF0IjoxNzMzNTgwMTAwfQ.aMMz04wKI-wTQZRYw0WGDnEkl7pxEAkkHxWIDIdMpI8',
  ],
  // Opaque OAuth 2.0 bearer token (RFC 6750) in a lower-case authorization header
  [
    'bearer-opaque-lowercase-header',
    "upstream request headers: { host: 'orders.internal', authorization: 'Bearer S-7ozTD5kjsbcqXROW5RdE4jKWwylE8wfZKx-Z8t', 'x-forwarded-for': '10.1.2.3' }",
    'S-7ozTD5kjsbcqXROW5RdE4jKWwylE8wfZKx-Z8t',
  ],
  // HTTP Basic credentials (RFC 7617) base64 of user:password
  [
    'basic-auth-header',
    'Authorization: Basic c3ZjLXJlcG9ydGluZzpScDkhdlEyI21MN3hUNA==',
    'c3ZjLXJlcG9ydGluZzpScDkhdlEyI21MN3hUNA==',
  ],
  // Django REST framework token auth: 'Authorization: Token <40 hex>' (DRF docs, TokenAuthentication)
  [
    'drf-token-auth-header',
    "curl -H 'Authorization: Token 0d00c316a90ffee0e922469e462edae80d52ba30' https://api.example.com/v1/reports/",
    '0d00c316a90ffee0e922469e462edae80d52ba30',
  ],
  // Generic API key in an X-Api-Key header
  [
    'x-api-key-header-generic',
    'X-Api-Key: PBtO8s2qRzLwX7oy1XHhUm3EX2YWLitW',
    'PBtO8s2qRzLwX7oy1XHhUm3EX2YWLitW',
  ],
  // Azure API Management subscription key: 32 hex in Ocp-Apim-Subscription-Key (Azure API Management docs, subscriptions)
  [
    'apim-subscription-key-header',
    'Ocp-Apim-Subscription-Key: 9eae173533b32e5423bb6ea0de811e61',
    '9eae173533b32e5423bb6ea0de811e61',
  ],
  // PostgreSQL URI (PostgreSQL docs, connection URIs) with raw @ / # in the password
  [
    'postgres-url-raw-special-password',
    'DATABASE_URL=postgres://app_user:p@ss/w0rd#x9Lq@db.internal:5432/orders',
    'p@ss/w0rd#x9Lq',
  ],
  // MySQL URL with a percent-encoded password (RFC 3986 userinfo)
  [
    'mysql-url-percent-encoded-password',
    'connecting to mysql://root:Tr0ub4dor%403%3F@mysql-primary:3306/shop?ssl=true',
    'Tr0ub4dor%403%3F',
  ],
  // Redis URL with password only and a ? in it (redis URI scheme)
  [
    'redis-url-password-with-question-mark',
    'cache.url: redis://:s3cr3t-Redis-Pw?x@cache:6379/0',
    's3cr3t-Redis-Pw?x',
  ],
  // AMQP URL (RabbitMQ URI spec) with a password in userinfo
  ['amqp-url-password', 'amqp://guest:Rabbit!Pass2024@rabbit.internal:5672/%2F', 'Rabbit!Pass2024'],
  // MongoDB SRV connection string (MongoDB docs, connection string) with encoded slash
  [
    'mongodb-srv-url-password',
    '{"mongoUri":"mongodb+srv://svc_orders:Q7v%2Fm9Kx2pLw@cluster0.ab1cd.mongodb.net/?retryWrites=true&w=majority"}',
    'Q7v%2Fm9Kx2pLw',
  ],
  // password= key/value in a log line
  [
    'password-kv-mid-log-line',
    'login attempt user=alice password=Winter2024!Secure ip=10.0.0.7 result=fail',
    'Winter2024!Secure',
  ],
  // passwd: key in YAML
  [
    'passwd-yaml-quoted',
    'ldap:\n  bind_dn: cn=svc,dc=example,dc=com\n  passwd: "hunter2-Plus-Long"',
    'hunter2-Plus-Long',
  ],
  // ADO.NET / SQL Server connection string Pwd= (Microsoft SqlConnection.ConnectionString docs)
  [
    'sqlserver-connection-string-pwd',
    'Server=tcp:sql.acme.net,1433;Database=crm;User ID=sa;Pwd=Xy7#mQ2!vB9z;Encrypt=True;',
    'Xy7#mQ2!vB9z',
  ],
  // "password":"..." in a JSON request body
  [
    'password-json-body',
    '{"username":"bob","password":"c0rrect-H0rse-battery","remember":true}',
    'c0rrect-H0rse-battery',
  ],
  // SCREAMING_CASE PASSWORD key in a docker-compose environment block (postgres image docs)
  [
    'postgres-password-compose',
    '    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: Zq8nR4tW1xLm',
    'Zq8nR4tW1xLm',
  ],
  // --password flag on the mongo shell (MongoDB shell docs)
  [
    'mongo-password-flag',
    "mongosh --host mongo-0 --username admin --password 'Pa55w0rd-Mongo' --authenticationDatabase admin",
    'Pa55w0rd-Mongo',
  ],
  // mysql -p<password> with no space (MySQL client docs, --password)
  ['mysql-dash-p-attached', 'mysql -h 10.0.3.4 -u root -pR00t-Pa55word shop < dump.sql', 'R00t-Pa55word'],
  // sshpass -p (sshpass man page)
  [
    'sshpass-p',
    "sshpass -p 'Deploy#2024pass' ssh -o StrictHostKeyChecking=no deploy@10.0.0.5",
    'Deploy#2024pass',
  ],
  // PGPASSWORD environment variable before psql (PostgreSQL docs, environment variables)
  [
    'pgpassword-env-psql',
    "PGPASSWORD=pgS3cret_2024 psql -h db -U app -d orders -c 'select 1'",
    'pgS3cret_2024',
  ],
  // kebab-case db-password key in a stack trace config dump
  [
    'db-password-kebab-stack-trace',
    "Error: connect ECONNREFUSED 10.0.0.9:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) { config: { host: '10.0.0.9', 'db-password': 'Kp4$zW9!rT2q', port: 5432 } }",
    'Kp4$zW9!rT2q',
  ],
  // OAuth 2.0 client_secret in a client-credentials form body (RFC 6749 section 2.3.1)
  [
    'oauth-client-secret-form-body',
    'grant_type=client_credentials&client_id=svc-billing&client_secret=cDmWLrlr38OAHbpqywqPFU__OMGb5j13mJ9jiCjO&scope=orders.read',
    'cDmWLrlr38OAHbpqywqPFU__OMGb5j13mJ9jiCjO',
  ],
  // api_key: in YAML
  [
    'api-key-yaml',
    'weather:\n  api_key: jaR4fZVupLTX509gu9c1qkuHoYILUEDZ\n  units: metric',
    'jaR4fZVupLTX509gu9c1qkuHoYILUEDZ',
  ],
  // apiKey= in a URL query string
  [
    'apikey-camel-query',
    'GET /v1/forecast?lat=52.52&lon=13.40&apiKey=47f05bb3af160e3f717dc00f10bf3d28 200 41ms',
    '47f05bb3af160e3f717dc00f10bf3d28',
  ],
  // OAuth 2.0 implicit-flow access_token in a redirect fragment (RFC 6749 section 4.2.2)
  [
    'access-token-in-fragment',
    'redirect -> https://app.example.com/callback#access_token=XHu0qk4zkuXNEv80aJ-acvE8TijoJGXRan7KlOVfm8q&token_type=Bearer&expires_in=3600',
    'XHu0qk4zkuXNEv80aJ-acvE8TijoJGXRan7KlOVfm8q',
  ],
  // secret= key/value at the end of a log line
  [
    'secret-kv-end-of-line',
    'hmac signer initialised alg=sha256 secret=kCJ8jjDKjKMu6ddCACOnqIb0fYsT+V9AGysJZkHM1XVC',
    'kCJ8jjDKjKMu6ddCACOnqIb0fYsT+V9AGysJZkHM1XVC',
  ],
  // token= in a websocket URL query
  [
    'token-in-wss-url',
    'ws client connecting wss://realtime.example.com/socket?token=XsiV6SDfCZSEexDUEpflnXFBna3SKICujfqT4Hf4l1zQTOiu&vsn=2.0.0',
    'XsiV6SDfCZSEexDUEpflnXFBna3SKICujfqT4Hf4l1zQTOiu',
  ],
  // <password> element in Maven settings.xml (Maven settings reference, servers)
  [
    'maven-settings-xml-password',
    '<server><id>nexus</id><username>deployer</username><password>Nx3!deploy_pw9</password></server>',
    'Nx3!deploy_pw9',
  ],
  // Password= inside a web.config connectionString attribute (ASP.NET configuration docs)
  [
    'webconfig-connection-string-password',
    '<connectionStrings><add name="Default" connectionString="Server=sql01;Database=App;User Id=app;Password=W3b!Config#Pw;" providerName="System.Data.SqlClient" /></connectionStrings>',
    'W3b!Config#Pw',
  ],
  // PascalCase ApiKey key in JSON
  [
    'apikey-pascal-json',
    '{"Smtp":{"Host":"smtp.example.com","ApiKey":"n62bitWomLz21ZT2mKgKf1QTvTA8T836PmlD"}}',
    'n62bitWomLz21ZT2mKgKf1QTvTA8T836PmlD',
  ],
  // PKCS#8 'PRIVATE KEY' PEM (RFC 7468) carried in a GCP service-account JSON with \n escapes
  [
    'pem-pkcs8-in-service-account-json',
    '{"type":"service_account","project_id":"acme-prod","private_key_id":"6831f40fc6e513210b02c608d7f6c6600c7a55f0","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ4Bs/olrLCU8TSg\\n50BTc6QbXtfrZahIrLzBSbf7fH/aYKNArvTQNdbXEMIYe1b+1eAcacbcnyVLnGl4\\nK1LgMyiiVe2a+B1us0C2WkAHjA8DGkydIWlOC/c/GVs/ZJxRhHISpj8GlAdqIXJ1\\n2LVOn1ZVlG6trzswUfROPSOm3BYiu9ONIntSXXlv9q5nLbNrhojmuAoPYku3GKFo\\ny3Bg6TfBayCxkBnLDNseJCXCMKjkVzBO//nYGNjPa/Crgskgaev6QxZKuqCddtmZ\\nfK/NhYA1fLmTdDJsYgpZmZuAdIbVPPApjOCt/tO0Mrh6SM1m8nAfJMLnIkngEerq\\nW+ZNw+crB612bdRqYds3ctaEeqwR40sAR6xDNBj9cmhyWlBVHLwCezqycgVsKMRS\\n9nm3A0itlhlvEpkNP7Koaum+NQiEn4GAPjBQWZCS7EgdPb8HE5g1vj==\\n-----END PRIVATE KEY-----\\n","client_email":"otel@acme-prod.iam.gserviceaccount.com"}',
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ4Bs/olrLCU8TSg\\n50BTc6QbXtfrZahIrLzBSbf7fH/aYKNArvTQNdbXEMIYe1b+1eAcacbcnyVLnGl4\\nK1LgMyiiVe2a+B1us0C2WkAHjA8DGkydIWlOC/c/GVs/ZJxRhHISpj8GlAdqIXJ1\\n2LVOn1ZVlG6trzswUfROPSOm3BYiu9ONIntSXXlv9q5nLbNrhojmuAoPYku3GKFo\\ny3Bg6TfBayCxkBnLDNseJCXCMKjkVzBO//nYGNjPa/Crgskgaev6QxZKuqCddtmZ\\nfK/NhYA1fLmTdDJsYgpZmZuAdIbVPPApjOCt/tO0Mrh6SM1m8nAfJMLnIkngEerq\\nW+ZNw+crB612bdRqYds3ctaEeqwR40sAR6xDNBj9cmhyWlBVHLwCezqycgVsKMRS\\n9nm3A0itlhlvEpkNP7Koaum+NQiEn4GAPjBQWZCS7EgdPb8HE5g1vj==',
  ],
  // PKCS#1 RSA PRIVATE KEY PEM (RFC 7468 / RFC 8017) with real newlines
  [
    'pem-rsa-multiline-log',
    'loaded TLS key from env:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAK6mjhP6YdJ4P3nOPtJ7vlwICLduOavv3HYnAVjHn7dM9pxFN\nwf63Hz5mmAfPi54vx7vE/C5DMQCEPMKq0dIPhyiK0Ht3jAZbUzlF/Y8808HfGeoD\nh5RhY4Xy1Jhdacea4fvxru5G/4bT+0LF4er4zLLxwsjeUAONEvSgZlCfAl3+s4C8\nRUx7sORB0z0UkKqiexLk9S9QE2ghQuvUu49O9wkXwJ0GBD0da+F1WNruN2QVBG7M\nj1mmasy0s7DXS+2JxTrHyeSqojlXRKISYObIPpjFvNHrh7/k7Mbpp+TVPOKyiHkh\nLuXFV0GVci36t45u3MqJYPz/Sl6CnbOesqIS1mD/3IUaruvpS9SAEg5aPFWrT/mk\nL7t8dLvh0kMPRKEnlhkxlYc0CMXPRktjNO8r0+GPN0hBa3DjkBzHS1LnH00yD+No\nAF4F4l/ihyREhC1JVP18GuBKvlrUNn/Rjtpsc1WCBBhCkginlSofnL==\n-----END RSA PRIVATE KEY-----',
    'MIIEowIBAAKCAQEAK6mjhP6YdJ4P3nOPtJ7vlwICLduOavv3HYnAVjHn7dM9pxFN\nwf63Hz5mmAfPi54vx7vE/C5DMQCEPMKq0dIPhyiK0Ht3jAZbUzlF/Y8808HfGeoD\nh5RhY4Xy1Jhdacea4fvxru5G/4bT+0LF4er4zLLxwsjeUAONEvSgZlCfAl3+s4C8\nRUx7sORB0z0UkKqiexLk9S9QE2ghQuvUu49O9wkXwJ0GBD0da+F1WNruN2QVBG7M\nj1mmasy0s7DXS+2JxTrHyeSqojlXRKISYObIPpjFvNHrh7/k7Mbpp+TVPOKyiHkh\nLuXFV0GVci36t45u3MqJYPz/Sl6CnbOesqIS1mD/3IUaruvpS9SAEg5aPFWrT/mk\nL7t8dLvh0kMPRKEnlhkxlYc0CMXPRktjNO8r0+GPN0hBa3DjkBzHS1LnH00yD+No\nAF4F4l/ihyREhC1JVP18GuBKvlrUNn/Rjtpsc1WCBBhCkginlSofnL==',
  ],
  // SEC1 EC PRIVATE KEY PEM (RFC 5915) on one line with \n escapes
  [
    'pem-ec-one-line-escaped',
    'signing_key: "-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIv5FnXpRI9NlGCQu4SlW0YtsUuLzX6AFO9/+GVwrxfTH67pnAUmqEOqM\\n3uhNT68Hh6jN630h+lLH8clN3ZQZjCRmprUKnDoWi4EGwTz8bblIpg==\\n-----END EC PRIVATE KEY-----"',
    'MHcCAQEEIv5FnXpRI9NlGCQu4SlW0YtsUuLzX6AFO9/+GVwrxfTH67pnAUmqEOqM\\n3uhNT68Hh6jN630h+lLH8clN3ZQZjCRmprUKnDoWi4EGwTz8bblIpg==',
  ],
  // OpenSSH private key (OpenSSH PROTOCOL.key format) in JSON with \n escapes
  [
    'openssh-key-json-escaped',
    '{"deployKey":"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\\nc2gtZWMoWRg0ym2syN664dccT7WLPTPfytCDNqDNkiTwBf54G5J7/kSB2TyDXKnL\\nYQgwCoQCHnDAsQZmpXwbE0/nhjVkgatp6nbrNNZdev+mZcvMGqeko59NxnAQb9kZ\\nSKF3dyltsmjk6xrI/qwxcZJPIoJ8BQT4TVqADQYyvUkYSk751N8vsTszA085twHG\\nFPZjH/+I/Hms5gWQ21XVuo0tbGtsHvfLMsTRFzIDYGOPzHFUm9kAV6==\\n-----END OPENSSH PRIVATE KEY-----\\n"}',
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz\\nc2gtZWMoWRg0ym2syN664dccT7WLPTPfytCDNqDNkiTwBf54G5J7/kSB2TyDXKnL\\nYQgwCoQCHnDAsQZmpXwbE0/nhjVkgatp6nbrNNZdev+mZcvMGqeko59NxnAQb9kZ\\nSKF3dyltsmjk6xrI/qwxcZJPIoJ8BQT4TVqADQYyvUkYSk751N8vsTszA085twHG\\nFPZjH/+I/Hms5gWQ21XVuo0tbGtsHvfLMsTRFzIDYGOPzHFUm9kAV6==',
  ],
  // Visa test card 4111 1111 1111 1111, spaced (Luhn-valid; payment processors' test numbers)
  [
    'card-visa-spaced',
    'charge declined card=4111 1111 1111 1111 exp=12/29 reason=insufficient_funds',
    '4111 1111 1111 1111',
  ],
  // Mastercard test card 5555555555554444, unspaced in JSON
  ['card-mastercard-json', '{"pan":"5555555555554444","expMonth":11,"expYear":2028}', '5555555555554444'],
  // Amex test card 378282246310005 spaced 4-6-5
  ['card-amex-spaced-4-6-5', 'cardNumber: 3782 822463 10005', '3782 822463 10005'],
  // Discover test card 6011111111111117 with dashes
  [
    'card-discover-dashed',
    'payment method 6011-1111-1111-1117 added for customer cus_81726',
    '6011-1111-1111-1117',
  ],
  // Visa test card 4242424242424242 inside prose
  [
    'card-visa-in-prose',
    'customer entered 4242424242424242 at checkout and retried twice',
    '4242424242424242',
  ],
  // Amex test card 378282246310005 unspaced at the start of a line
  ['card-amex-unspaced-start', '378282246310005 was flagged by the fraud rules', '378282246310005'],
];

const LOOK_ALIKES: readonly (readonly [name: string, text: string])[] = [
  // Subresource Integrity hash (W3C SRI)
  [
    'sri-sha384-script',
    '<script src="https://cdn.example.com/app.min.js" integrity="sha384-DaSOf6JYv1xAzw7vhol9mKNhB2RhUHPLkeYdlnfD+kGaZTOGarZYjN3EWxjZmf8e" crossorigin="anonymous"></script>',
  ],
  // HTTP Digest header (RFC 3230 / RFC 9530)
  ['http-digest-header', 'Digest: sha-256=bxfWpjPGqFP/2M4D0dUOj0jsl9CzmUiSuoYf/tDHgIU='],
  // git commit SHA-1 (40 hex)
  [
    'git-commit-sha',
    'deployed commit d9a1927e9b2a98983dec0e7dc3e8029f16f614b3 to production by pipeline #8812',
  ],
  // SHA-256 hex digest from sha256sum
  [
    'sha256sum-line',
    '590aee647b97c9f1e42e51c95ed00f9a76e8bb6beb461aa8c8e59da9a9425896  otelcol-contrib_0.98.0_linux_amd64.tar.gz',
  ],
  // UUID v4 request id (RFC 9562)
  ['uuid-request-id', 'request_id=3f2b8c1e-9d4a-4e7b-a1c6-5b8e2f0d9a74 status=200'],
  // W3C Trace Context traceparent header
  ['w3c-traceparent', 'traceparent: 00-f2845df8923886bd961952c7dc84d4d7-8d4d94055606b17d-01'],
  // OTel trace and span ids in OTLP/JSON
  [
    'otel-trace-span-ids-json',
    '{"traceId":"14103ee6a8af95c3191a71788ec305d9","spanId":"a7176a0267e1c2e0","parentSpanId":"fd3009e9e1749ec0","name":"GET /orders"}',
  ],
  // B3 propagation header (Zipkin B3 spec)
  ['b3-trace-id-header', 'X-B3-TraceId: b662ab8fe4e5727469af40220d5634fc'],
  // tiny base64 GIF data URL
  [
    'base64-data-url-gif',
    '<img alt="" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">',
  ],
  // SemVer 2.0.0 version with pre-release and build metadata
  ['semver-prerelease-build', 'service.version=1.2.3-beta.4+build.5'],
  // git describe version
  ['git-describe-version', 'build v2.14.0-3-gdf88220 (dirty=false)'],
  // upper-case region word starting with ASIA
  ['asia-pacific-word', 'region=ASIAPACIFIC tier=GOLD replicas=3'],
  // upper-case word starting with AKIA
  ['akiane-word', 'artist: AKIANE KRAMARIK exhibition opens 2025-03-01'],
  // invoice number
  ['invoice-id', 'invoice INV-2024-000123 paid amount=149.00 EUR'],
  // epoch milliseconds
  ['epoch-millis', '{"ts":1733580000000,"level":"info","msg":"flushed 512 records"}'],
  // US phone number (fails Luhn)
  ['phone-number', 'callback requested to +1 (415) 555-0132 by ops'],
  // German IBAN (ISO 13616), digits fail Luhn
  ['iban-like', 'refund to IBAN DE44 5001 0517 5407 3249 31 scheduled'],
  // ISBN-13
  ['isbn-13', 'book ISBN 978-0-13-468599-1 added to cart'],
  // 16-digit reference that fails the Luhn check
  ['luhn-failing-16-digits', 'order ref 4111 1111 1111 1112 queued for review'],
  // masked card, last four only (PCI DSS truncation)
  ['masked-card-last-four', 'paid with **** **** **** 4242 (visa)'],
  // IPv6 address (RFC 5952)
  ['ipv6-address', 'client=2001:db8:85a3::8a2e:370:7334 port=443'],
  // MAC address
  ['mac-address', 'dhcp lease 00:1A:2B:3C:4D:5E -> 10.0.8.23'],
  // Kubernetes pod name
  ['k8s-pod-name', 'pod checkout-7f9c8d6b5-x2k4p restarted (OOMKilled)'],
  // OCI image digest
  [
    'docker-image-digest',
    'pulling ghcr.io/acme/api@sha256:6eaca33b2c954d6bbccb7a5cf6edbbbe81748391be3c18b129e0626174af81a3',
  ],
  // npm package with version
  ['npm-package-version', 'added @opentelemetry/sdk-node@0.52.1 and 37 other packages'],
  // Go module checksum line (go.sum h1: hash)
  ['go-sum-line', 'golang.org/x/net v0.24.0 h1:6yq2n73X861uj7sZ6AehS2YU7S/FppTTPPSpgsAdURs='],
  // AWS ARN
  ['aws-arn', 'assumed arn:aws:iam::123456789012:role/otel-collector-ingest'],
  // S3 request id (16 upper hex)
  ['s3-request-id', 'x-amz-request-id: 27A2F7393C35BBD9'],
  // Content-MD5 header (RFC 1864)
  ['content-md5-header', 'Content-MD5: XCuoNxW1Cc75puvNerSroQ=='],
  // CSP script hash source
  [
    'csp-sha256-source',
    "Content-Security-Policy: script-src 'self' 'sha256-wCp0cpj9JHNq4DWGLS+G9t8UaznCCeLb1liMcs268/I='",
  ],
  // ETag of an MD5
  ['etag-md5', 'ETag: "f440d96ab4998a0a23ca796505d8310b"'],
  // prose: reset password
  ['prose-reset-password', 'Please reset your password using the link we emailed you.'],
  // prose: token expired
  ['prose-token-expired', 'token expired, please sign in again'],
  // prose: password field required
  ['prose-password-field-required', 'validation failed: the password field is required'],
  // masked password placeholder
  ['placeholder-password-stars', 'password=********'],
  // api key placeholder
  ['placeholder-api-key-angle', 'api_key=<your-key>'],
  // token from env placeholder
  ['placeholder-token-env-var', 'token=${TOKEN}'],
  // LLM max_tokens parameter
  ['max-tokens-param', 'max_tokens=4096 temperature=0.2'],
  // OAuth token_type (RFC 6749 section 5.1)
  ['token-type-bearer', 'token_type=bearer expires_in=3600'],
  // WWW-Authenticate challenge (RFC 6750 section 3)
  [
    'www-authenticate-bearer-realm',
    'WWW-Authenticate: Bearer realm="api", error="invalid_token", error_description="The access token expired"',
  ],
  // hex colour codes
  ['hex-colours', 'color: #1e90ff; background: #fafafa; border-color: #c0ffee;'],
  // cache key
  ['cache-key', 'cache hit key=user:42:profile:v3 ttl=300'],
  // short session id word
  ['session-short-word', 'session=guest locale=en-GB'],
  // password policy number
  ['password-min-length-json', '{"passwordMinLength":12,"passwordRequireSymbol":true}'],
  // LLM token count
  ['token-count-json', '{"model":"gpt-4o-mini","tokenCount":1532,"promptTokens":1200}'],
  // timestamp under a password-ish key
  ['password-reset-timestamp', '{"password_reset_sent_at":"2026-11-02T10:00:00Z","email_verified":true}'],
  // Kubernetes secretKeyRef (reference, not value)
  [
    'k8s-secret-key-ref',
    'env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db-credentials, key: password}}}]',
  ],
  // token prefix mentioned in prose
  ['token-prefix-in-prose', 'Classic tokens start with ghp_ and fine-grained ones with github_pat_.'],
  // Stripe-style request id
  ['request-id-header', 'Request-Id: req_mH8J29L5E4kqHi'],
  // token refreshed message with numbers
  ['token-refreshed-log', '{"level":"info","msg":"token refreshed","expires_in":3599,"attempt":1}'],
  // Authorization header naming a scheme only in docs prose
  ['auth-scheme-prose', 'Send the header Authorization: Bearer <token> with every request.'],
];

const redactor = createRedactor();

describe('redaction on a second held-out set', () => {
  it.each(SECRETS)('redacts %s', (_name, text, secret) => {
    const out = redactor.redact(text);
    expect({ out, marker: MARKER.test(out), left: survivingFragment(secret, out) }).toEqual({
      out: expect.any(String),
      marker: true,
      left: undefined,
    });
  });

  it.each(LOOK_ALIKES)('keeps %s', (_name, text) => {
    expect(redactor.redact(text)).toBe(text);
  });
});
