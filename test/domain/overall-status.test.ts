// The overall status roll-up: the worst of component statuses and open incident impacts.
import t from 'tap'
import { overallStatus } from '../../server/domain/overall-status.js'

t.test('words follow the worst thing going on', async (t) => {
  t.same(overallStatus([], []), { indicator: 'none', description: 'All Systems Operational', maintenance: false })
  t.match(overallStatus(['operational', 'degraded_performance'], []), { indicator: 'minor', description: 'Minor Service Outage' })
  t.match(overallStatus(['partial_outage', 'degraded_performance'], []), { indicator: 'major', description: 'Partial System Outage' })
  t.match(overallStatus(['major_outage', 'partial_outage'], ['minor']), { indicator: 'critical', description: 'Major Service Outage' })
  t.match(overallStatus(['operational'], ['critical']), { indicator: 'critical', description: 'Major Service Outage' })
  t.match(overallStatus(['operational'], ['none']), { indicator: 'none', description: 'All Systems Operational' })
  t.match(overallStatus(['operational'], ['major', 'minor']), { indicator: 'major' })
})

t.test('maintenance shows only when nothing worse happens', async (t) => {
  t.same(overallStatus(['under_maintenance', 'operational'], []), { indicator: 'none', description: 'Service Under Maintenance', maintenance: true })
  t.match(overallStatus(['under_maintenance', 'degraded_performance'], []), { indicator: 'minor', description: 'Minor Service Outage', maintenance: false })
  t.match(overallStatus(['under_maintenance'], ['minor']), { indicator: 'minor', maintenance: false })
})
