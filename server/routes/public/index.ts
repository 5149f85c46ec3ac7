// The public site: status page, incident pages, history and feeds (filled in by the public pages work).
import type { FastifyInstance } from 'fastify'

export default async function publicRoutes (_app: FastifyInstance): Promise<void> {}
