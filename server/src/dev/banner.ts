// The dev-mode banner: where the key material is, the caller key, and a curl line that verifies a fresh token.
import type { ServiceContext } from '../context';
import { mintIdentityToken } from '../tokens/mint';

export const DEV_USER_ID = '005000000000001AAA';

export function devBanner(context: ServiceContext, host: string, port: number): string {
  const dev = context.dev!;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const minted = mintIdentityToken({
    privateKey: dev.privateKey,
    kid: dev.kid,
    issuer: context.config.issuer,
    audience: context.config.audience,
    userId: DEV_USER_ID,
    nowSeconds: Math.floor(context.now() / 1000),
  });
  const auth = `-H 'authorization: Bearer ${dev.callerKey}'`;
  const json = `-H 'content-type: application/json'`;
  return [
    '',
    'prechat-guard is running in DEV MODE (not for production: set PRECHAT_GUARD_TRUST_DIR and NODE_ENV=production).',
    `  dev certificate (trusted, kid "${dev.kid}"): ${dev.certPath}`,
    `  caller key (dev only): ${dev.callerKey}`,
    '',
    'Verify a token minted just now for the dev user (valid for 5 minutes; the first call with a sessionKey binds it):',
    `  curl -s ${auth} ${json} -d '{"token":"${minted.token}","userId":"${DEV_USER_ID}","sessionKey":"0Mw000000000001AAA"}' ${base}/v1/verify`,
    '',
    'Mint a fresh one:',
    `  curl -s ${auth} ${json} -d '{"userId":"${DEV_USER_ID}"}' ${base}/v1/dev/mint`,
    '',
  ].join('\n');
}
