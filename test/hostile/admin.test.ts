// The attack corpus against every text field of the admin forms, signed in, then every admin and public page of what was stored.
import t from 'tap'
import { attackCorpus, type FieldKind, liveMarkupIn } from '../fixtures/attack-corpus.js'
import { TestClock, build } from '../fixtures/build.js'
import { counts } from '../admin/fixtures/admin-forms.js'
import { type FormFields, withUsers } from '../admin/fixtures/admin-session.js'
import { checkAll, publicAddresses } from './fixtures/outputs.js'

interface FormField {
  url: string
  /** The other fields, made unique per try where the form needs it (template names, component names in a group). */
  valid: (n: number) => FormFields
  field: string
  kind: FieldKind
}

// A browser sends forms as UTF-8 from USVStrings: a lone surrogate arrives as U+FFFD, never as itself
// (the token API tests send them as JSON). Everything else in the corpus can be typed into a form.
const typeable = attackCorpus.filter(({ text }) => !/[\uD800-\uDFFF]/u.test(text))

const fields: FormField[] = [
  { url: '/admin/components', valid: () => ({ name: 'Calls' }), field: 'name', kind: 'one-line' },
  { url: '/admin/components', valid: (n) => ({ name: `Calls ${n}` }), field: 'description', kind: 'optional-multi-line' },
  {
    url: '/admin/components',
    valid: (n) => ({ name: `Calls ${n}` }),
    field: 'group',
    kind: 'optional-one-line'
  },
  ...(['name', 'body'] as const).map((field): FormField => ({ url: '/admin/incidents/new', valid: () => ({ name: 'Calls drop', status: 'investigating', body: 'Looking.' }), field, kind: field === 'name' ? 'one-line' : 'multi-line' })),
  { url: '/admin/incidents/new', valid: () => ({ name: 'Calls drop', status: 'investigating', body: 'Looking.' }), field: 'postText', kind: 'optional-multi-line' },
  { url: '/admin/incidents/TM1/updates', valid: () => ({ status: 'identified', body: 'Found it.' }), field: 'body', kind: 'multi-line' },
  { url: '/admin/incidents/TM1/edit', valid: () => ({ name: 'Teams down', impact: 'minor' }), field: 'name', kind: 'one-line' },
  ...(['name', 'title'] as const).map((field): FormField => ({ url: '/admin/templates', valid: (n) => ({ name: `Template ${n}`, title: 'Unreachable', body: 'Looking.' }), field, kind: 'one-line' })),
  { url: '/admin/templates', valid: (n) => ({ name: `Template ${n}`, title: 'Unreachable', body: 'Looking.' }), field: 'body', kind: 'multi-line' },
  // PM1 is resolved: its postmortem is saved as a draft, then published, so its pages show what was typed.
  ...(['draft', 'publish'] as const).map((action): FormField => ({ url: '/admin/incidents/PM1/postmortem', valid: () => ({ action }), field: 'body', kind: 'multi-line' })),
  // A monitor's name keeps the rules of every name; its keyword (a line) and request body are matched and sent as typed.
  ...([['name', 'one-line'], ['keyword', 'optional-one-line'], ['body', 'optional-multi-line']] as const).map(([field, kind]): FormField => ({
    url: '/admin/monitors',
    valid: (n) => ({ kind: 'http', name: `Site ${n}`, url: 'https://example.com/health', method: 'POST', follow_redirects: 'on', component_id: '' }),
    field,
    kind
  })),
  // Drafts: saved from the new-incident form, and changed on draft 1's page.
  ...(['/admin/drafts', '/admin/drafts/1'] as const).flatMap((url) => (['name', 'body'] as const).map((field): FormField => ({
    url, valid: () => ({ name: 'Calls drop', status: 'investigating', body: 'Looking.' }), field, kind: field === 'name' ? 'one-line' : 'multi-line'
  })))
]

