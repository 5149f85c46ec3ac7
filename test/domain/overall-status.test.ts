// The overall status roll-up: the worst of component statuses and open incident impacts, and what a maintenance leaves of an outage.
import t from 'tap'
import { overallStatus } from '../../server/domain/overall-status.js'
import { componentStatuses, isOutage, statusUnderMaintenance } from '../../server/domain/statuses.js'

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

t.test('a maintenance starting over a component in an outage leaves the outage shown; the roll-up then says the outage', async (t) => {
  t.same(componentStatuses.map((status) => [status, statusUnderMaintenance(status)]), [
    ['operational', 'under_maintenance'],
    ['degraded_performance', 'degraded_performance'],
    ['partial_outage', 'partial_outage'],
    ['major_outage', 'major_outage'],
    ['under_maintenance', 'under_maintenance']
  ])
  t.same(componentStatuses.filter(isOutage), ['degraded_performance', 'partial_outage', 'major_outage'])
  t.match(overallStatus([statusUnderMaintenance('major_outage'), statusUnderMaintenance('operational')], [], true), { indicator: 'critical', maintenance: false })
})
