// The live preview: POST /admin/preview answers the sanitized HTML and the social post with its Twitter/X weight.
import t from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { renderMarkdown } from '../../server/domain/markdown.js'
import { build } from '../fixtures/build.js'
import { type AdminSession, withUsers } from './fixtures/admin-session.js'

const link = 'https://status.example.com/incidents/TM202916'

interface Preview {
  reference: string
  html: string
  post: { text: string, weightedLength: number, limit: number, fullWeightedLength: number, shortened: boolean }
}

async function preview (app: FastifyInstance, session: AdminSession, payload: unknown, csrf?: string | null): Promise<LightMyRequestResponse> {
  const token = csrf === undefined ? await session.csrfToken('/admin/incidents/new') : csrf
  return await app.inject({
    method: 'POST',
    url: '/admin/preview',
    headers: {
      'x-forwarded-proto': 'https',
      cookie: session.cookie,
      'content-type': 'application/json',
      ...(token === null ? {} : { 'x-csrf-token': token })
    },
    payload: JSON.stringify(payload)
  })
}

async function previewOf (app: FastifyInstance, session: AdminSession, body: string, extra: Record<string, unknown> = {}): Promise<Preview> {
  const response = await preview(app, session, { body, status: 'identified', name: 'Teams outage', reference: 'TM202916', ...extra })
  if (response.statusCode !== 200) throw new Error(`preview answered ${response.statusCode}: ${response.body}`)
  return JSON.parse(response.body) as Preview
}

t.test('the preview is the page HTML and the post text with its weight', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const body = 'The **certificate** expired.\n\n<script>alert(1)</script>'
  const result = await previewOf(app, editor, body)
  t.equal(result.html, renderMarkdown(body), 'the HTML the public page shows')
  t.match(result.html, /^<p>The <strong>certificate<\/strong> expired\.<\/p>\s*&lt;script&gt;alert\(1\)&lt;\/script&gt;$/, 'sanitized: typed markup is text')
  t.equal(result.post.text, `[Identified] TM202916 Teams outage: The certificate expired.\n<script>alert(1)</script> ${link}`)
  t.equal(result.post.weightedLength, '[Identified] TM202916 Teams outage: The certificate expired.\n<script>alert(1)</script> '.length + 23, 'the link weighs 23')
  t.match(result.post, { limit: 280, shortened: false })
  t.equal(result.post.fullWeightedLength, result.post.weightedLength)
})

t.test('CJK characters and emoji weigh 2, and any URL 23, as Twitter/X counts', async (t) => {
  const app = await build(t)
  const { admin } = await withUsers(app)
  const base = (await previewOf(app, admin, 'x')).post.weightedLength - 1
  t.equal((await previewOf(app, admin, 'abcdefgh')).post.weightedLength - base, 8, 'Latin letters weigh 1')
  t.equal((await previewOf(app, admin, '証明書の期限切れ')).post.weightedLength - base, 16, 'CJK characters weigh 2')
  t.equal((await previewOf(app, admin, '😀')).post.weightedLength - base, 2, 'an emoji weighs 2 (one code point, two UTF-16 units)')
  t.equal((await previewOf(app, admin, '👩‍💻')).post.weightedLength - base, 2, 'a joined emoji sequence weighs 2 in all')
  t.equal((await previewOf(app, admin, `https://example.com/${'a'.repeat(100)}`)).post.weightedLength - base, 23, 'a long URL weighs 23')
})

t.test('a long update is shortened to fit 280, with the link kept whole', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const result = await previewOf(app, editor, 'The deployment continues region by region. '.repeat(12))
  t.equal(result.post.shortened, true)
  t.ok(result.post.weightedLength <= 280, `weighs ${result.post.weightedLength}`)
  t.ok(result.post.fullWeightedLength > 280, `the whole text weighs ${result.post.fullWeightedLength}`)
  t.ok(result.post.text.endsWith(`… ${link}`), result.post.text)
})

