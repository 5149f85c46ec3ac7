// If-Modified-Since: only an HTTP-date (IMF-fixdate, RFC 850, asctime) that is not in the future can earn a 304, on both paths.
import { request } from 'node:http'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { parseHttpDate } from '../../server/cache/http-date.js'
import { tempDir, testConfig } from '../fixtures/build.js'

const rfc9110Example = Date.UTC(1994, 10, 6, 8, 49, 37)

t.test('the three forms RFC 9110 names are read, and nothing else', async (t) => {
  t.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), rfc9110Example, 'IMF-fixdate')
  t.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(2025, 0, 1)), rfc9110Example, 'RFC 850')
  t.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), rfc9110Example, 'asctime, a day of one digit after a space')
  t.equal(parseHttpDate('Sun Nov 06 08:49:37 1994'), rfc9110Example, 'asctime, a day of two digits')
  t.equal(parseHttpDate('Thu, 01 Jan 1970 00:00:00 GMT'), 0)
  t.equal(parseHttpDate('Wed, 31 Dec 2031 23:59:60 GMT'), Date.UTC(2031, 11, 31, 23, 59, 59), 'a leap second')
  t.equal(parseHttpDate('Tue, 29 Feb 2000 12:00:00 GMT'), Date.UTC(2000, 1, 29, 12), 'a leap day')
  t.equal(parseHttpDate('Thu, 01 Jan 0099 00:00:00 GMT'), new Date('0099-01-01T00:00:00.000Z').getTime(), 'the year 99 is not 1999')
  t.equal(parseHttpDate(new Date(rfc9110Example).toUTCString()), rfc9110Example, 'what Last-Modified sends')

  const garbage = [
    '', '2100', '99999', '0', '-1', 'now', 'Sun, 06 Nov 1994', '1994-11-06T08:49:37Z', '1994-11-06', '06 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 08:49:37 UTC', 'Sun, 06 Nov 1994 08:49:37 +0000', 'sun, 06 nov 1994 08:49:37 gmt', 'Sun, 6 Nov 1994 08:49:37 GMT',
    'Sun,  06 Nov 1994 08:49:37 GMT', 'Sun, 06 Nov 94 08:49:37 GMT', 'Sun, 06 Nov 1994 8:49:37 GMT', 'Sunday, 06 Nov 1994 08:49:37 GMT',
    'Sun, 06-Nov-94 08:49:37 GMT', 'Sunday, 06-Nov-1994 08:49:37 GMT', 'Sun Nov 6 08:49:37 1994', 'Sun Nov  6 08:49:37 94',
    'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 00 Nov 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 24:00:00 GMT', 'Sun, 06 Nov 1994 08:60:00 GMT',
    'Sun, 06 Nov 1994 08:49:61 GMT', 'Mon, 29 Feb 1999 12:00:00 GMT', 'Sun, 06 Xyz 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37 GMT; length=3',
    'Sun, 06 Nov 1994 08:49:37 GMTx', 'Sun, 06 Nov +1994 08:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37.5 GMT'
  ]
  for (const text of garbage) t.equal(parseHttpDate(text), undefined, JSON.stringify(text))
})

t.test('an RFC 850 year of two digits is the latest one not more than 50 years ahead', async (t) => {
  const in2020 = Date.UTC(2020, 5, 1)
  t.equal(new Date(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', in2020) as number).getUTCFullYear(), 1994)
  t.equal(new Date(parseHttpDate('Tuesday, 06-Nov-01 08:49:37 GMT', in2020) as number).getUTCFullYear(), 2001)
  t.equal(new Date(parseHttpDate('Sunday, 06-Nov-70 08:49:37 GMT', in2020) as number).getUTCFullYear(), 2070, '50 years ahead')
  t.equal(new Date(parseHttpDate('Friday, 06-Nov-71 08:49:37 GMT', in2020) as number).getUTCFullYear(), 1971, '51 years ahead is the past')
})

interface Answer { status: number, headers: Record<string, string> }

function get (url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      res.resume()
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string> }))
    })
    req.once('error', reject)
    req.end()
  })
}

const longDays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** The same time in the three forms. */
function forms (at: number): Record<string, string> {
  const date = new Date(at)
  const imf = date.toUTCString()
  const [day, dd, mon, yyyy, time] = imf.replace(',', '').split(' ') as [string, string, string, string, string]
  return {
    'IMF-fixdate': imf,
    'RFC 850': `${longDays[date.getUTCDay()] as string}, ${dd}-${mon}-${yyyy.slice(2)} ${time} GMT`,
    asctime: `${day} ${mon} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} ${yyyy}`
  }
}

t.test('Fastify and the front door answer If-Modified-Since alike: 304 for an HTTP-date since then, the body for garbage or a date to come', async (t) => {
  const app = await buildApp({ config: testConfig(tempDir(t)), logger: false })
  t.teardown(() => app.close())
  let reached = 0
  app.addHook('onRequest', async () => { reached++ })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const base = `http://127.0.0.1:${port}`
  const first = await app.inject('/history.rss')
  const lastModified = Date.parse(String(first.headers['last-modified']))
  await get(`${base}/history.rss`, {})

  const cases: Array<[string, string, number]> = []
  for (const [form, text] of Object.entries(forms(lastModified))) cases.push([`its Last-Modified as ${form}`, text, 304])
  for (const [form, text] of Object.entries(forms(lastModified + 3_600_000 * 24 * 365))) cases.push([`a year later as ${form}`, text, 200])
  for (const [form, text] of Object.entries(forms(lastModified - 60_000))) cases.push([`a minute before as ${form}`, text, 200])
  cases.push(['a year', '2100', 200], ['a number', '99999', 200], ['an ISO date', new Date(lastModified).toISOString(), 200],
    ['a date with a zone', `${new Date(lastModified).toUTCString().slice(0, -4)} +0000`, 200], ['nothing', '', 200])

  for (const [what, header, status] of cases) {
    const viaFastify = await app.inject({ url: '/history.rss', headers: { 'if-modified-since': header } })
    t.equal(viaFastify.statusCode, status, `Fastify: ${what} (${JSON.stringify(header)})`)
    const before = reached
    const viaFront = await get(`${base}/history.rss`, { 'if-modified-since': header })
    t.equal(reached, before, `${what}: answered by the front door`)
    t.equal(viaFront.status, status, `front door: ${what}`)
  }
})
