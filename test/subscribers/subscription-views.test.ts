// The subscription pages' pure parts: components by group, masked targets, the admin's counts and export cells, and reading an import.
import t from 'tap'
import type { Component } from '../../server/domain/model.js'
import { readImport, writeExport } from '../../server/routes/admin/subscriber-csv.js'
import { chosenComponents, idsOf, schemaErrors } from '../../server/routes/public/subscribe-form.js'
import { componentsText, exportCells, subscriberCountsView, spreadsheetSafe } from '../../server/views/admin/subscribers-view.js'
import { componentFieldsets, maskEmail, maskUrl, subscribeFormView } from '../../server/views/subscribe-view.js'

function component (id: number, name: string, groupName: string | null): Component {
  return { id, name, description: '', groupId: groupName === null ? null : 1, groupName, position: id, status: 'operational', createdAt: '', updatedAt: '' }
}

const components = [component(1, 'Chat', 'Teams'), component(2, 'Sign-in', 'Teams'), component(3, 'Calls', null), component(4, 'Mail', 'Outlook')]

t.test('components by group, in page order; the ungrouped together', async (t) => {
  t.same(componentFieldsets(components, [2]), [
    { legend: 'Teams', components: [{ id: 1, name: 'Chat', checked: false }, { id: 2, name: 'Sign-in', checked: true }] },
    { legend: 'Other components', components: [{ id: 3, name: 'Calls', checked: false }] },
    { legend: 'Outlook', components: [{ id: 4, name: 'Mail', checked: false }] }
  ])
  t.same(componentFieldsets([component(3, 'Calls', null)], []), [{ legend: 'Components', components: [{ id: 3, name: 'Calls', checked: false }] }], 'no group at all: just "Components"')
  t.same(componentFieldsets([], []), [])
  const view = subscribeFormView({ kinds: ['webhook', 'slack'], components, values: { kind: 'slack', email: '', url: '', contactEmail: '', scope: 'some', components: [] }, errors: {} })
  t.equal(view.emailOn, false)
  t.equal(view.urlOn, true)
  t.equal(view.allComponents, false)
  t.same(view.kinds.map((kind) => [kind.value, kind.checked]), [['webhook', false], ['slack', true]])
})

t.test('masked targets', async (t) => {
  t.equal(maskEmail('jane.doe@example.com'), 'j***@example.com')
  t.equal(maskEmail('😀x@example.com'), '😀***@example.com', 'a whole character, not half a surrogate pair')
  t.equal(maskEmail('@example.com'), '***')
  t.equal(maskEmail('nobody'), '***')
  t.equal(maskUrl('https://hooks.slack.com/services/T0/B0/secret'), 'https://hooks.slack.com/…')
  t.equal(maskUrl('not a url'), '…')
})

t.test('the components a form sends', async (t) => {
  t.same(idsOf(['1', '2', '2', 'x', '0', '01']), [1, 2])
  t.same(idsOf('3'), [3])
  t.same(idsOf(undefined), [])
  t.same(chosenComponents({ scope: 'all', components: [99] }, components), { ok: true, components: 'all' })
  t.same(chosenComponents({ scope: 'some', components: [1, 4] }, components), { ok: true, components: [1, 4] })
  t.match(chosenComponents({ scope: 'some', components: [] }, components), { ok: false, error: /Tick at least one/ })
  t.match(chosenComponents({ scope: 'some', components: [1, 5] }, components), { ok: false, error: /no longer on the page/ })
  t.same(schemaErrors([
    { keyword: 'maxItems', instancePath: '/components', schemaPath: '', params: { limit: 1000 }, message: '' },
    { keyword: 'required', instancePath: '', schemaPath: '', params: { missingProperty: 'kind' }, message: '' },
    { keyword: 'maxLength', instancePath: '/url', schemaPath: '', params: { limit: 2048 }, message: '' },
    { keyword: 'type', instancePath: '/email', schemaPath: '', params: {}, message: '' },
    { keyword: 'pattern', instancePath: '/kind', schemaPath: '', params: {}, message: '' }
  ]), { components: 'Choose fewer components.', kind: 'Choose how to be told.', url: 'Use at most 2048 characters.', email: 'This value has the wrong form.' })
})

t.test('the admin\'s counts, components in words, and export cells', async (t) => {
  const none = { unconfirmed: 0, active: 0, quarantined: 0, bounced: 0 }
  t.same(subscriberCountsView({ email: { ...none, active: 10, unconfirmed: 2, bounced: 1 }, webhook: { ...none, active: 3 }, slack: none, discord: none, teams: { ...none, quarantined: 1 } }), {
    total: 17,
    byKind: [
      { kind: 'email', label: 'Email', count: 13, text: '13 Email (2 unconfirmed, 1 bounced)' },
      { kind: 'webhook', label: 'Webhook', count: 3, text: '3 Webhook' },
      { kind: 'teams', label: 'Microsoft Teams', count: 1, text: '1 Microsoft Teams (1 quarantined)' }
    ]
  })
  t.equal(componentsText({ allComponents: true, componentIds: [] }, components), 'All components')
  t.equal(componentsText({ allComponents: false, componentIds: [4, 1] }, components), 'Chat, Mail')
  t.equal(componentsText({ allComponents: false, componentIds: [] }, components), 'No component (all were deleted)')
  for (const [cell, safe] of [['=1+1', "'=1+1"], ['+1', "'+1"], ['-1', "'-1"], ['@SUM(A1)', "'@SUM(A1)"], ['\t=1', "'\t=1"], ['\r=1', "'\r=1"], ['a=1', 'a=1'], ['', '']]) {
    t.equal(spreadsheetSafe(cell as string), safe, JSON.stringify(cell))
  }
  const csv = writeExport(exportCells([{ id: 1, kind: 'email', target: 'a@example.com', contact_email: '', state: 'active', components: 'all', source: 'admin', created_at: 't', confirmed_at: '', last_delivery_at: '', last_error: '=cmd, "x"' }]))
  t.equal(csv, 'id,kind,target,contact_email,state,components,source,created_at,confirmed_at,last_delivery_at,last_error\n1,email,a@example.com,,active,all,admin,t,,,"\'=cmd, ""x"""\n')
})

t.test('reading an import', async (t) => {
  t.same(readImport('a@example.com\r\nb@example.com\n\n c@example.com '), { ok: true, lines: [{ line: 1, address: 'a@example.com' }, { line: 2, address: 'b@example.com' }, { line: 4, address: 'c@example.com' }] })
  t.same(readImport('\ufeffName,EMAIL\nJane,jane@example.com\nJoe'), { ok: true, lines: [{ line: 2, address: 'jane@example.com' }] }, 'a BOM, a column named email in any case, a short row')
  t.same(readImport('email\n'), { ok: false, error: 'The CSV has no addresses.' })
  t.match(readImport('"a@example.com\nb'), { ok: false, error: /^The CSV could not be read: / })
  t.match(readImport('a@example.com\n'.repeat(10_001)), { ok: false, error: 'Import at most 10000 addresses at a time.' })
})
