// The OpenAPI document: generated from the route schemas, public, with every API path and the bearer scheme.
import t from 'tap'
import { apiWorld, call } from './fixtures/api-world.js'

t.test('GET /api/v1/openapi.json documents the token API', async (t) => {
  const w = await apiWorld(t)
  const response = await call(w, 'GET', '/api/v1/openapi.json', { anonymous: true })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const doc = response.json()
  t.match(doc.openapi, /^3\.\d+\.\d+$/)
  t.match(doc.info, { title: 'Example Status token API', version: String })
  t.same(doc.servers, [{ url: 'https://status.example.com' }])

  t.same(Object.keys(doc.paths).sort(), [
    '/api/v1/component-groups/{id}/operational',
    '/api/v1/components',
    '/api/v1/components/{id}',
    '/api/v1/drafts',
    '/api/v1/drafts/{id}',
    '/api/v1/drafts/{id}/publish',
    '/api/v1/heartbeats/{secret}',
    '/api/v1/heartbeats/{secret}/fail',
    '/api/v1/incidents',
    '/api/v1/incidents/{reference}',
    '/api/v1/incidents/{reference}/postmortem',
    '/api/v1/incidents/{reference}/postmortem/publish',
    '/api/v1/incidents/{reference}/postmortem/unpublish',
    '/api/v1/incidents/{reference}/updates',
    '/api/v1/incidents/{reference}/updates/{id}',
    '/api/v1/maintenances',
    '/api/v1/maintenances/{reference}',
    '/api/v1/maintenances/{reference}/updates',
    '/api/v1/monitors',
    '/api/v1/monitors/{id}',
    '/api/v1/monitors/{id}/events',
    '/api/v1/monitors/{id}/heartbeat-secret',
    '/api/v1/monitors/{id}/pause',
    '/api/v1/monitors/{id}/resume',
    '/api/v1/monitors/{id}/run',
    '/api/v1/monitors/{id}/runs',
    '/api/v1/openapi.json'
  ], 'every API path, and nothing of the public site')
  const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`)).sort()
  t.same(operations, [
    'DELETE /api/v1/drafts/{id}',
    'DELETE /api/v1/monitors/{id}',
    'GET /api/v1/components',
    'GET /api/v1/components/{id}',
    'GET /api/v1/drafts',
    'GET /api/v1/drafts/{id}',
    'GET /api/v1/incidents/{reference}',
    'GET /api/v1/incidents/{reference}/postmortem',
    'GET /api/v1/maintenances',
    'GET /api/v1/maintenances/{reference}',
    'GET /api/v1/monitors',
    'GET /api/v1/monitors/{id}',
    'GET /api/v1/monitors/{id}/events',
    'GET /api/v1/monitors/{id}/runs',
    'GET /api/v1/openapi.json',
    'PATCH /api/v1/components/{id}',
    'PATCH /api/v1/drafts/{id}',
    'PATCH /api/v1/incidents/{reference}',
    'PATCH /api/v1/incidents/{reference}/updates/{id}',
    'PATCH /api/v1/maintenances/{reference}',
    'PATCH /api/v1/monitors/{id}',
    'POST /api/v1/component-groups/{id}/operational',
    'POST /api/v1/components',
    'POST /api/v1/drafts',
    'POST /api/v1/drafts/{id}/publish',
    'POST /api/v1/heartbeats/{secret}',
    'POST /api/v1/heartbeats/{secret}/fail',
    'POST /api/v1/incidents',
    'POST /api/v1/incidents/{reference}/postmortem/publish',
    'POST /api/v1/incidents/{reference}/postmortem/unpublish',
    'POST /api/v1/incidents/{reference}/updates',
    'POST /api/v1/maintenances',
    'POST /api/v1/maintenances/{reference}/updates',
    'POST /api/v1/monitors',
    'POST /api/v1/monitors/{id}/heartbeat-secret',
    'POST /api/v1/monitors/{id}/pause',
    'POST /api/v1/monitors/{id}/resume',
    'POST /api/v1/monitors/{id}/run',
    'PUT /api/v1/incidents/{reference}/postmortem',
    'PUT /api/v1/monitors/{id}'
  ])
})

t.test('every operation is well formed: a unique operationId, its path parameters, a success answer', async (t) => {
  const w = await apiWorld(t)
  const doc = (await call(w, 'GET', '/api/v1/openapi.json', { anonymous: true })).json()
  const ids = new Set<string>()
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const [method, operation] of Object.entries(methods)) {
      const where = `${method} ${path}`
      t.type(operation.operationId, 'string', `${where}: operationId`)
      t.notOk(ids.has(operation.operationId), `${where}: operationId is unique`)
      ids.add(operation.operationId)
      t.ok(operation.summary, `${where}: summary`)
      const parameters = (operation.parameters ?? []).filter((p: { in: string }) => p.in === 'path')
      t.same(parameters.map((p: { name: string }) => p.name).sort(), names, `${where}: path parameters`)
      t.ok(Object.keys(operation.responses).some((code) => /^2\d\d$/.test(code)), `${where}: a success answer`)
    }
  }
  t.equal(ids.size, 40)
  t.notMatch(JSON.stringify(doc), /"\$ref"/, 'every schema is inline: nothing dangles')
})

t.test('the document declares the bearer scheme, required everywhere but on itself', async (t) => {
  const w = await apiWorld(t)
  const doc = (await call(w, 'GET', '/api/v1/openapi.json', { anonymous: true })).json()
  const [schemeName] = Object.keys(doc.components.securitySchemes)
  t.match(doc.components.securitySchemes[schemeName as string], { type: 'http', scheme: 'bearer' })
  t.same(doc.security, [{ [schemeName as string]: [] }])
  t.same(doc.paths['/api/v1/openapi.json'].get.security, [], 'the document itself is public')
  t.same(doc.paths['/api/v1/heartbeats/{secret}'].post.security, [], 'a heartbeat\'s secret is its credential')
})

t.test('the schemas in the document are the ones the routes validate with', async (t) => {
  const w = await apiWorld(t)
  const doc = (await call(w, 'GET', '/api/v1/openapi.json', { anonymous: true })).json()
  const open = doc.paths['/api/v1/incidents'].post
  const body = open.requestBody.content['application/json'].schema
  t.match(body, {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'body'],
    properties: {
      name: { type: 'string', maxLength: 200 },
      status: { enum: ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] },
      impact: { enum: ['none', 'minor', 'major', 'critical'] },
      reference: { pattern: '^[A-Za-z0-9]{2,32}$' },
      display_at: { type: 'string', format: 'date-time' },
      components: { type: 'object', propertyNames: { pattern: '^[1-9][0-9]{0,14}$' }, additionalProperties: { enum: Array } }
    }
  })
  t.match(open.responses['201'].content['application/json'].schema, {
    properties: {
      reference: { type: 'string' },
      updates: { type: 'array', items: { properties: { affected_components: { type: 'array' } } } }
    }
  })
  for (const code of ['400', '401', '409', '413', '415']) {
    t.match(open.responses[code], { description: String, content: { 'application/json': { schema: { properties: { message: { type: 'string' } } } } } }, code)
    const schema = open.responses[code].content['application/json'].schema
    t.match(schema.properties.field, { type: 'string', description: /field the error is about/ }, `${code}: the field it is about`)
    t.notOk(schema.required.includes('field'), `${code}: only when there is one`)
  }
  const patch = doc.paths['/api/v1/components/{id}'].patch
  t.match(patch.parameters, [{ in: 'path', name: 'id', required: true, schema: { type: 'string', pattern: String } }])
  t.match(patch.requestBody.content['application/json'].schema, { additionalProperties: false, minProperties: 1 })
  t.match(doc.paths['/api/v1/components'].get.responses['200'].content['application/json'].schema, {
    type: 'array',
    items: { required: ['id', 'name', 'description', 'group', 'group_id', 'position', 'status', 'created_at', 'updated_at'] }
  })
})

t.test('every answer is described without unions: nullable fields list their types, so answers are written without Ajv', async (t) => {
  const w = await apiWorld(t)
  const doc = (await call(w, 'GET', '/api/v1/openapi.json', { anonymous: true })).json()
  const unions: string[] = []
  const walk = (schema: unknown, at: string): void => {
    if (schema === null || typeof schema !== 'object') return
    for (const keyword of ['anyOf', 'oneOf', 'allOf', 'if']) if (keyword in schema) unions.push(`${at}/${keyword}`)
    for (const [key, value] of Object.entries(schema)) walk(value, `${at}/${key}`)
  }
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, { responses: unknown }>>)) {
    for (const [method, operation] of Object.entries(methods)) walk(operation.responses, `${method.toUpperCase()} ${path}`)
  }
  t.same(unions, [], 'no anyOf, oneOf, allOf or if in any answer\'s schema')
  const incident = doc.paths['/api/v1/incidents/{reference}'].get.responses['200'].content['application/json'].schema.properties
  t.same(incident.resolved_at, { type: ['string', 'null'], format: 'date-time' })
  const monitor = doc.paths['/api/v1/monitors/{id}'].get.responses['200'].content['application/json'].schema.properties
  t.match(monitor.last_run, { type: ['object', 'null'], required: ['at', 'result', 'latency_ms', 'error'], properties: { latency_ms: { type: ['integer', 'null'] } } })
  t.match(monitor.expected_status, { type: ['integer', 'string'] })
  const draft = doc.paths['/api/v1/drafts/{id}'].get.responses['200'].content['application/json'].schema.properties
  t.match(draft.impact, { type: ['string', 'null'], enum: ['none', 'minor', 'major', 'critical', null] })
  // Requests keep their unions: a wrong value's message names each alternative (validation-messages).
  const keyword = doc.paths['/api/v1/monitors/{id}'].patch.requestBody.content['application/json'].schema.properties.keyword
  t.ok('anyOf' in keyword, 'request bodies are left as they are')
})

t.test('the maintenance operations document their bodies, statuses and answers', async (t) => {
  const w = await apiWorld(t)
  const doc = (await call(w, 'GET', '/api/v1/openapi.json', { anonymous: true })).json()
  const schedule = doc.paths['/api/v1/maintenances'].post
  t.match(schedule, { operationId: 'scheduleMaintenance', tags: ['maintenances'] })
  t.match(schedule.requestBody.content['application/json'].schema, {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'body', 'scheduled_for', 'scheduled_until'],
    properties: {
      scheduled_for: { type: 'string', format: 'date-time' },
      scheduled_until: { type: 'string', format: 'date-time' },
      components: { type: 'array', items: { type: 'integer', minimum: 1 } },
      auto_start: { type: 'boolean', description: /true by default/ },
      auto_complete: { type: 'boolean', description: /true by default/ },
      notify: { type: 'boolean' },
      reference: { pattern: '^[A-Za-z0-9]{2,32}$' }
    }
  })
  t.match(schedule.responses['201'].content['application/json'].schema, {
    properties: {
      reference: { type: 'string' },
      status: { enum: ['scheduled', 'in_progress', 'verifying', 'completed'] },
      scheduled_for: { type: 'string', format: 'date-time' },
      scheduled_until: { type: 'string', format: 'date-time' },
      auto_start: { type: 'boolean' },
      auto_complete: { type: 'boolean' },
      updates: { type: 'array' }
    }
  })
  for (const code of ['400', '401', '409', '413', '415']) t.ok(schedule.responses[code], `POST answers ${code}`)
  const update = doc.paths['/api/v1/maintenances/{reference}/updates'].post
  t.match(update.requestBody.content['application/json'].schema, {
    additionalProperties: false,
    required: ['body'],
    properties: { status: { enum: ['scheduled', 'in_progress', 'verifying', 'completed'] }, display_at: { format: 'date-time' } }
  })
  for (const code of ['400', '401', '404', '409', '413', '415']) t.ok(update.responses[code], `updates answer ${code}`)
  const patch = doc.paths['/api/v1/maintenances/{reference}'].patch
  t.match(patch.requestBody.content['application/json'].schema, { additionalProperties: false, minProperties: 1 })
  t.notOk(patch.requestBody.content['application/json'].schema.properties.status, 'the status moves by updates, not by PATCH')
  t.match(doc.paths['/api/v1/maintenances'].get.parameters, [{ in: 'query', name: 'state', schema: { enum: ['upcoming', 'active', 'all'] } }])
  t.match(doc.paths['/api/v1/maintenances'].get.responses['200'].content['application/json'].schema, { properties: { maintenances: { type: 'array' } } })
  // An incident's update still takes only an incident's statuses.
  t.same(doc.paths['/api/v1/incidents/{reference}/updates'].post.requestBody.content['application/json'].schema.properties.status.enum,
    ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'])
})
