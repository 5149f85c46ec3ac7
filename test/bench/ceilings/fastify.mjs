// The read-path benchmark's bare Fastify ceiling: plain JavaScript run by plain `node`, answering Herald's bytes and headers from ready Buffers.
import './keep-tick-shape.mjs'
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import { loadManifest } from './manifest.mjs'

const manifestPath = process.argv[2]
if (manifestPath === undefined) {
  process.stderr.write('usage: node fastify.mjs <manifest.json>\n')
  process.exit(1)
}

const app = Fastify({ logger: false })
for (const [path, variants] of loadManifest(readFileSync(manifestPath, 'utf8'))) {
  const identity = variants.get('identity')
  // A plain (not async) handler and a ready Buffer: nothing to render, encode or await, as close to the ceiling as Fastify goes.
  // The variant is picked by the exact Accept-Encoding the benchmark sends: one lookup, as cheap as a ceiling can be.
  app.get(path, (request, reply) => {
    const variant = variants.get(request.headers['accept-encoding'] ?? 'identity') ?? identity
    reply.code(variant.status).headers(variant.headers).send(variant.body)
  })
}
await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`ceiling listening on ${app.server.address().port}\n`)
const stop = () => { app.close().then(() => process.exit(0), () => process.exit(1)) }
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
