// The framework's ceiling for the read-path benchmark: a bare Fastify child process answering fixed paths with ready Buffers.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'

export interface CeilingRoute {
  path: string
  body: Buffer
  contentType: string
}

export interface Ceiling {
  url: string
  child: ChildProcess
  /** Ends the server and resolves once it has exited. */
  close: () => Promise<void>
}

interface Manifest {
  routes: Array<{ path: string, file: string, contentType: string }>
}

const self = fileURLToPath(import.meta.url)
const root = fileURLToPath(new URL('../../', import.meta.url))

/** The child's side: reads the manifest, serves each body from memory, prints its port. */
async function serve (manifestPath: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest
  const app = Fastify({ logger: false })
  for (const route of manifest.routes) {
    const body = readFileSync(route.file)
    // A plain (not async) handler and a Buffer: nothing to render, encode or await, as close to the ceiling as Fastify goes.
    app.get(route.path, (_request, reply) => {
      reply.header('content-type', route.contentType).send(body)
    })
  }
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address !== 'object') throw new Error('the ceiling server has no port')
  process.stdout.write(`ceiling listening on ${address.port}\n`)
  const stop = (): void => { app.close().then(() => process.exit(0), () => process.exit(1)) }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

/** Starts the ceiling server as a child process serving `routes`; the bodies are written to `dir` to hand them over. */
export async function startCeiling (routes: CeilingRoute[], dir: string, track: (child: ChildProcess) => void): Promise<Ceiling> {
  const manifest: Manifest = {
    routes: routes.map((route, index) => {
      const file = join(dir, `ceiling-body-${index}`)
      writeFileSync(file, route.body)
      return { path: route.path, file, contentType: route.contentType }
    })
  }
  const manifestPath = join(dir, 'ceiling-manifest.json')
  writeFileSync(manifestPath, JSON.stringify(manifest))
  const child = spawn(process.execPath, ['--import', 'tsx', self, manifestPath], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  track(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /ceiling listening on (\d+)/.exec(stdout)
      if (match !== null) resolve(Number(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`the ceiling server exited with ${code}: ${stderr.trim()}`)))
  })
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return { url: `http://127.0.0.1:${port}`, child, close }
}

if (process.argv[1] === self) {
  const manifestPath = process.argv[2]
  if (manifestPath === undefined) {
    process.stderr.write('usage: ceiling-server.ts <manifest.json>\n')
    process.exit(1)
  }
  serve(manifestPath).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  })
}
