// The admin web UI under /admin (filled in by the admin work).
import type { FastifyInstance } from 'fastify'

export default async function adminRoutes (_app: FastifyInstance): Promise<void> {}
