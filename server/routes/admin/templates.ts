// Admin pages: templates (being written).
import type { FastifyInstance } from 'fastify'

export default async function templatesRoutes (_app: FastifyInstance): Promise<void> {}
