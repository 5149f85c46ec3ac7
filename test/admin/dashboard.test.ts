// The dashboard: the status as the public sees it, open incidents with a quick update form, and the cross-posting state.
import t from 'tap'
import { TestClock, build } from '../fixtures/build.js'
import { ConflictError, InvalidInputError } from '../../server/services/errors.js'
import { crossPostingView } from '../../server/views/admin/cross-posting-view.js'
import { withUsers } from './fixtures/admin-session.js'
import { counts, fieldError, markedInvalid, notice, selectedValue, textareaValue } from './fixtures/admin-forms.js'

t.test('the dashboard shows the overall status as the public page does, and each open incident with its latest update', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { components, incidents } = app.herald.services
  const chat = components.create({ name: 'Teams chat' }, 'cli')
  components.create({ name: 'Status API' }, 'cli')
  const empty = await editor.get('/admin')
  t.match(empty.body, /<strong>All Systems Operational<\/strong>/)
  t.match(empty.body, /All 2 components operational/)
  t.match(empty.body, /No open incidents\./)
  t.match(empty.body, /<a class="button primary" href="\/admin\/incidents\/new">Open a new incident<\/a>/)
  t.notMatch(empty.body, /Upcoming/, 'no upcoming-work section while there is nothing planned')

  incidents.open({ name: 'Teams outage', reference: 'TM202916', body: 'First', components: { [chat.id]: 'partial_outage' } }, 'cli')
  incidents.postUpdate('TM202916', { status: 'identified', body: 'The **certificate** expired.' }, 'cli')
  incidents.open({ name: 'Old and done', reference: 'OLD1', body: 'x' }, 'cli')
  incidents.postUpdate('OLD1', { status: 'resolved', body: 'fixed' }, 'cli')
  const page = await editor.get('/admin')
  const publicBanner = /<h1 id="overall-status">([^<]*)<\/h1>/.exec((await app.inject('/')).body)?.[1]
  t.equal(publicBanner, 'Partial System Outage')
  t.match(page.body, `<strong>${publicBanner}</strong>`, 'the same words as the public banner')
  t.match(page.body, /1 of 2 components not operational/)
  t.match(page.body, /<bdi>Teams chat<\/bdi> <span class="component-status status-partial-outage">Partial Outage<\/span>/)
  t.match(page.body, /<h3><a href="\/admin\/incidents\/TM202916">Teams outage<\/a><\/h3>/)
  t.match(page.body, /<span class="latest-label">Latest<\/span> <strong class="update-status incident-status-identified">Identified<\/strong>/)
  t.match(page.body, /<p>The <strong>certificate<\/strong> expired\.<\/p>/)
  t.notMatch(page.body, /First/, 'only the latest update')
  t.notMatch(page.body, /Old and done/, 'resolved incidents are not open')
  t.equal(selectedValue(page.body, 'quick-TM202916-status'), 'identified', 'the quick form starts at the current status')
  t.match(page.body, /<form method="post" action="\/admin\/incidents\/TM202916\/updates" class="form" data-draft>\s*<input type="hidden" name="_csrf" value="[^"]+">\s*<input type="hidden" name="from" value="dashboard">/)
})

t.test('the quick form posts an update and comes back to the dashboard', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { components, incidents } = app.herald.services
  const chat = components.create({ name: 'Teams chat' }, 'cli')
  incidents.open({ name: 'Teams outage', reference: 'TM202916', body: 'First', components: { [chat.id]: 'major_outage' } }, 'cli')
  const response = await editor.post('/admin/incidents/TM202916/updates', { from: 'dashboard', status: 'monitoring', body: 'A fix is rolling out.', notify: '1' }, { formPage: '/admin' })
  t.equal(response.statusCode, 303)
  t.equal(response.headers.location, '/admin')
  const page = await editor.get('/admin')
  t.equal(notice(page.body), 'Update posted to TM202916.')
  t.match(incidents.get('TM202916'), { status: 'monitoring', updates: [{ body: 'A fix is rolling out.', notify: true }, {}] })
  t.equal(components.get(chat.id).status, 'major_outage', 'the quick form changes no component')

  const resolved = await editor.post('/admin/incidents/TM202916/updates', { from: 'dashboard', status: 'resolved', body: 'All good.' }, { formPage: '/admin' })
  t.equal(resolved.statusCode, 303)
  t.equal(notice((await editor.get('/admin')).body), 'TM202916 is resolved.')
  t.equal(components.get(chat.id).status, 'operational', 'resolving from the dashboard puts the affected components back')
  t.match(incidents.get('TM202916'), { status: 'resolved', updates: [{ notify: false }, {}, {}] })
})

