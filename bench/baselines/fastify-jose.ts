// BASELINE — a hand-written reference verifier, NOT prechat-guard. What people commonly write with Fastify and jose:
// the certificate imported once, then `jose.jwtVerify` on every request with algorithms, issuer and audience pinned
// (exp is checked by default). No kid lookup, no claim formats, no binding. Kept only to compare speed in `npm run bench`.
import Fastify from 'fastify';
import { importX509, jwtVerify } from 'jose';
import { baselineSettings } from './env';

async function main(): Promise<void> {
  const settings = baselineSettings();
  const key = await importX509(settings.certificatePem, 'RS256');
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  // readiness probe only, so the bench can time start-up the same way for every server
  app.get('/readyz', async () => ({ ready: true }));
  app.post<{ Body: { token?: unknown } }>('/v1/verify', async (req, reply) => {
    if (req.headers.authorization !== `Bearer ${settings.callerKey}`) {
      return reply.code(401).send({ error: 'unauthorized' });
    }
    const token = req.body?.token;
    if (typeof token !== 'string') return reply.code(400).send({ error: 'bad_request' });
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        issuer: settings.issuer,
        audience: settings.audience,
      });
      return { valid: true, userId: payload.sub, claims: payload };
    } catch (error) {
      return { valid: false, reason: (error as { code?: string }).code ?? 'error' };
    }
  });
  await app.listen({ port: settings.port, host: settings.host });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
