// Admin pages: setup (being written).
import type { FastifyInstance } from 'fastify'

export default async function setupRoutes (_app: FastifyInstance): Promise<void> {}