t.test('a bad quick update comes back on the dashboard with the error next to its field and stores nothing', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { incidents } = app.herald.services
  incidents.open({ name: 'Teams outage', reference: 'TM202916', body: 'First' }, 'cli')
  incidents.open({ name: 'Other', reference: 'TM202917', body: 'Second' }, 'cli')
  const before = counts(app)
  for (const [what, fields, field, message] of [
    ['an empty message', { status: 'identified', body: '' }, 'quick-TM202916-body', /^This field is required\.$/],
    ['too long a message', { status: 'identified', body: 'y'.repeat(20_001) }, 'quick-TM202916-body', /at most 20000/],
    ['an unknown status', { status: '<b>fine</b>', body: 'typed <i>text</i>' }, 'quick-TM202916-status', /^Choose one of the statuses\.$/]
  ] as const) {
    const response = await editor.post('/admin/incidents/TM202916/updates', { from: 'dashboard', ...fields }, { formPage: '/admin' })
    t.equal(response.statusCode, 400, what)
    t.match(fieldError(response.body, field), message, `${what}: message next to the field`)
    t.ok(markedInvalid(response.body, field), `${what}: marked invalid`)
    t.equal(textareaValue(response.body, 'quick-TM202916-body'), fields.body, `${what}: what was typed is kept`)
    t.equal(textareaValue(response.body, 'quick-TM202917-body'), '', `${what}: the other incident's form is untouched`)
    t.notMatch(response.body, /<b>fine|<i>text/, `${what}: escaped`)
    t.match(response.body, /<details class="quick-update" open>/, `${what}: the form is unfolded`)
    t.same(counts(app), before, `${what}: nothing stored`)
  }
})

t.test('a quick update the service refuses comes back on the dashboard with the reason, not raw JSON', async (t) => {
  const app = await build(t)
  const { editor } = await withUsers(app)
  const { incidents } = app.herald.services
  incidents.open({ name: 'Teams outage', reference: 'TM202916', body: 'First' }, 'cli')
  const before = counts(app)
  const csrf = await editor.csrfToken('/admin')
  t.teardown(() => { delete (incidents as unknown as Record<string, unknown>).postUpdate })
  for (const [what, error, field] of [
    ['invalid input', new InvalidInputError('component 7 does not exist'), 'quick-TM202916-body'],
    ['a conflict', new ConflictError('TM202916 moved meanwhile'), 'quick-TM202916-status']
  ] as const) {
    Object.assign(incidents, { postUpdate: () => { throw error } })
    const response = await editor.post('/admin/incidents/TM202916/updates', { from: 'dashboard', status: 'identified', body: 'typed <i>text</i>' }, { csrf })
    t.equal(response.statusCode, 400, what)
    t.match(response.headers['content-type'], /^text\/html/, `${what}: a page`)
    t.equal(fieldError(response.body, field), `Nothing was saved: ${error.message}.`, `${what}: the reason next to the field`)
    t.equal(textareaValue(response.body, 'quick-TM202916-body'), 'typed <i>text</i>', `${what}: what was typed is kept`)
    t.same(counts(app), before, `${what}: nothing stored`)
  }
})

t.test('the dashboard and the forms say whether updates are cross-posted', async (t) => {
  t.same(crossPostingView([]), { on: false, text: 'Cross-posting is off (no channels configured)' })
  t.same(crossPostingView(['twitter', 'mastodon']), { on: true, text: 'Cross-posting to Twitter/X, Mastodon' })
  t.same(crossPostingView(['mastodon']), { on: true, text: 'Cross-posting to Mastodon' })

  const off = await build(t)
  const { editor } = await withUsers(off)
  t.match((await editor.get('/admin')).body, /<li class="cross-posting" data-cross-posting>Cross-posting is off \(no channels configured\)<\/li>/)

  // Both channels configured; SOCIAL_WORKER=off keeps this test from sending anything.
  const on = await build(t, {
    env: {
      TWITTER_API_KEY: 'k',
      TWITTER_API_SECRET: 's',
      TWITTER_ACCESS_TOKEN: 't',
      TWITTER_ACCESS_SECRET: 'a',
      MASTODON_URL: 'https://mastodon.example',
      MASTODON_TOKEN: 'm',
      SOCIAL_WORKER: 'off'
    }
  })
  const users = await withUsers(on)
  on.herald.services.incidents.open({ name: 'Teams outage', body: 'b', reference: 'TM202916' }, 'cli')
  t.match((await users.editor.get('/admin')).body, /<li class="cross-posting is-on" data-cross-posting>Cross-posting to Twitter\/X, Mastodon<\/li>/)
  t.match((await users.editor.get('/admin/incidents/new')).body, /Post to social channels<\/label>\s*<p class="field-hint">Cross-posting to Twitter\/X, Mastodon\.<\/p>/)
  t.match((await users.editor.get('/admin/incidents/TM202916')).body, /Cross-posting to Twitter\/X, Mastodon\./)
  for (const url of ['/admin/incidents/new', '/admin/incidents/TM202916']) {
    const page = (await users.editor.get(url)).body
    t.match(page, /<textarea id="postText" name="postText"/, `${url}: the social post text`)
    t.match(page, /<p class="post-text" data-preview-post>/, `${url}: the social preview`)
    t.match(page, /<input type="checkbox" name="notify" value="1" checked> Post to social channels/, `${url}: the tick`)
  }
})

