// Component automation's pure rules: the worst of the linked monitors, and when a monitor may set the component.
import t from 'tap'
import { type ComponentFacts, type LinkedMonitor, askedStatus, automationDecision } from '../../server/domain/monitor-automation.js'

const monitor = (state: LinkedMonitor['state'], more: Partial<LinkedMonitor> = {}): LinkedMonitor =>
  ({ state, paused: false, downStatus: 'major_outage', degradedStatus: 'degraded_performance', ...more })

t.test('the component asks for the worst of its unpaused monitors', async (t) => {
  t.equal(askedStatus([]), 'operational')
  t.equal(askedStatus([monitor('up'), monitor('pending')]), 'operational')
  t.equal(askedStatus([monitor('up'), monitor('degraded')]), 'degraded_performance')
  t.equal(askedStatus([monitor('degraded', { degradedStatus: 'partial_outage' }), monitor('down', { downStatus: 'partial_outage' })]), 'partial_outage')
  t.equal(askedStatus([monitor('degraded'), monitor('down')]), 'major_outage')
  t.equal(askedStatus([monitor('down', { paused: true }), monitor('up')]), 'operational', 'a paused monitor asks nothing')
})

const free: ComponentFacts = { status: 'operational', monitorStatus: null, heldByIncident: false, inMaintenance: false }

t.test('from operational, a monitor sets the status it asks for', async (t) => {
  t.same(automationDecision(free, 'major_outage'), { apply: true, status: 'major_outage' })
  t.same(automationDecision(free, 'operational'), { apply: false, why: 'unchanged' })
})

t.test('a status a monitor set moves with the monitors, back to operational included', async (t) => {
  const set: ComponentFacts = { ...free, status: 'major_outage', monitorStatus: 'major_outage' }
  t.same(automationDecision(set, 'operational'), { apply: true, status: 'operational' })
  t.same(automationDecision(set, 'degraded_performance'), { apply: true, status: 'degraded_performance' })
  t.same(automationDecision(set, 'major_outage'), { apply: false, why: 'unchanged' })
})

t.test('a status set by hand (or by an update) is never overwritten, nor put back to operational', async (t) => {
  const byHand: ComponentFacts = { ...free, status: 'partial_outage', monitorStatus: null }
  t.same(automationDecision(byHand, 'operational'), { apply: false, why: 'set-by-hand' })
  t.same(automationDecision(byHand, 'major_outage'), { apply: false, why: 'set-by-hand' })
  // monitor_status is cleared by any other change; a leftover that no longer matches is not the monitor's either.
  t.same(automationDecision({ ...byHand, monitorStatus: 'major_outage' }, 'operational'), { apply: false, why: 'set-by-hand' })
  t.same(automationDecision({ ...free, status: 'under_maintenance' }, 'major_outage'), { apply: false, why: 'set-by-hand' })
})

t.test('never while an open incident or a maintenance in progress names the component', async (t) => {
  t.same(automationDecision({ ...free, heldByIncident: true }, 'major_outage'), { apply: false, why: 'incident' })
  t.same(automationDecision({ ...free, inMaintenance: true }, 'major_outage'), { apply: false, why: 'maintenance' })
  const set: ComponentFacts = { ...free, status: 'major_outage', monitorStatus: 'major_outage', heldByIncident: true }
  t.same(automationDecision(set, 'operational'), { apply: false, why: 'incident' }, 'not even a recovery: the incident\'s people decide')
})
