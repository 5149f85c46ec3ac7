// The attack corpus against every string field and parameter of the token API, then every public output of what it stored.
import t from 'tap'
import { attackCorpus, type FieldKind, urlCorpus } from '../fixtures/attack-corpus.js'
import { TestClock } from '../fixtures/build.js'
import { type ApiWorld, apiWorld, call, snapshot } from '../api/fixtures/api-world.js'
import { checkAll, encodeAny, publicAddresses } from './fixtures/outputs.js'

interface Field {
  method: 'POST' | 'PUT' | 'PATCH'
  url: (w: ApiWorld) => string
  /** A body the route accepts, which the field is added to; made per try where it must be unique (component names). */
  valid: Record<string, unknown> | ((n: number) => Record<string, unknown>)
  field: string
  kind: FieldKind
  /** The reference or id the answer names, kept to render its pages afterwards. */
  made?: 'reference' | 'component'
}

const maintenance = { name: 'Chat upgrade', body: 'We will upgrade chat.', scheduled_for: '2020-02-04T03:00:00Z', scheduled_until: '2020-02-04T05:00:00Z' }

// Every string field of every write route; a custom post text may be absent or null, but not blank.
const fields: Field[] = [
  ...(['name', 'group'] as const).map((field): Field => ({ method: 'POST', url: () => '/api/v1/components', valid: { name: 'Calls' }, field, kind: 'one-line', made: 'component' })),
  { method: 'POST', url: () => '/api/v1/components', valid: (n) => ({ name: `Calls ${n}` }), field: 'description', kind: 'optional-multi-line', made: 'component' },
  // Renamed in a group of its own: the names just created outside any group are taken there.
  ...(['name', 'group'] as const).map((field): Field => ({ method: 'PATCH', url: (w) => `/api/v1/components/${w.signInId}`, valid: field === 'name' ? { group: 'Renamed' } : {}, field, kind: 'one-line' })),
  { method: 'PATCH', url: (w) => `/api/v1/components/${w.signInId}`, valid: {}, field: 'description', kind: 'optional-multi-line' },
  { method: 'POST', url: () => '/api/v1/incidents', valid: { name: 'Calls drop', body: 'Looking.' }, field: 'name', kind: 'one-line', made: 'reference' },
  ...(['body', 'post_text'] as const).map((field): Field => ({ method: 'POST', url: () => '/api/v1/incidents', valid: { name: 'Calls drop', body: 'Looking.' }, field, kind: 'multi-line', made: 'reference' })),
  ...(['body', 'post_text'] as const).map((field): Field => ({ method: 'POST', url: (w) => `/api/v1/incidents/${w.reference}/updates`, valid: { body: 'Found it.', status: 'identified' }, field, kind: 'multi-line' })),
  { method: 'PATCH', url: (w) => `/api/v1/incidents/${w.reference}`, valid: {}, field: 'name', kind: 'one-line' },
  { method: 'PATCH', url: (w) => `/api/v1/incidents/${w.reference}/updates/${w.firstUpdateId}`, valid: {}, field: 'body', kind: 'multi-line' },
  { method: 'POST', url: () => '/api/v1/maintenances', valid: maintenance, field: 'name', kind: 'one-line', made: 'reference' },
  ...(['body', 'post_text'] as const).map((field): Field => ({ method: 'POST', url: () => '/api/v1/maintenances', valid: maintenance, field, kind: 'multi-line', made: 'reference' })),
  ...(['body', 'post_text'] as const).map((field): Field => ({ method: 'POST', url: () => '/api/v1/maintenances/MNT1/updates', valid: { body: 'Still planned.' }, field, kind: 'multi-line' })),
  { method: 'PATCH', url: () => '/api/v1/maintenances/MNT1', valid: {}, field: 'name', kind: 'one-line' },
  // PM1 is resolved: a postmortem is written about it and published, so the public outputs show what was typed.
  { method: 'PUT', url: () => '/api/v1/incidents/PM1/postmortem', valid: {}, field: 'body', kind: 'multi-line' },
  { method: 'POST', url: () => '/api/v1/incidents/PM1/postmortem/publish', valid: {}, field: 'body', kind: 'multi-line' },
  // Drafts: not public, so their outputs are the token API's own answers (checked as JSON below).
  ...(['name', 'body'] as const).map((field): Field => ({ method: 'POST', url: () => '/api/v1/drafts', valid: { name: 'Calls drop', body: 'Looking.' }, field, kind: field === 'name' ? 'one-line' : 'multi-line' })),
  ...(['name', 'body'] as const).map((field): Field => ({ method: 'PATCH', url: () => '/api/v1/drafts/1', valid: {}, field, kind: field === 'name' ? 'one-line' : 'multi-line' }))
]

