// Every route declares a TypeBox schema for what it reads: its path parameters, its query (GET) and its body (POST, PATCH).
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { build } from '../fixtures/build.js'
import { routesOf } from '../fixtures/routes.js'

t.test('every route of Herald declares its params, its query or its body', async (t) => {
  const app = await build(t)
  // HEAD routes are Fastify's copies of the GETs; /static/* is @fastify/static's own.
  const routes = routesOf(app).filter((route) => route.method !== 'HEAD' && !route.path.startsWith('/static/'))
  t.ok(routes.length > 50, 'the routes were recorded')
  const missing: string[] = []
  for (const { method, path: url, schema } of routes) {
    const names = [...url.matchAll(/:([A-Za-z_]+)/g)].map((match) => match[1] as string)
    const params = Object.keys(schema.params?.properties ?? {})
    if (names.some((name) => !params.includes(name))) missing.push(`${method} ${url}: params`)
    if (method === 'GET' && schema.querystring === undefined) missing.push(`${method} ${url}: querystring`)
    if (['POST', 'PUT', 'PATCH'].includes(method) && schema.body === undefined) missing.push(`${method} ${url}: body`)
  }
  t.same(missing, [], 'no route reads input it has not declared')
})

t.test('no handler casts what it reads: the type provider gives each route the type of its schema', async (t) => {
  const root = join(import.meta.dirname, '../../server')
  const casts: string[] = []
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'))) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n')
    lines.forEach((line, index) => { if (/request\.(params|query|body)\)? as\b/.test(line)) casts.push(`server/${file}:${index + 1}`) })
  }
  t.same(casts, [])
})