t.test('a new incident is previewed with the reference it would get and its components named', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const chat = app.herald.services.components.create({ name: 'Teams chat' }, 'cli')
  const calls = app.herald.services.components.create({ name: 'Calls' }, 'cli')
  const result = await previewOf(app, editor, 'Unable to access {component}.', { reference: '', name: '{component} down', status: 'investigating', components: [String(calls.id), String(chat.id)] })
  t.equal(result.reference, 'HR000001')
  t.equal(result.html, '<p>Unable to access Teams chat and Calls.</p>')
  t.equal(result.post.text, '[Investigating] HR000001 Teams chat and Calls down: Unable to access Teams chat and Calls. https://status.example.com/incidents/HR000001')
  const typed = await previewOf(app, editor, 'b', { reference: 'TM1', components: ['999'] })
  t.equal(typed.reference, 'TM1', 'a typed reference is used')
})

t.test('the preview needs a signed-in user, the CSRF header and a well-formed request', async (t) => {
  const app = await build(t)
  const { editor, anonymous } = await withUsers(app)
  const good = { body: 'b', status: 'identified' }
  t.equal((await preview(app, editor, good)).statusCode, 200)
  t.equal((await preview(app, editor, good, null)).statusCode, 403, 'no CSRF header')
  t.equal((await preview(app, editor, good, 'forged')).statusCode, 403, 'a forged CSRF header')
  const anonymousToken = await anonymous.csrfToken('/admin/sign-in')
  t.equal((await preview(app, anonymous, good, anonymousToken)).statusCode, 401, 'anonymous')
  for (const [what, payload] of [
    ['an unknown status', { body: 'b', status: 'sleeping' }],
    ['no body', { status: 'identified' }],
    ['too long a body', { body: 'x'.repeat(20_001), status: 'identified' }],
    ['an unknown field', { body: 'b', status: 'identified', html: '<b>' }],
    ['a component that is no id', { body: 'b', status: 'identified', components: ['<script>'] }]
  ] as const) {
    const response = await preview(app, editor, payload)
    t.equal(response.statusCode, 400, what)
    t.match(JSON.parse(response.body), { statusCode: 400, message: String }, `${what}: says what is wrong`)
  }
})

t.test('maintenance statuses are previewed too, with their labels', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  for (const [status, label] of [['scheduled', 'Scheduled'], ['in_progress', 'In Progress'], ['verifying', 'Verifying'], ['completed', 'Completed']] as const) {
    const result = await previewOf(app, editor, 'We upgrade the database.', { status, name: 'Database upgrade', reference: 'MW1' })
    t.equal(result.post.text, `[${label}] MW1 Database upgrade: We upgrade the database. https://status.example.com/incidents/MW1`, status)
  }
})

t.test('the pages load the preview script from a file, with no inline script', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  app.herald.services.incidents.open({ name: 'Teams outage', body: 'b', reference: 'TM202916' }, 'cli')
  app.herald.services.maintenances.schedule({
    name: 'Database upgrade', reference: 'MW1', body: 'b', scheduledFor: '2099-02-04T10:00:00.000Z', scheduledUntil: '2099-02-04T12:00:00.000Z', components: []
  }, 'cli')
  for (const url of ['/admin/incidents/new', '/admin/incidents/TM202916', '/admin/maintenances/new', '/admin/maintenances/MW1']) {
    const page = await editor.get(url)
    t.match(page.body, /<form [^>]*data-preview-form[^>]*>/, `${url}: the form has the live preview`)
    t.match(page.body, /<textarea id="body" [^>]*data-preview-source/, `${url}: fed by the message`)
    t.match(page.body, /<script src="\/static\/admin-preview\.js\?v=[\w-]+" defer><\/script>/, url)
    t.notMatch(page.body, /<script(?![^>]*\bsrc=)[^>]*>/, `${url}: every script has a src`)
    t.match(page.headers['content-security-policy'], /script-src 'self'/)
  }
  const script = await app.inject('/static/admin-preview.js')
  t.equal(script.statusCode, 200)
  t.match(script.headers['content-type'], /javascript/)
  t.match(script.body, /fetch\('\/admin\/preview'/)
  t.match(script.body, /'x-csrf-token': csrfOf\(form\)/)
})
