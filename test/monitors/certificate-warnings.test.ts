// Certificate warnings: days left, the one threshold a certificate's days call for.
import t from 'tap'
import { daysLeft, warningThreshold } from '../../server/domain/certificate-warnings.js'

t.test('days left are whole days, rounded down, negative once expired', async (t) => {
  const now = new Date('2026-01-01T12:00:00.000Z')
  t.equal(daysLeft('2026-01-15T12:00:00.000Z', now), 14)
  t.equal(daysLeft('2026-01-15T11:59:59.999Z', now), 13)
  t.equal(daysLeft('2026-01-01T12:00:00.000Z', now), 0)
  t.equal(daysLeft('2025-12-31T12:00:00.000Z', now), -1)
})

t.test('the smallest threshold crossed, only', async (t) => {
  t.equal(warningThreshold(20, [14, 7]), null)
  t.equal(warningThreshold(14, [14, 7]), 14)
  t.equal(warningThreshold(8, [14, 7]), 14)
  t.equal(warningThreshold(5, [14, 7]), 7, 'a new certificate with 5 days left warns once, at 7')
  t.equal(warningThreshold(-3, [14, 7]), 7, 'an expired one too')
  t.equal(warningThreshold(1, [30, 14, 7, 1]), 1)
  t.equal(warningThreshold(3, [7, 30, 14]), 7, 'in any order')
  t.equal(warningThreshold(3, []), null, 'no thresholds: no warnings')
})
