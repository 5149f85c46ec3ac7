// Handlebars views from templates/ with Herald's helpers (filled in by the public pages work).
import fastifyView from '@fastify/view'
import fp from 'fastify-plugin'
import Handlebars from 'handlebars'
import { fileURLToPath } from 'node:url'

export const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url))

export default fp(async function viewPlugin (app) {
  const handlebars = Handlebars.create()
  await app.register(fastifyView, { engine: { handlebars }, root: templatesDir })
}, { name: 'herald-view' })