t.test('the dashboard lists maintenance in progress and upcoming, with links to their pages', async (t) => {
  const app = await build(t, { clock: new TestClock('2020-02-03T13:00:00.000Z') })
  const { editor } = await withUsers(app)
  const { components, maintenances } = app.herald.services
  const chat = components.create({ name: 'Teams chat', group: 'Microsoft Teams' }, 'cli')
  const api = components.create({ name: 'Status API' }, 'cli')
  const plan = (reference: string, name: string, scheduledFor: string, scheduledUntil: string, ids: number[]): void => {
    maintenances.schedule({ reference, name, body: 'Planned work.', scheduledFor, scheduledUntil, components: ids }, 'cli')
  }
  plan('MW3', 'Later <b>work</b>', '2020-02-10T08:00:00.000Z', '2020-02-10T09:00:00.000Z', [])
  plan('MW2', 'Network change', '2020-02-04T22:00:00.000Z', '2020-02-05T02:00:00.000Z', [api.id])
  plan('MW1', 'Database upgrade', '2020-02-04T10:00:00.000Z', '2020-02-04T12:00:00.000Z', [chat.id])
  plan('MW0', 'Done already', '2020-02-04T06:00:00.000Z', '2020-02-04T07:00:00.000Z', [])
  maintenances.postUpdate('MW0', { status: 'completed', body: 'Cancelled: not needed.' }, 'cli')
  const upcoming = await editor.get('/admin')
  t.match(upcoming.body, /<a class="button" href="\/admin\/maintenances\/new">Schedule maintenance<\/a>/)
  t.match(upcoming.body, /<h2 id="maintenance-upcoming-heading">Upcoming maintenance<\/h2>/)
  t.notMatch(upcoming.body, /Maintenance in progress/, 'nothing in progress yet')
  const order = ['MW1', 'MW2', 'MW3'].map((reference) => upcoming.body.indexOf(`id="maintenance-${reference}"`))
  t.ok(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number))), 'soonest first')
  t.match(upcoming.body, /<a class="maintenance-name" href="\/admin\/maintenances\/MW1"><bdi>Database upgrade<\/bdi><\/a>/)
  t.match(upcoming.body, /4 Feb 2020, 10:00 – 12:00 UTC/)
  t.match(upcoming.body, /4 Feb 2020, 22:00 UTC – 5 Feb 2020, 02:00 UTC/)
  t.match(upcoming.body, /Later &lt;b&gt;work&lt;\/b&gt;/, 'names escaped')
  t.notMatch(upcoming.body, /MW0|Done already/, 'completed ones are not upcoming work')
  t.match(upcoming.body, /No open incidents\./, 'a maintenance is not an open incident')

  maintenances.postUpdate('MW1', { status: 'in_progress', body: 'Started.' }, 'cli')
  const running = await editor.get('/admin')
  t.match(running.body, /<h2 id="maintenance-active-heading">Maintenance in progress<\/h2>\s*<ul class="maintenance-list">\s*<li class="maintenance-item" id="maintenance-MW1">/)
  t.match(running.body, /<strong class="update-status incident-status-in_progress maintenance-status">In Progress<\/strong>/)
  t.match(running.body, /Affects <bdi>Teams chat<\/bdi>/)
  t.match(running.body, /<bdi>Teams chat<\/bdi> <span class="component-status status-under-maintenance">Under Maintenance<\/span>/)
  t.match(running.body, /<strong>Service Under Maintenance<\/strong>/, 'the banner says what the public page says')
  const upcomingSection = running.body.slice(running.body.indexOf('maintenance-upcoming-heading'))
  t.notMatch(upcomingSection, /id="maintenance-MW1"/, 'no longer upcoming')
  t.match(upcomingSection, /id="maintenance-MW2"/)
})

