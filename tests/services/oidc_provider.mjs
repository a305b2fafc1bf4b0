// A local OpenID Connect provider for tests (npm oidc-provider), on 127.0.0.1.
//
// Usage: node oidc_provider.mjs   with env PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI,
// DEFAULT_LOGIN. The interaction policy signs in the account named by `login_hint` (else
// DEFAULT_LOGIN) without a login form and grants the requested scopes. Accounts whose
// email starts with "unverified" report email_verified=false; those starting with
// "stringfalse" report the string "false" (as some providers do). Keys are generated at start.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: sub,
          email_verified: sub.startsWith('stringfalse') ? 'false' : !sub.startsWith('unverified'),
          name: `OIDC ${sub.split('@')[0]}`,
        };
      },
    };
  },
});

provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/interaction/')) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session } = details;
  ctx.respond = false;
  if (prompt.name === 'login') {
    const accountId = params.login_hint || process.env.DEFAULT_LOGIN;
    return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId } }, {
      mergeWithLastSubmission: false,
    });
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  return provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, {
    mergeWithLastSubmission: true,
  });
});

provider.listen(port, '127.0.0.1', () => console.log(`oidc provider listening on ${issuer}`));
