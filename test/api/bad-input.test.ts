// Every write route of the token API against bad input: each gets a clear 4xx naming the field, and nothing is stored.
import t, { type Test } from 'tap'
import { limits } from '../../server/domain/text.js'
import { type ApiWorld, apiWorld, call, errorOf, hostileText, snapshot } from './fixtures/api-world.js'

interface TextField {
  field: string
  limit: number
  /** Tab and line breaks are allowed. */
  multiLine: boolean
  /** May be empty (a description). */
  mayBeEmpty?: boolean
}

interface WriteRoute {
  title: string
  method: 'POST' | 'PATCH'
  url: (w: ApiWorld) => string
  /** A body the route accepts. */
  valid: (w: ApiWorld) => Record<string, unknown>
  success: number
  required: string[]
  text: TextField[]
  /** Values of the wrong type or shape, by field. */
  wrong: Record<string, unknown[]>
  enums: string[]
  /** The value of a text field as the write answered it, then as a later GET reads it. */
  written: (json: any, field: string) => unknown
  readBack: (w: ApiWorld, json: any, field: string) => Promise<unknown>
}

const name: TextField = { field: 'name', limit: limits.name, multiLine: false }
const body: TextField = { field: 'body', limit: limits.body, multiLine: true }
const group: TextField = { field: 'group', limit: limits.groupName, multiLine: false }
const description: TextField = { field: 'description', limit: limits.description, multiLine: true, mayBeEmpty: true }

const tooManyComponents = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [String(i + 1), 'operational']))
const badComponentMaps = [[], 'Chat', 42, null, { abc: 'operational' }, { 0: 'operational' }, { 1.5: 'operational' }, { 1: 'broken' }, { 1: null }, tooManyComponents]
const badTimes = ['yesterday', 1580738400000, '2020-02-03', '2020-02-03T14:00:00', '2020-13-03T14:00:00Z', '2020-02-30T14:00:00Z', '', null]
const badReferences = [202916, 'T', 'TM-202916', 'TM 202916', 'x'.repeat(33), '', null]

async function readComponent (w: ApiWorld, json: any, field: string): Promise<unknown> {
  return (await call(w, 'GET', `/api/v1/components/${json.id as number}`)).json()[field]
}

async function readIncident (w: ApiWorld, json: any): Promise<any> {
  return (await call(w, 'GET', `/api/v1/incidents/${json.reference as string}`)).json()
}

let componentsMade = 0

const routes: WriteRoute[] = [
  {
    title: 'POST /api/v1/components',
    method: 'POST',
    url: () => '/api/v1/components',
    // A new name each time: a second component of the same name in the same group is refused (409).
    valid: () => ({ name: `Calls ${++componentsMade}` }),
    success: 201,
    required: ['name'],
    text: [name, description, group],
    wrong: { name: [42, true, [], null, {}], description: [5, null, []], group: [5, null, []], position: ['1', 1.5, -1, 1_000_001, null, true] },
    enums: [],
    written: (json, field) => json[field],
    readBack: readComponent
  },
  {
    title: 'PATCH /api/v1/components/:id',
    method: 'PATCH',
    url: (w) => `/api/v1/components/${w.signInId}`,
    valid: () => ({ name: 'Sign-in and accounts' }),
    success: 200,
    required: [],
    text: [name, description, group],
    wrong: { name: [42, null], description: [5, null], group: [5, [], true], position: ['3', 2.5, -1], status: [1, null, true] },
    enums: ['status'],
    written: (json, field) => json[field],
    readBack: readComponent
  },
  {
    title: 'POST /api/v1/incidents',
    method: 'POST',
    url: () => '/api/v1/incidents',
    valid: () => ({ name: 'Calls drop', body: 'We are looking into it.' }),
    success: 201,
    required: ['name', 'body'],
    text: [name, body],
    wrong: {
      name: [42, null, ['a']],
      body: [42, null, { text: 'x' }],
      status: [1, null],
      impact: [3, null],
      reference: badReferences,
      components: badComponentMaps,
      notify: ['yes', 1, null],
      display_at: badTimes
    },
    enums: ['status', 'impact'],
    written: (json, field) => field === 'body' ? json.updates[0].body : json[field],
    readBack: async (w, json, field) => {
      const incident = await readIncident(w, json)
      return field === 'body' ? incident.updates[0].body : incident[field]
    }
  },
  {
    title: 'POST /api/v1/incidents/:reference/updates',
    method: 'POST',
    url: (w) => `/api/v1/incidents/${w.reference}/updates`,
    valid: () => ({ body: 'We found the cause.', status: 'identified' }),
    success: 201,
    required: ['body', 'status'],
    text: [body],
    wrong: { body: [42, null], status: [1, null, ['identified']], components: badComponentMaps, notify: ['false', 0, null], display_at: badTimes },
    enums: ['status'],
    written: (json) => json.updates[0].body,
    readBack: async (w, json) => (await readIncident(w, json)).updates[0].body
  },
  {
    title: 'PATCH /api/v1/incidents/:reference',
    method: 'PATCH',
    url: (w) => `/api/v1/incidents/${w.reference}`,
    valid: () => ({ impact: 'major' }),
    success: 200,
    required: [],
    text: [name],
    wrong: { name: [42, null], impact: [2, null, ['major']] },
    enums: ['impact'],
    written: (json, field) => json[field],
    readBack: async (w, json, field) => (await readIncident(w, json))[field]
  },
  {
    title: 'PATCH /api/v1/incidents/:reference/updates/:id',
    method: 'PATCH',
    url: (w) => `/api/v1/incidents/${w.reference}/updates/${w.firstUpdateId}`,
    valid: () => ({ body: 'We are investigating an issue with Teams.' }),
    success: 200,
    required: ['body'],
    text: [body],
    wrong: { body: [42, null, ['x']] },
    enums: [],
    written: (json) => json.body,
    readBack: async (w, json) => {
      const incident = (await call(w, 'GET', `/api/v1/incidents/${w.reference}`)).json()
      return incident.updates.find((u: { id: number }) => u.id === json.id).body
    }
  }
]

