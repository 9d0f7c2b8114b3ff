// One or more hand-written cases for every secret kind: the secret goes, the text around it stays,
// and the count names the kind. Every value here is fake: generated to the provider's format, or a
// provider's own documentation example.
import { describe, expect, it } from 'vitest';

import { createRedactor, newRedactionCounts, SECRET_KINDS, type SecretKind } from '../src/redact.js';
import { hasTokenChecksum } from '../src/secrets/checksums.js';

const redactor = createRedactor();

interface KindCase {
  readonly kind: SecretKind;
  readonly input: string;
  readonly output: string;
}

/** `before` + secret + `after` in, `before` + the kind's marker + `after` out. */
function at(kind: SecretKind, before: string, secret: string, after = ''): KindCase {
  return { kind, input: `${before}${secret}${after}`, output: `${before}[REDACTED:${kind}]${after}` };
}

const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDf2lq0Xb7';

const CASES: readonly KindCase[] = [
  at('aws-key', 'role session ', 'ASIAZ7PRI3ODEXAIEHGX', ' expires in 1h'),
  ...[
    'AKIASDW7D7SSRBEL72KC',
    'ABIAAJ3QJN7B7S3Z2U6Q',
    'ACCAW72ZFTTOIAQFRUMM',
    'AGPAI2CQJYQ735TFMHBS',
    'AIDAH5H74XVUCFBWEBVH',
    'AIPAVLHJ5T7UQ62KQXKF',
    'ANPAD5KVPDMR6F4DI34O',
    'ANVAWO4B2XJKVBBBRNZU',
    'APKA3JD2D4MGQZTA57ZX',
    'AROAPVKRMGWQH62CYFCK',
    'ASCAUZCJ527GHRQBQP7Q',
  ].map((id) => at('aws-key', 'principal ', id, ' denied')),
  at('aws-key', 'aws_access_key_id = ', 'AKIAABCDEFGHIJKLMNOP'),
  at('aws-secret', 'aws_secret_access_key = ', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
  at(
    'aws-secret',
    '{"AccessKeyId":"[REDACTED:aws-key]","SecretAccessKey":"',
    'skNUP0J26WHPHm0H3uXq/ENd867fnTnHs80jVF3p',
    '"}',
  ),
  at('aws-secret', 'export AWS_SECRET_ACCESS_KEY=', 'skNUP0J26WHPHm0H3uXq/ENd867fnTnHs80jVF3p'),
  at(
    'aws-secret',
    'aws configure set aws_secret_access_key ',
    'L8IgrUyf+zswGcdHg9RC1Nbdy8+z7Irxjgv226ri',
    ' --profile prod',
  ),
  at(
    'azure-key',
    '{"primaryKey": "',
    'r+J7qz3FizfWvT9rVdLOZUvQvTdLW8THcvHLcLdbing=',
    '", "keyName": "RootManageSharedAccessKey"}',
  ),
  at(
    'azure-key',
    'POST https://contoso-fn.azurewebsites.net/api/ingest?code=',
    'p0JVgHPYs_CT5ry5Qsxcg0yusigawRJt3W25uJL-yXoSfs0NTr-BFg==',
  ),
  at(
    'azure-key',
    'Endpoint=https://contoso.service.signalr.net;AccessKey=',
    'N7a9cXbQ2mF0pL3sVw8yT5uK1rE6hJ4gD=',
    ';Version=1.0;',
  ),
  at('gcp-key', 'GET /maps/api/geocode/json?key=', 'AIzaz7knFpZ2Kjw-vwuwUsDi8Nfqo8sx_yDAOig', '&address=x'),
  at('gcp-key', 'client_secret_json: ', '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'),
  at('gcp-key', 'access token ', 'ya29.a0AfH6SMBx3-Kq9_Zt2pLmN0vWx', ' expired'),
  at('alibaba-key', 'ALIBABA_CLOUD_ACCESS_KEY_ID=', 'LTAIgZgO1MzCs6o0jrbwrBe4'),
  at(
    'digitalocean-token',
    'doctl auth init -t ',
    'dop_v1_8ed632edb1f64ffbfbb54f182774a1b5961a696164af22a7f51d13f26eb0d119',
  ),
  at(
    'heroku-key',
    'heroku key ',
    'HRKU-AACyJiLBCu1N5yCyJBoBpWD8CeLC73rhacbkALdWHNYfMeoI2C1_P0TxICw7',
    ' rotated',
  ),
  at('flyio-token', 'FLY_API_TOKEN=', 'fo1_XJYD7mANLTfm4WfeDV0ZCs9aQKZiuM9qqZwY3u4y1qQ'),
  at('supabase-key', 'supabase login --token ', 'sbp_21a453541af3a1bade1ddea69872ea0c7585d7a1'),
  at('planetscale-token', 'token ', 'pscale_tkn_iL7ichpxSn4Xa6UOhRgVBYC5Hd1EeqZxxywzC-GKyEA', ' created'),
  at('databricks-token', 'DATABRICKS_TOKEN ', 'dapi8ab1b8ed7734f728de5378f4d169c7ff'),
  at(
    'cloudflare-key',
    'X-Auth-User-Service-Key: ',
    `v1.0-2f54df2d975b911af2c21b38-${'5cfac5c401a13bd5a75c6da263fe13f3'.repeat(4)}8e439d31611d7ade1e`,
  ),
  at('github-token', 'push with ', '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', ' failed'),
  at('github-token', 'GH_TOKEN=', 'ghu_fb065CE1Mh4vYKjK85SqqOiDHKVX0W41qxJa'),
  at('github-token', 'refresh ', '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'),
  at('github-token', 'checksum-valid ', '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'),
  at('gitlab-token', 'PRIVATE_TOKEN=', 'glpat-oSn9qpK2rztUxLjOMw20'),
  at('gitlab-token', 'deploy token ', 'gldt-GdtWRW41ZayKJTXf8cuN', ' revoked'),
  at('gitlab-token', 'runner ', 'glrt-b2yTh0rGkFqYrPXYZ6aB', ' registered'),
  at(
    'atlassian-token',
    'JIRA_API_TOKEN ',
    `ATATT3xFfGF0eQBUFcQQu00xGg-UdErpmW05-zstiakcnQjqkZS3Y5yytVABLSSsVIvmePX6RniVzY-AwWpEoYQOLwRj9V8WZqO0bHKIY3Nc4UGA6T_3UzKvbXUvIGPDI1waXH4YIqH3UPwWCv5ClQjY5dlAd38ELJIIR9sCLsp5xA0-awt8qHSS3cK-odUd=DAAAA141`,
  ),
  at('atlassian-token', 'bitbucket app password ', 'ATBBz7u7VbUB6wErKl75eIbRDuMOJwyHoC1W'),
  at('npm-token', '//registry.npmjs.org/:_authToken=', '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'),
  at('npm-token', 'publish token ', 'npm_SGx4QEBS3dMan0Z7YhRIadCp3Pi8YSuMkXoM'),
  at(
    'pypi-token',
    'TWINE_PASSWORD ',
    'pypi-AgEIcHlwaS5vcmcq2MLCdT7y6UMJx91pOqcvrBlzlb7STKCxHwq6nZBHLLHhaVwRqlLERgE4O2A',
  ),
  at('nuget-key', 'dotnet nuget push -k ', 'oy2b6xpj9288v6022bsjvcuk7fuwz76lqnwv82ogowb1h8'),
  at('rubygems-key', 'GEM_HOST_API_KEY ', 'rubygems_88406f01dacf2f18e43823fdcac4f894f9f3ca8178a4ef2d'),
  at('docker-token', 'docker login token ', 'dckr_pat_ZzHFvwHYmcI5J5LjS_jZyyl1DUT'),
  at(
    'vault-token',
    'X-Vault-Request: true, token ',
    'hvs.3D-uBXCftnKhWEKf4PpSu1djjTLFgOWEfAllaBSeSTx78MTvNY8lu_xoQ63BFi2kdhRk860Nqq2Rdhlgu0DHwzihjL',
  ),
  at('doppler-token', 'DOPPLER ', 'dp.pt.yT8mJsrR6hR6VCpwiIHTsCb2I1mBt6ipWC6eWGPpij2'),
  at(
    'terraform-token',
    'credentials "app.terraform.io" { ',
    '3VhllZeMbKjxwl.atlasv1.oAG_LafREBbRY9Ala8S7AcQcnEDuAotZkKgUeFvEuRalAgie3BhYG_Qk_KYFas0Gk04',
    ' }',
  ),
  at('pulumi-token', 'PULUMI ', 'pul-7f4f390e443a8f5cdfdbbf8c58ed5970de69be4f'),
  at('postman-key', 'postman ', 'PMAK-7fc2b77d214f5029b510ed80-650d086526bdae3ab8f8e4fdf147668b41'),
  at(
    'artifactory-token',
    'jfrog ',
    'AKCpCIpuQu2FJso2dxDXOgwV2PL76IMGkQmgBGi4Wf4BuS4apiYpXbTfyvuApuw9mVwC1MFdC',
  ),
  at('slack-token', 'SLACK_BOT_TOKEN ', 'xoxb-216022428458-6605456249259-lAnoYxqRx9eLjp1jqF5FPcxT'),
  at(
    'slack-token',
    'user token ',
    'xoxp-828440378795-830256664696-1526436332315-fb8dc5772e50961211cbb537e51e5f33',
  ),
  at(
    'slack-token',
    'app token ',
    'xapp-1-AZH331IFDIM-4403691027465-1c6a95198c60fcc33ae67fa7a88bb4402d7501fc9fcbdfaa2c5a7e70a12f670e',
  ),
  at(
    'slack-token',
    'POST https://hooks.slack.com/services/',
    'TPW921NH0/BCA4O5XJFDV/joERQFLGR0Ge4DrqZAIMryoN',
    ' 200',
  ),
  at(
    'teams-webhook',
    'POST https://contoso.webhook.office.com/webhookb2/3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f@72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/',
    '2c15546cc42db5f5b2f6e2a1c9d8b7a6/6731de76-14a6-49ae-97bc-6eba6914391e',
    ' 200',
  ),
  at(
    'discord-token',
    'bot token ',
    'NDE5NzUwMjI5MjYzNTg2MjM3.4lfusi.um5qetKOLqBTnbicN2I3Zob_Dp7mfQh_19WI53',
    ' invalid',
  ),
  at(
    'discord-token',
    'POST https://discord.com/api/webhooks/',
    '383876939821721760/eSvWrTkBzsR6GCFe69T0ouFcIIe9ck5IZSMxNRaMk_9piqwz1PnJLVxe7HbNttlLk_7s',
  ),
  at(
    'telegram-token',
    'GET https://api.telegram.org/bot',
    '2806924609:AAQup08LagtTxnwfNdC36qQ1KMj6x1ZxLCD',
    '/getMe',
  ),
  at('twilio-key', 'api key ', 'SKc8958d9c79c4415e830e50dade618e9b', ' created'),
  at('twilio-key', 'TWILIO_ACCOUNT_SID=', 'AC62d7aa3113d6d0e660815129fb4a18d4'),
  {
    kind: 'twilio-key',
    input:
      'curl -X POST https://api.twilio.com/x -u AC62d7aa3113d6d0e660815129fb4a18d4:ca1733359f4ffe64b78e8c5217b4be09',
    output: 'curl -X POST https://api.twilio.com/x -u [REDACTED:twilio-key]:[REDACTED:twilio-key]',
  },
  at('sendgrid-key', 'SENDGRID ', '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'),
  at('mailgun-key', 'api:', 'key-7cd81637af95476fc66272de18ee4eca', ' rejected'),
  at('mailchimp-key', 'mailchimp ', 'd56dad8a0c261af8a3a9aae97aa932b6-us14'),
  at(
    'brevo-key',
    'api-key header ',
    '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',
  ),
  at(
    'stripe-key',
    'stripe.api_key = "',
    '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',
    '"',
  ),
  at('stripe-key', 'restricted ', 'rk_live_kC6JAXXGWdjwhA0BlBWUEIU8k2Z2EwbbSx4TlLne'),
  at('stripe-key', 'test mode ', 'sk_test_iBTT0OLjxzn0JyGpwIjZ3lN1'),
  at('square-token', 'square ', 'sq0atp-DwW4JCuz7Azwi4c8UN9JpO'),
  at(
    'braintree-token',
    '{"braintree": "',
    'access_token$production$91fpojeujibco63m$816d9e395d09730cf9253faa53eefc9b',
    '"}',
  ),
  at('shopify-token', 'X-Shopify-Access-Token: ', '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'),
  at('shopify-token', 'shared secret ', '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'),
  at('openai-key', 'OPENAI_API_KEY ', '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'),
  at(
    'openai-key',
    'project key ',
    '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',
  ),
  at(
    'anthropic-key',
    'x-api-key header was ',
    'sk-ant-api03-iOHzR2HhZKZtBOeQgriLQlmfURSl4Km7ikGhC6ERD4AUrDlxKs5HdlBlg1uIDV1Lkurpv4hCiHAGeNuAAEFkbv2frPEvLAA',
  ),
  at('huggingface-token', 'HF ', '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'),
  at('groq-key', 'groq ', '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'),
  at('replicate-token', 'replicate ', 'r8_eUk3Qt74HmOiEHqqWQbfdpRR27pYYWnB74Woc'),
  at('perplexity-key', 'perplexity ', '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'),
  at(
    'xai-key',
    'grok ',
    'xai-pD8c5XLIqQYxggSLVvkAyFQxg4i6hBeZnWctk8uY8VygbtUv6dxUu5fAbUSMNLdQSq54mkdFGpisYpqH',
  ),
  at('langsmith-key', 'LANGSMITH ', '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'),
  at('datadog-key', 'DD_API_KEY=', 'b663f2cbd570b3c0bad679debb57b02b'),
  at('datadog-key', 'DD-APPLICATION-KEY: ', 'b663f2cbd570b3c0bad679debb57b02b0a1b2c3d'),
  at('newrelic-key', 'NEW_RELIC ', 'NRAK-N8Z5SRIMVB7VUTC2P2JD8VM29AL'),
  at('sentry-token', 'sentry ', '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'),
  at('grafana-token', 'grafana ', 'glsa_rJOFRpwCkJ7czG77pnbXKWH8FElt2yvH_65eba9fb'),
  at(
    'dynatrace-token',
    'Api-Token ',
    'dt0c01.DQR3KY1YM7C229BL8ZBYFN0U.GNMOVG1LNRZRRGUAJK5TG8D7MB1WJF74JD7568AIXV5AW8285BJTEYEP82087XN4',
  ),
  at('linear-key', 'linear ', 'lin_api_rm23pZqhewWtjsNz1LiinWmHlAmvZuUSFhLgOQF3'),
  at('notion-token', 'notion ', 'secret_HLHPlGhzfGHPP2FwcuCJmYdWv8zdVtFH1bzF0VT7E1k'),
  at('notion-token', 'notion ', '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'),
  at('figma-token', 'figma ', 'figd_oyL8ygFWFIkISUgz6O0p5vQttO25S8iCKil3_UI4'),
  at('contentful-token', 'contentful ', 'CFPAT-Lg5hL0K9X5UJtWDnmzJQRm2VPyImH8eXjKezLK8jGRO'),
  at(
    'private-key',
    'age identity ',
    'AGE-SECRET-KEY-1TQ5AX8CWFUR7ST2MXD2PDDZJAASL40760FQ44MP2S4E03JYRFAN4ZS2Z6F',
  ),
  at(
    'private-key',
    'ssh.com key ',
    `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n${PEM_BODY}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----`,
  ),
  at(
    'private-key',
    '{"type": "service_account", "private_key": "',
    `-----BEGIN PRIVATE KEY-----\\n${PEM_BODY}\\n-----END PRIVATE KEY-----`,
    '\\n"}',
  ),
  at(
    'private-key',
    'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIK\nx0Q\n',
    `Private-Lines: 1\n${PEM_BODY}\nPrivate-MAC: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`,
    '\n',
  ),
  at(
    'private-key',
    'PuTTY-User-Key-File-2: ssh-rsa\nEncryption: aes256-cbc\n',
    `Private-Lines: 14\n${PEM_BODY}`,
  ),
  at('url-credentials', 'mysql://root:', 'Zx9#qL2$wE', '@db.internal:3306/app'),
  at('url-credentials', 'mongodb+srv://admin:', 'a/b+c=d', '@cluster0.x.net/orders'),
  at('url-credentials', 'smtp://mailer:', '9#8@7:6!5$4', '@smtp.contoso.com:587'),
  at('url-credentials', 'redirect https://u:', 'p?q', '@example.com/users/joe@example.com'),
  at('password-field', 'ldap bind --password ', 'hunter2x', ' failed'),
  at('password-field', 'argv: ["psql", "--password", "', 'z7eRuV~FyQ7BrQ', '"]'),
  at('password-field', 'login failed (password: ', 'hunter2', ')'),
  at('password-field', 'sshpass -p ', 'S3cr3t', ' ssh deploy@host'),
  at('password-field', 'mysql -u root -p', 'S3cr3t', ' orders'),
  at('password-field', 'curl -u admin:', 'S3cretPass', ' https://api.contoso.com'),
  at('password-field', 'spring.datasource.password: ', 'Tr0ub4dor&3'),
  at(
    'password-field',
    '<credentials><user>alice</user><db_password>',
    'eQM8!Fg*lF*LeHJ',
    '</db_password></credentials>',
  ),
  at('password-field', '{"user": "alice", "passwd": "', '$uO82_a0eZdmuBZYG_qV', '", "remember": true}'),
  at('password-field', "DB_PASSWORD = '", 'correct horse', "'"),
  at('secret-field', 'client_secret: ', 'Zx81-abc_QWE'),
  at('secret-field', 'secret=', 'abcdef12'),
  at('secret-field', 'token=', 'c2VjcmV0dG9rZW4', '&next=1'),
  at('secret-field', 'docker run -e API_TOKEN=', 'f00dbabe42', ' app'),
  at('secret-field', 'AZURE_DEVOPS_EXT_PAT=', 'cjpakf3xkrhwouienxmbhtmttwqyumr7a63xcq3fmidsn5qvdweu'),
  at('secret-field', 'ALGOLIA_ADMIN_KEY=', 'b98e5dadce75d3fc88ad740dd805f288'),
  at('secret-field', 'vault write --client-secret ', 'Zx81-abc_QWE'),
  at('secret-field', '<ns:clientSecret>', 'GI3DWDkWWv0%Ea5', '</ns:clientSecret>'),
  at('secret-field', 'const config = { apiKey: "', 'plain words are fine when quoted', '" }'),
  at('auth-header', 'Authorization: Token ', '9f8e7d6c5b4a3210abcd'),
  at('auth-header', 'Authorization: ApiKey ', 'ZXhhbXBsZS1hcGkta2V5'),
  at('auth-header', 'Authorization: SSWS ', '00QCjAl4MlV-WPXM-ABCDEFGHIJKLMNOPQRSTUVWX'),
  at('auth-header', 'Proxy-Authorization: NTLM ', 'TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAF1YAAAADw=='),
  at('auth-header', 'WWW-Authenticate: Negotiate ', 'YIIBhgYGKwYBBQUCoIIBejCCAXagMDAuBgkqhkiC9xIBAgI='),
  at(
    'auth-header',
    'Authorization: Digest username="joe", realm="api", nonce="dcd98b", uri="/", response="',
    '6629fae49393a05397450978507c4ef1',
    '"',
  ),
  at(
    'auth-header',
    'Authorization: AWS4-HMAC-SHA256 Credential=[REDACTED:aws-key]/20240115/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=',
    'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
  ),
  at('auth-header', 'X-Api-Key: ', '3f9a8b7c6d5e4f3a2b1c'),
  at('auth-header', 'ocp-apim-subscription-key: ', '0a1b2c3d4e5f60718293a4b5c6d7e8f9'),
  at('auth-header', 'X-JFrog-Art-Api: ', 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5'),
];

describe('every secret kind', () => {
  it.each(CASES)('$kind: "$input"', ({ kind, input, output }) => {
    const counts = newRedactionCounts();
    expect(redactor.redact(input, counts)).toBe(output);
    expect(counts[kind]).toBeGreaterThanOrEqual(1);
  });

  it.each(CASES)(
    'finds $kind with a redactor built for that kind alone: "$input"',
    ({ kind, input, output }) => {
      // Marker text in the input (from another kind) stays as it is.
      expect(createRedactor([kind]).redact(input)).toBe(output);
    },
  );

  it.each(CASES)('changes nothing the second time: "$input"', ({ output }) => {
    expect(redactor.redact(output)).toBe(output);
  });

  it('has a case for every kind but the eleven and secret-field that redact.test.ts covers', () => {
    const covered = new Set([...CASES.map((c) => c.kind), ...SECRET_KINDS.slice(0, 11), 'secret-field']);
    expect(SECRET_KINDS.filter((k) => !covered.has(k))).toEqual([]);
  });

  it('covers at least 40 providers', () => {
    const generic = new Set(['jwt', 'bearer', 'basic-auth', 'url-credentials', 'private-key', 'card']);
    const providers = SECRET_KINDS.filter(
      (k) => !generic.has(k) && !k.endsWith('-field') && k !== 'auth-header',
    );
    expect(providers.length).toBeGreaterThanOrEqual(40);
  });
});

describe('token checksums', () => {
  it('accepts a GitHub token whose last six characters are the CRC32 of the rest', () => {
    expect(hasTokenChecksum('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')).toBe(true);
    expect(hasTokenChecksum('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')).toBe(true);
  });

  it('rejects the same token with one character changed', () => {
    expect(hasTokenChecksum('ghp_abcdefghijklmnopqrstuvwxyzABCE4dNndU')).toBe(false);
    expect(hasTokenChecksum('ghp_abcdefghijklmnopqrstuvwxyzABCD4dNndV')).toBe(false);
  });

  it('leaves a ghp_ word without a checksum or random look alone', () => {
    const text = 'rule ghp_abcdefghijklmnopqrstuvwxyzabcdefghij matched';
    expect(redactor.redact(text)).toBe(text);
  });
});
