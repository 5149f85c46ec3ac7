// The token API under /api/v1 (filled in by the API work).
import type { FastifyInstance } from 'fastify'

export default async function apiRoutes (_app: FastifyInstance): Promise<void> {}
