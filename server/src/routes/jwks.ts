// GET /.well-known/jwks.json: public keys of the trust store inside their validity period.
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../context';
import { toJwks } from '../keys/jwks';

export function registerJwksRoute(app: FastifyInstance, context: ServiceContext): void {
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    const jwks = toJwks(context.trustStore.validKeys(context.now()), context.config.algorithms[0]!);
    return reply
      .header('cache-control', 'public, max-age=300')
      .type('application/jwk-set+json; charset=utf-8')
      .send(JSON.stringify(jwks));
  });
}