t.test('every admin form field refuses what its kind refuses, storing nothing, and shows the rest as text', async (t) => {
  const clock = new TestClock('2020-02-03T12:00:00.000Z')
  const app = await build(t, { clock })
  const { admin } = await withUsers(app)
  app.herald.services.incidents.open({ name: 'Teams down', reference: 'TM1', body: 'Looking.' }, 'test')
  app.herald.services.incidents.open({ name: 'Written up', reference: 'PM1', body: 'Over.', status: 'resolved' }, 'test')
  app.herald.services.drafts.create({ name: 'Draft one', body: 'Not public.' }, 'test')
  // A light page to take each CSRF token from: the forms' own pages grow with every row the test adds.
  const formPage = '/admin/tokens'
  let tries = 0

  const send = async (url: string, values: FormFields, what: string, refused: boolean): Promise<void> => {
    const before = counts(app)
    const response = await admin.post(url, values, { formPage })
    const status = response.statusCode
    if (status >= 500) t.fail(`${what}: ${status}`)
    const expected = refused ? status >= 400 && status < 500 : status === 303
    if (!expected) t.fail(`${what}: ${status}, ${refused ? 'not refused' : 'not accepted'}`)
    if (refused && JSON.stringify(counts(app)) !== JSON.stringify(before)) t.fail(`${what}: something was stored`)
    if (response.headers['content-type']?.toString().startsWith('text/html') === true) {
      const found = liveMarkupIn(response.body)
      if (found.length > 0) t.fail(`${what}: the page answering the form shows live markup ${found.join(', ')}`)
    }
  }

  for (const { url, valid, field, kind } of fields) {
    for (const { label, text, refusedBy } of typeable) {
      await send(url, { ...valid(tries++), [field]: text }, `${url} ${field}: ${label}`, refusedBy.includes(kind))
    }
  }
  // Token names take letters, digits, dots, dashes and underscores only: every corpus string is refused.
  for (const { label, text } of typeable) await send('/admin/tokens', { name: text }, `/admin/tokens name: ${label}`, true)
  // A time zone is a name Intl knows (Europe/Berlin): every corpus string is refused, next to the zone.
  const window = { name: 'Upgrade', scheduledFor: '2020-02-04T10:00', scheduledUntil: '2020-02-04T12:00', body: 'Planned.' }
  for (const { label, text } of typeable) await send('/admin/maintenances/new', { ...window, timeZone: text }, `/admin/maintenances/new timeZone: ${label}`, true)
  // The update form's shown time takes the same zone field, with the same rule.
  const update = { status: 'identified', body: 'Found it.', displayAt: '2020-02-03T12:00' }
  for (const { label, text } of typeable) await send('/admin/incidents/TM1/updates', { ...update, timeZone: text }, `/admin/incidents/TM1/updates timeZone: ${label}`, true)
  // The Appearance page takes a colour, http(s) addresses and a number of seconds: no corpus string is one.
  // (Its form is multipart in a browser; urlencoded, without files, it takes the same fields.)
  const appearance = { accent: '', siteLink: '', supportLink: '', refreshSeconds: '60' }
  for (const field of Object.keys(appearance)) {
    for (const { label, text } of typeable) await send('/admin/appearance', { ...appearance, [field]: text }, `/admin/appearance ${field}: ${label}`, true)
  }
  // A subscriber's address or URL, and a webhook's contact: no corpus string is one (refused before any test message).
  for (const { label, text } of typeable) await send('/admin/subscribers', { kind: 'webhook', target: text }, `/admin/subscribers target: ${label}`, true)
  for (const { label, text } of typeable) await send('/admin/subscribers', { kind: 'webhook', target: 'https://hooks.example.com/x', contactEmail: text }, `/admin/subscribers contactEmail: ${label}`, true)
  t.pass(`${fields.length + 9} fields, ${typeable.length} strings each`)

  t.test('every admin page and every public page of what was stored', async (t) => {
    const { stores } = app.herald
    const references = stores.db.prepare('SELECT reference FROM incidents').pluck().all() as string[]
    const componentIds = (stores.db.prepare('SELECT id FROM components').pluck().all() as number[]).map(String)
    const templateIds = (stores.db.prepare('SELECT id FROM incident_templates').pluck().all() as number[]).map(String)
    const draftIds = (stores.db.prepare('SELECT id FROM incident_drafts').pluck().all() as number[]).map(String)
    const adminPages = [
      '/admin', '/admin/components', '/admin/templates', '/admin/audit', '/admin/tokens', '/admin/maintenances', '/admin/incidents/new', '/admin/appearance', '/admin/incidents', '/admin/subscribers',
      ...references.flatMap((reference) => [`/admin/incidents/${reference}`, `/admin/incidents/${reference}/delete`]),
      ...componentIds.flatMap((id) => [`/admin/components/${id}`, `/admin/components/${id}/delete`]),
      ...templateIds.map((id) => `/admin/templates/${id}`),
      ...templateIds.map((id) => `/admin/incidents/new?template=${id}`),
      '/admin/monitors',
      ...(stores.db.prepare('SELECT id FROM monitors').pluck().all() as number[]).flatMap((id) => [`/admin/monitors/${id}`, `/admin/monitors/${id}/edit`, `/admin/monitors/${id}/delete`]),
      '/admin/drafts', ...draftIds.flatMap((id) => [`/admin/drafts/${id}`, `/admin/drafts/${id}/discard`])
    ]
    await checkAll(t, app, adminPages, { cookie: admin.cookie, 'x-forwarded-proto': 'https' })
    const addresses = publicAddresses(app, { reference: references, id: componentIds, page: ['1', '2', '3'] })
    await checkAll(t, app, addresses)
    t.pass(`${adminPages.length} admin pages, ${addresses.length} public addresses`)
  })
})
