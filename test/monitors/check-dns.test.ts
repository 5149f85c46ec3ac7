// The dns check through a resolver pointed at a local UDP responder: each record type, expected answers, NXDOMAIN, SERVFAIL, silence.
import t from 'tap'
import { normalizeAnswer } from '../../server/monitors/dns-check.js'
import { type CheckEnvironment, runCheck } from '../../server/monitors/run-check.js'
import { dnsMonitor } from './fixtures/check-monitors.js'
import { dnsResponder } from './fixtures/dns-responder.js'

t.test('each record type resolves; any answer passes when none is expected', async (t) => {
  const dns = await dnsResponder(t)
  const env: CheckEnvironment = { clock: () => new Date(), dnsServers: [dns.server] }
  dns.add('status.example', { type: 'A', data: '192.0.2.10' })
  dns.add('status.example', { type: 'AAAA', data: '2001:db8::10' })
  dns.add('status.example', { type: 'MX', data: { preference: 10, exchange: 'mx1.example' } })
  dns.add('status.example', { type: 'MX', data: { preference: 20, exchange: 'mx2.example' } })
  dns.add('status.example', { type: 'TXT', data: ['v=spf1 include:_spf.example', ' -all'] })
  dns.add('status.example', { type: 'NS', data: 'ns1.example' })
  dns.add('www.status.example', { type: 'CNAME', data: 'status.example' })

  for (const recordType of ['A', 'AAAA', 'MX', 'TXT', 'NS'] as const) {
    const outcome = await runCheck(dnsMonitor({ name: 'status.example', recordType }), env)
    t.match(outcome, { ok: true, error: null, statusCode: null, certificate: null }, recordType)
  }
  t.match(await runCheck(dnsMonitor({ name: 'www.status.example', recordType: 'CNAME' }), env), { ok: true })
  t.ok(dns.queries.includes('status.example MX'), 'the responder was asked')
})

t.test('the expected answer: addresses as addresses, names without the final dot and case, MX by exchange, TXT joined', async (t) => {
  const dns = await dnsResponder(t)
  const env: CheckEnvironment = { clock: () => new Date(), dnsServers: [dns.server] }
  dns.add('status.example', { type: 'A', data: '192.0.2.10' })
  dns.add('status.example', { type: 'A', data: '192.0.2.11' })
  dns.add('status.example', { type: 'AAAA', data: '2001:db8::10' })
  dns.add('status.example', { type: 'MX', data: { preference: 10, exchange: 'mx1.example' } })
  dns.add('status.example', { type: 'TXT', data: ['v=spf1 include:_spf.example', ' -all'] })
  dns.add('www.status.example', { type: 'CNAME', data: 'status.example' })
  const check = (recordType: 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME', expected: string, name = 'status.example'): ReturnType<typeof runCheck> =>
    runCheck(dnsMonitor({ name, recordType, expected }), env)

  t.match(await check('A', '192.0.2.11'), { ok: true }, 'one of the answers')
  t.match(await check('A', '192.0.2.12'), { ok: false, error: 'status.example A: got "192.0.2.10, 192.0.2.11", expected "192.0.2.12"' })
  t.match(await check('AAAA', '2001:0db8:0:0:0:0:0:0010'), { ok: true }, 'an IPv6 address written in full')
  t.match(await check('AAAA', '2001:db8::11'), { ok: false, error: 'status.example AAAA: got "2001:db8::10", expected "2001:db8::11"' })
  t.match(await check('MX', 'MX1.example.'), { ok: true }, 'a name with its final dot, in capitals')
  t.match(await check('MX', 'mx2.example'), { ok: false, error: 'status.example MX: got "mx1.example", expected "mx2.example"' })
  t.match(await check('TXT', 'v=spf1 include:_spf.example -all'), { ok: true }, 'chunks joined')
  t.match(await check('TXT', 'v=spf1 -all'), { ok: false })
  t.match(await check('CNAME', 'Status.Example.', 'www.status.example'), { ok: true })
  t.match(await check('CNAME', 'other.example', 'www.status.example'), { ok: false, error: 'www.status.example CNAME: got "status.example", expected "other.example"' })
})

t.test('NXDOMAIN, no record of the type, SERVFAIL and silence fail with the code', async (t) => {
  const dns = await dnsResponder(t)
  const env: CheckEnvironment = { clock: () => new Date(), dnsServers: [dns.server] }
  dns.add('status.example', { type: 'A', data: '192.0.2.10' })
  dns.add('broken.example', { type: 'A', data: '192.0.2.10' })
  dns.behave('broken.example', 'servfail')
  dns.add('quiet.example', { type: 'A', data: '192.0.2.10' })
  dns.behave('quiet.example', 'silent')

  t.match(await runCheck(dnsMonitor({ name: 'missing.example' }), env), { ok: false, error: 'missing.example A: ENOTFOUND (no such name (NXDOMAIN))' })
  t.match(await runCheck(dnsMonitor({ name: 'status.example', recordType: 'AAAA' }), env),
    { ok: false, error: 'status.example AAAA: ENODATA (no record of this type)' })
  t.match(await runCheck(dnsMonitor({ name: 'broken.example' }), env), { ok: false, error: 'broken.example A: ESERVFAIL (the server failed (SERVFAIL))' })
  const started = Date.now()
  const silent = await runCheck(dnsMonitor({ name: 'quiet.example' }, { timeoutMs: 300 }), env)
  t.match(silent, { ok: false, error: /^(timed out after 300 ms|quiet\.example A: ETIMEOUT \(no answer from the DNS server\))$/ })
  t.ok(Date.now() - started < 2_000, 'given up at the timeout')

  dns.behave('broken.example', 'records')
  t.match(await runCheck(dnsMonitor({ name: 'broken.example' }), env), { ok: true }, 'behaves again')
  dns.behave('status.example', 'nxdomain')
  t.match(await runCheck(dnsMonitor({ name: 'status.example' }), env), { ok: false, error: /ENOTFOUND/ })
})

t.test('a bad DNS server setting and a closing Herald are outcomes', async (t) => {
  t.match(await runCheck(dnsMonitor({ name: 'status.example' }), { clock: () => new Date(), dnsServers: ['not a server'] }), { ok: false, error: /.+/ })
  const dns = await dnsResponder(t)
  dns.add('quiet.example', { type: 'A', data: '192.0.2.10' })
  dns.behave('quiet.example', 'silent')
  const controller = new AbortController()
  const running = runCheck(dnsMonitor({ name: 'quiet.example' }), { clock: () => new Date(), dnsServers: [dns.server], signal: controller.signal })
  controller.abort()
  t.match(await running, { ok: false, error: 'stopped: Herald is closing' })
})

t.test('answers are normalized as the comparison needs', async (t) => {
  t.equal(normalizeAnswer('2001:0DB8:0000::0001'), '[2001:db8::1]')
  t.equal(normalizeAnswer(' Example.COM. '), 'example.com')
  t.equal(normalizeAnswer('192.0.2.1'), '192.0.2.1')
})
