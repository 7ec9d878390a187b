// GET /healthz (alive) and GET /readyz (keys loaded and binding store reachable; 503 otherwise, with detail).
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../context';
import { EXPIRY_WARNING_DAYS } from '../keys/certificate';

export function registerHealthRoutes(app: FastifyInstance, context: ServiceContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const nowMs = context.now();
    const snapshot = context.trustStore.snapshot;
    const validKeys = context.trustStore.validKeys(nowMs);
    const storeOk = await context.bindings.ping();
    const expiringSoon = [...snapshot.keys.values()]
      .filter((key) => key.notAfter.getTime() - nowMs < EXPIRY_WARNING_DAYS * 86_400_000)
      .map((key) => ({
        kid: key.kid,
        notAfter: key.notAfter.toISOString(),
        expired: key.notAfter.getTime() < nowMs,
      }));
    const ready = validKeys.length > 0 && storeOk;
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      keys: { loaded: snapshot.keys.size, valid: validKeys.length, expiringSoon, problems: snapshot.problems.length },
      bindingStore: { kind: context.bindings.kind, reachable: storeOk },
      ...(ready
        ? {}
        : {
            detail:
              validKeys.length === 0
                ? 'No trusted certificate inside its validity period is loaded from the trust store.'
                : 'The binding store does not answer; verifications are refused until it does.',
          }),
    });
  });
}
