// Starts the read-path benchmark's ceilings: separate plain `node` processes (no tsx, no loader) answering Herald's recorded bytes and headers.
import { type ChildProcess, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One answer of Herald's, as recorded for one Accept-Encoding. */
export interface CeilingVariant {
  /** The Accept-Encoding header the benchmark sends for it ('identity', 'br'). */
  acceptEncoding: string
  status: number
  headers: Record<string, string>
  body: Buffer
}

export interface CeilingRoute {
  path: string
  variants: CeilingVariant[]
}

/** bare Fastify (a plain handler sending a Buffer) or plain node:http (writeHead and end). */
export type CeilingKind = 'fastify' | 'node-http'

export interface Ceiling {
  kind: CeilingKind
  url: string
  child: ChildProcess
  /** Ends the server and resolves once it has exited. */
  close: () => Promise<void>
}

const root = fileURLToPath(new URL('../../', import.meta.url))
const scripts: Record<CeilingKind, string> = {
  fastify: fileURLToPath(new URL('ceilings/fastify.mjs', import.meta.url)),
  'node-http': fileURLToPath(new URL('ceilings/node-http.mjs', import.meta.url))
}

/** Writes the bodies and the manifest both ceilings read to `dir`; returns the manifest's path. */
export function writeManifest (routes: CeilingRoute[], dir: string): string {
  const manifest = {
    routes: routes.map((route, index) => ({
      path: route.path,
      variants: route.variants.map(({ acceptEncoding, status, headers, body }) => {
        const file = join(dir, `ceiling-body-${index}-${acceptEncoding}`)
        writeFileSync(file, body)
        return { acceptEncoding, status, headers, file }
      })
    }))
  }
  const manifestPath = join(dir, 'ceiling-manifest.json')
  writeFileSync(manifestPath, JSON.stringify(manifest))
  return manifestPath
}

/** The environment of a child started with plain `node` (a ceiling, the poster): the bench itself runs through tsx, and the child gets neither its flags nor NODE_OPTIONS. */
export function plainNodeEnv (): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  return env
}

/** Starts one ceiling on the manifest, with plain `node`. */
export async function startCeiling (kind: CeilingKind, manifestPath: string, track: (child: ChildProcess) => void): Promise<Ceiling> {
  const child = spawn(process.execPath, [scripts[kind], manifestPath], { cwd: root, env: plainNodeEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
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
    child.once('exit', (code) => reject(new Error(`the ${kind} ceiling exited with ${code}: ${stderr.trim()}`)))
  })
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return { kind, url: `http://127.0.0.1:${port}`, child, close }
}
