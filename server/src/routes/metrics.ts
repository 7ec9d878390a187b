// GET /metrics: Prometheus text format.
import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../context';

export function registerMetricsRoute(app: FastifyInstance, context: ServiceContext): void {
  app.get('/metrics', async (_request, reply) => {
    const body = await context.metrics.registry.metrics();
    return reply.type(context.metrics.registry.contentType).send(body);
  });
}
