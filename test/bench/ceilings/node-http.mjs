// The read-path benchmark's plain node:http ceiling: run by plain `node`, answering Herald's bytes and headers with writeHead and end.
import './keep-tick-shape.mjs'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { loadManifest } from './manifest.mjs'

const manifestPath = process.argv[2]
if (manifestPath === undefined) {
  process.stderr.write('usage: node node-http.mjs <manifest.json>\n')
  process.exit(1)
}

const routes = loadManifest(readFileSync(manifestPath, 'utf8'))
const server = createServer((req, res) => {
  const variants = routes.get(req.url)
  if (variants === undefined) {
    res.writeHead(404)
    res.end()
    return
  }
  const variant = variants.get(req.headers['accept-encoding'] ?? 'identity') ?? variants.get('identity')
  res.writeHead(variant.status, variant.headers)
  res.end(variant.body)
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ceiling listening on ${server.address().port}\n`)
})
const stop = () => { server.close(() => process.exit(0)); server.closeAllConnections() }
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
