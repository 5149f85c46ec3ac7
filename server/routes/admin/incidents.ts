// Admin pages: incidents (being written).
import type { FastifyInstance } from 'fastify'

export default async function incidentsRoutes (_app: FastifyInstance): Promise<void> {}
