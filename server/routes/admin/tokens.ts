// Admin pages: tokens (being written).
import type { FastifyInstance } from 'fastify'

export default async function tokensRoutes (_app: FastifyInstance): Promise<void> {}
