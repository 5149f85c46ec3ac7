// Admin pages: preview (being written).
import type { FastifyInstance } from 'fastify'

export default async function previewRoutes (_app: FastifyInstance): Promise<void> {}