t.test('an anonymous visitor is sent to sign in', async (t) => {
  const app = await build(t)
  const { anonymous } = await withUsers(app)
  const response = await anonymous.get('/admin')
  t.equal(response.statusCode, 302)
  t.equal(response.headers.location, '/admin/sign-in?next=%2Fadmin')
})

t.test('an open incident with no update for longer than the chosen time is flagged; an admin chooses the time', async (t) => {
  const clock = new TestClock('2020-02-03T13:30:00.000Z')
  const app = await build(t, { clock })
  const { incidents } = app.herald.services
  incidents.open({ name: 'Teams outage', reference: 'TM202916', body: 'First' }, 'cli')
  incidents.open({ name: 'Calls drop', reference: 'CALLS1', body: 'First' }, 'cli')
  clock.set('2020-02-03T14:12:00.000Z')
  incidents.postUpdate('CALLS1', { status: 'identified', body: 'Found it.' }, 'cli')
  // Backdated: it was posted now, which is what counts.
  incidents.postUpdate('CALLS1', { status: 'identified', body: 'Late note.', displayAt: '2020-02-03T13:35:00.000Z' }, 'cli')
  incidents.open({ name: 'Resolved long ago', reference: 'OLD1', body: 'x' }, 'cli')
  incidents.postUpdate('OLD1', { status: 'resolved', body: 'fixed' }, 'cli')
  clock.set('2020-02-03T14:42:30.000Z')
  const { admin, editor } = await withUsers(app)
  const card = (html: string, reference: string): string => new RegExp(`<article class="incident-card[^"]*" id="incident-${reference}">[\\s\\S]*?</article>`).exec(html)?.[0] ?? ''

  let page = (await editor.get('/admin')).body
  t.match(card(page, 'TM202916'), /<p class="nudge" data-nudge><strong>No update for a while:<\/strong> Last update 72 min ago\.<\/p>/, 'the default is 60 min')
  t.notMatch(card(page, 'CALLS1'), /data-nudge/, 'updated 30 min ago: not flagged')
  t.match(page, /An open incident is flagged here after 60 min without an update\./, 'an editor reads the setting')
  t.notMatch(page, /action="\/admin\/nudge"/, 'and cannot change it')
  const before = counts(app)
  t.equal((await editor.post('/admin/nudge', { minutes: '30' }, { formPage: '/admin' })).statusCode, 403, 'an editor may not change it')
  t.same(counts(app), before)

  page = (await admin.get('/admin')).body
  t.match(page, /<input id="nudge-minutes" name="minutes" type="number" min="5" max="1440" step="1" required value="60"/)
  const saved = await admin.post('/admin/nudge', { minutes: ' 25 ' }, { formPage: '/admin' })
  t.equal(saved.statusCode, 303)
  page = (await admin.get('/admin')).body
  t.equal(notice(page), 'Open incidents are flagged after 25 min without an update.')
  t.match(card(page, 'CALLS1'), /Last update 30 min ago/, 'now over the chosen time')
  t.match(app.herald.stores.audit.list(1)[0], { action: 'settings.nudge', actor: 'user:alice', detail: { before: 60, after: 25 } })

  const unchanged = counts(app)
  for (const minutes of ['4', '1441', '0', '-5', 'abc', '1.5', '1e3', '', '99999999999', '<b>5</b>', '6\u0000']) {
    const refused = await admin.post('/admin/nudge', { minutes }, { formPage: '/admin' })
    t.equal(refused.statusCode, 400, JSON.stringify(minutes))
    t.equal(fieldError(refused.body, 'nudge-minutes'), 'Give a whole number of minutes from 5 to 1440.', JSON.stringify(minutes))
    t.ok(markedInvalid(refused.body, 'nudge-minutes'))
    t.notMatch(refused.body, /<b>5<\/b>/)
  }
  t.equal((await admin.post('/admin/nudge', {}, { formPage: '/admin' })).statusCode, 400, 'no field at all')
  t.same(counts(app), unchanged, 'nothing stored')
  t.equal(app.herald.services.incidents.nudgeAfter(), 25)
  t.throws(() => app.herald.services.incidents.setNudgeAfter(1441, 'cli'), { name: 'InvalidInputError', field: 'minutes' }, 'the service holds the bounds too')
})
