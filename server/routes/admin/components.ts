// Admin pages: components (being written).
import type { FastifyInstance } from 'fastify'

export default async function componentsRoutes (_app: FastifyInstance): Promise<void> {}