// Control characters no field takes (C0, DEL, C1), and lone surrogates, which JSON can carry as \ud800 but
// UTF-8 cannot store; line breaks and tab are refused in one-line fields only.
const controls = ['\u0000', '\u0007', '\u0008', '\u000B', '\u001B', '\u007F', '\u0085', '\u009B', '\uD800', '\uDFFF']
// Text of these alone shows nothing: zero-width characters, a joiner, a word joiner, a byte-order mark, a
// combining mark, a right-to-left override.
const invisible = ['\u200B', '\u200C\u200D', '\u2060', '\uFEFF', '\u0301', '\u202E', '\u200B \u3164']
const lineControls = ['\n', '\r', '\t']

for (const route of routes) {
  t.test(route.title, async (t) => {
    const w = await apiWorld(t)
    const url = route.url(w)

    /** Sends a bad request: the answer is `status` with a JSON message matching `message`, and nothing changed. */
    const rejects = async (t: Test, options: { payload: unknown, status: number, message: RegExp, contentType?: string | null }): Promise<void> => {
      const before = snapshot(w.app)
      const text = typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload)
      const response = await call(w, route.method, url, {
        // A Buffer, so that nothing adds a Content-Type when the test sends none.
        payload: Buffer.from(text),
        headers: options.contentType === null ? {} : { 'content-type': options.contentType ?? 'application/json' }
      })
      t.equal(response.statusCode, options.status, `answers ${options.status}`)
      t.match(response.headers['content-type'], /^application\/json/)
      t.equal(response.headers['cache-control'], 'no-store')
      t.match(errorOf(response), { statusCode: options.status, message: options.message })
      t.same(snapshot(w.app), before, 'nothing was stored')
    }

    t.test('malformed JSON', async (t) => {
      for (const text of ['{"name": ', '{name: "x"}', "{'body': 'x'}", '{"a":1}}', '\u0000']) {
        await rejects(t, { payload: text, status: 400, message: /not valid JSON/ })
      }
      await rejects(t, { payload: '', status: 400, message: /empty/ })
    })

    t.test('JSON that is not an object', async (t) => {
      for (const value of ['[]', 'null', '"text"', '42', 'true']) {
        await rejects(t, { payload: value, status: 400, message: /^body must be object$/ })
      }
    })

    t.test('prototype poisoning', async (t) => {
      const valid = JSON.stringify(route.valid(w)).slice(0, -1)
      await rejects(t, { payload: `${valid},"__proto__":{"admin":true}}`, status: 400, message: /not valid JSON/ })
      await rejects(t, { payload: `${valid},"constructor":{"prototype":{"admin":true}}}`, status: 400, message: /not valid JSON/ })
    })

    t.test('a body that is not JSON', async (t) => {
      const json = JSON.stringify(route.valid(w))
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/html']) {
        await rejects(t, { payload: json, contentType, status: 415, message: new RegExp(`must be JSON.*${contentType.split(';')[0] ?? ''}`) })
      }
      await rejects(t, { payload: json, contentType: null, status: 415, message: /must be JSON sent with Content-Type: application\/json, not no Content-Type$/ })
    })

    t.test('a body over 1 MiB', async (t) => {
      const field = route.text[0]?.field ?? 'name'
      await rejects(t, { payload: { ...route.valid(w), [field]: 'x'.repeat(2 * 1024 * 1024) }, status: 413, message: /too large/ })
      await rejects(t, { payload: { ...route.valid(w), [field]: 'x'.repeat(1024 * 1024) }, status: 413, message: /too large/ })
    })

    t.test('unknown extra fields', async (t) => {
      await rejects(t, { payload: { ...route.valid(w), colour: 'red' }, status: 400, message: /^body has an unknown field 'colour'$/ })
      await rejects(t, { payload: { ...route.valid(w), id: 7 }, status: 400, message: /unknown field 'id'/ })
      await rejects(t, { payload: { ...route.valid(w), Name: 'x' }, status: 400, message: /unknown field 'Name'/ })
    })

    t.test('missing fields', async (t) => {
      for (const field of route.required) {
        const payload = route.valid(w)
        delete payload[field]
        await rejects(t, { payload, status: 400, message: new RegExp(`^body must have required property '${field}'$`) })
      }
      if (route.required.length === 0) {
        await rejects(t, { payload: {}, status: 400, message: /^body must name at least one field to change$/ })
      }
    })

    t.test('wrong types and shapes', async (t) => {
      for (const [field, values] of Object.entries(route.wrong)) {
        for (const value of values) {
          await rejects(t, { payload: { ...route.valid(w), [field]: value }, status: 400, message: new RegExp(`^body/${field}\\b`) })
        }
      }
    })

    t.test('unknown enum values', async (t) => {
      for (const field of route.enums) {
        for (const value of ['broken', 'Resolved', 'MAJOR', ' minor', '']) {
          await rejects(t, { payload: { ...route.valid(w), [field]: value }, status: 400, message: new RegExp(`^body/${field} must be one of `) })
        }
      }
    })

    t.test('text over its limit, blank, invisible, or with control characters or lone surrogates', async (t) => {
      for (const { field, limit, multiLine, mayBeEmpty } of route.text) {
        // A group may also be null (out of its group): the message says both.
        const orNull = route.method === 'PATCH' && field === 'group' ? ' or must be null' : ''
        const over = { ...route.valid(w), [field]: 'x'.repeat(limit + 1) }
        await rejects(t, { payload: over, status: 400, message: new RegExp(`^body/${field} must NOT have more than ${limit} characters${orNull}$`) })
        if (mayBeEmpty !== true) {
          await rejects(t, { payload: { ...route.valid(w), [field]: '' }, status: 400, message: new RegExp(`^body/${field} must not be empty${orNull}$`) })
          await rejects(t, { payload: { ...route.valid(w), [field]: ' \n\t ' }, status: 400, message: new RegExp(`^body/${field} must be`) })
          for (const nothing of invisible) {
            await rejects(t, { payload: { ...route.valid(w), [field]: nothing }, status: 400, message: new RegExp(`^body/${field} must be .*text that shows something`) })
          }
        }
        for (const control of [...controls, ...(multiLine ? [] : lineControls)]) {
          await rejects(t, { payload: { ...route.valid(w), [field]: `Teams${control}down` }, status: 400, message: new RegExp(`^body/${field} must .*control characters.*unpaired surrogates`) })
        }
      }
    })

    t.test('markup, emoji and right-to-left text are stored as typed and come back as JSON', async (t) => {
      for (const { field } of route.text) {
        const response = await call(w, route.method, url, { payload: { ...route.valid(w), [field]: hostileText } })
        t.equal(response.statusCode, route.success)
        t.match(response.headers['content-type'], /^application\/json/)
        const json = response.json()
        t.equal(route.written(json, field), hostileText, `${field} round-trips`)
        t.equal(await route.readBack(w, json, field), hostileText, `${field} reads back`)
      }
    })

    t.test('text at its limit, and line breaks where they belong, are accepted', async (t) => {
      for (const { field, limit, multiLine } of route.text) {
        const atLimit = `${'\u{1F525}'.repeat(10)}${'y'.repeat(limit - 10)}`
        const response = await call(w, route.method, url, { payload: { ...route.valid(w), [field]: atLimit } })
        t.equal(response.statusCode, route.success, `${field} of ${limit} characters, emoji counted as one`)
        t.equal(route.written(response.json(), field), atLimit)
        if (multiLine) {
          const lines = '**Update**\r\n\n- first\n\t- second\n'
          const multi = await call(w, route.method, url, { payload: { ...route.valid(w), [field]: lines } })
          t.equal(multi.statusCode, route.success)
          t.equal(route.written(multi.json(), field), lines)
        }
      }
    })
  })
}
