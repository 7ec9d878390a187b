// BASELINE — the HTTP ceiling on this machine: a minimal Fastify 5 server. `GET /` is the classic hello-world;
// `POST /v1/verify` parses the same JSON body the real service gets and answers a constant, so the cost of HTTP +
// JSON for that request shape is measured without any token work.
import Fastify from 'fastify';

async function main(): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  app.get('/', async () => ({ hello: 'world' }));
  app.get('/readyz', async () => ({ ready: true }));
  app.post('/v1/verify', async () => ({ hello: 'world' }));
  await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
