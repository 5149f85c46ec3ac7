// GET /history.rss (filled in by the feed work).
import type { FastifyInstance } from 'fastify'

export default async function feedRoutes (_app: FastifyInstance): Promise<void> {}
