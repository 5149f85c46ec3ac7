// Wall-clock times in a named zone: to UTC (clock changes both ways, impossible dates) and back, and which zone names pass.
import t from 'tap'
import { canonicalTimeZone, utcToZoned, zonedToUtc } from '../../server/domain/zoned-time.js'

t.test('a wall-clock time in a zone names one UTC time, the first of two when the clocks fall back, none when they spring forward', async (t) => {
  t.same(zonedToUtc('2020-02-04T05:00', 'America/New_York'), { ok: true, time: '2020-02-04T10:00:00.000Z' })
  t.same(zonedToUtc('2020-07-04T05:00', 'America/New_York'), { ok: true, time: '2020-07-04T09:00:00.000Z' }, 'summer time')
  t.same(zonedToUtc('2020-02-04T10:00:30', 'Asia/Kolkata'), { ok: true, time: '2020-02-04T04:30:30.000Z' }, 'half-hour offsets and seconds')
  t.same(zonedToUtc('2020-02-04T10:00', 'Pacific/Chatham'), { ok: true, time: '2020-02-03T20:15:00.000Z' }, 'a quarter-hour offset, across the date line')
  t.same(zonedToUtc('2020-02-04T10:00', 'UTC'), { ok: true, time: '2020-02-04T10:00:00.000Z' })
  t.same(zonedToUtc('2020-03-29T02:30', 'Europe/Berlin'), { ok: false, reason: 'skipped' }, 'spring forward: 02:00 to 03:00 does not happen')
  t.same(zonedToUtc('2020-03-29T03:00', 'Europe/Berlin'), { ok: true, time: '2020-03-29T01:00:00.000Z' })
  t.same(zonedToUtc('2020-10-25T02:30', 'Europe/Berlin'), { ok: true, time: '2020-10-25T00:30:00.000Z' }, 'fall back: the first 02:30 (summer time)')
  t.same(zonedToUtc('2020-02-30T10:00', 'Europe/Berlin'), { ok: false, reason: 'no-such-date' })
  t.same(zonedToUtc('2020-02-04T24:00', 'UTC'), { ok: false, reason: 'no-such-date' })
})

t.test('a UTC time shown in a zone, to the minute', async (t) => {
  t.equal(utcToZoned('2020-02-04T10:00:59.999Z', 'America/New_York'), '2020-02-04T05:00')
  t.equal(utcToZoned('2020-10-25T00:30:00.000Z', 'Europe/Berlin'), '2020-10-25T02:30')
  t.equal(utcToZoned('2020-10-25T01:30:00.000Z', 'Europe/Berlin'), '2020-10-25T02:30', 'the second 02:30')
  t.equal(utcToZoned('1969-12-31T23:59:30.500Z', 'UTC'), '1969-12-31T23:59', 'before 1970 too')
})

t.test('zone names: what Intl knows, by its canonical name; offsets, markup and made-up names are refused', async (t) => {
  t.equal(canonicalTimeZone('europe/berlin'), 'Europe/Berlin')
  t.equal(canonicalTimeZone('UTC'), 'UTC')
  for (const zone of ['Mars/Olympus', '+01:00', '<b>UTC</b>', '', 'UTC\u0000', '\u202eUTC', `Europe/${'x'.repeat(64)}`]) {
    t.equal(canonicalTimeZone(zone), null, JSON.stringify(zone))
  }
})