t.test('every string field refuses what its kind refuses, storing nothing, and takes the rest as typed', async (t) => {
  const w = await apiWorld(t, new TestClock('2020-02-03T12:00:00.000Z'))
  t.equal((await call(w, 'POST', '/api/v1/maintenances', { payload: { ...maintenance, reference: 'MNT1' } })).statusCode, 201)
  t.equal((await call(w, 'POST', '/api/v1/incidents', { payload: { reference: 'PM1', name: 'Written up', body: 'Over.', status: 'resolved' } })).statusCode, 201)
  t.equal((await call(w, 'POST', '/api/v1/drafts', { payload: { name: 'Draft one', body: 'Not public.' } })).json().id, 1)
  const references = new Set([w.reference, 'MNT1', 'PM1'])
  const componentIds = new Set([String(w.chatId), String(w.signInId)])

  let tries = 0
  for (const { method, url, valid, field, kind, made } of fields) {
    for (const { label, text, refusedBy } of attackCorpus) {
      const what = `${method} ${url(w)} ${field}: ${label}`
      const before = refusedBy.includes(kind) ? snapshot(w.app) : undefined
      const response = await call(w, method, url(w), { payload: { ...(typeof valid === 'function' ? valid(tries++) : valid), [field]: text } })
      if (before !== undefined) {
        // Not t.same on every request: thousands of deep comparisons; a difference is reported once, by name.
        if (response.statusCode !== 400) t.fail(`${what}: ${response.statusCode}, not 400`)
        else if (!new RegExp(`^body/${field} `).test(String(response.json().message))) t.fail(`${what}: the message names no field: ${String(response.json().message)}`)
        if (JSON.stringify(snapshot(w.app)) !== JSON.stringify(before)) t.fail(`${what}: something was stored`)
      } else {
        if (response.statusCode !== 200 && response.statusCode !== 201) {
          t.fail(`${what}: ${response.statusCode} ${response.body.slice(0, 200)}`)
          continue
        }
        const json = response.json()
        if (made === 'reference') references.add(json.reference)
        if (made === 'component') componentIds.add(String(json.id))
        if (!JSON.stringify(json).includes(JSON.stringify(text).slice(1, -1))) t.fail(`${what}: not kept as typed`)
      }
    }
  }
  t.pass(`${fields.length} fields, ${attackCorpus.length} strings each`)

  t.test('path parameters and the query', async (t) => {
    const before = snapshot(w.app)
    for (const { label, text } of urlCorpus) {
      const value = encodeAny(text)
      for (const [method, url] of [
        ['GET', `/api/v1/incidents/${value}`], ['PATCH', `/api/v1/incidents/${value}`], ['POST', `/api/v1/incidents/${value}/updates`],
        ['PATCH', `/api/v1/incidents/${w.reference}/updates/${value}`], ['GET', `/api/v1/components/${value}`], ['PATCH', `/api/v1/components/${value}`],
        ['GET', `/api/v1/maintenances/${value}`], ['GET', `/api/v1/maintenances?state=${value}`],
        ['GET', `/api/v1/incidents/${value}/postmortem`], ['PUT', `/api/v1/incidents/${value}/postmortem`],
        ['POST', `/api/v1/incidents/${value}/postmortem/publish`], ['POST', `/api/v1/incidents/${value}/postmortem/unpublish`],
        ['GET', `/api/v1/drafts/${value}`], ['PATCH', `/api/v1/drafts/${value}`], ['POST', `/api/v1/drafts/${value}/publish`],
        ['POST', `/api/v1/monitors/${value}/run`], ['POST', `/api/v1/heartbeats/${value}`], ['POST', `/api/v1/heartbeats/${value}/fail`]
      ] as Array<['GET' | 'PATCH' | 'POST' | 'PUT', string]>) {
        const response = await call(w, method, url, method === 'GET' ? {} : { payload: { name: 'x', body: 'x', status: 'identified' } })
        if (response.statusCode < 400 || response.statusCode >= 500) t.fail(`${method} ${url} (${label}): ${response.statusCode}`)
        if (!/^application\/json/.test(String(response.headers['content-type']))) t.fail(`${method} ${url}: not JSON`)
      }
    }
    t.same(snapshot(w.app), before, 'nothing stored')
  })

  t.test('every public output of what was stored', async (t) => {
    const addresses = publicAddresses(w.app, { reference: [...references], id: [...componentIds], page: ['1', '2', '3'] })
    t.ok(addresses.length > references.size + componentIds.size, 'each incident, maintenance and component has its pages')
    await checkAll(t, w.app, addresses)
    for (const reference of references) await checkAll(t, w.app, [`/api/v1/incidents/${reference}`], { authorization: `Bearer ${w.token}` })
    await checkAll(t, w.app, ['/api/v1/incidents/PM1/postmortem', '/api/v1/drafts', '/api/v1/drafts/1'], { authorization: `Bearer ${w.token}` })
    t.pass(`${addresses.length} addresses`)
  })
})
