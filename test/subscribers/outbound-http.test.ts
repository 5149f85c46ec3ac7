// The guarded outbound HTTP: no request reaches this machine or its networks unless allowed, by IP literal or by a name; no redirect, no credentials, no plain http.
import type { LookupFunction } from 'node:net'
import t, { type Test } from 'tap'
import { version } from '../../server/package-info.js'
import { OutboundError, OutboundHttp, type OutboundHttpOptions, checkOutboundUrl, publicOnlyLookup, responseReadLimit, shortText } from '../../server/notify/outbound-http.js'
import { isSpecialAddress } from '../../server/notify/special-addresses.js'
import { startFakeReceiver } from './fixtures/fake-receiver.js'

const guarded: OutboundHttpOptions = { allowPrivateUrls: false, allowHttpUrls: true, requestTimeoutMs: 2000 }
const open: OutboundHttpOptions = { allowPrivateUrls: true, allowHttpUrls: true, requestTimeoutMs: 2000 }

function client (t: Test, options: OutboundHttpOptions): OutboundHttp {
  const http = new OutboundHttp(options)
  t.teardown(() => { http.close() })
  return http
}

/** A resolver that answers `addresses` for every name, counting its calls. */
function resolver (addresses: Array<{ address: string, family: number }>): LookupFunction & { calls: string[] } {
  const calls: string[] = []
  const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    calls.push(hostname)
    if (options.all === true) callback(null, addresses)
    else callback(null, addresses[0]?.address, addresses[0]?.family)
  }) as unknown as LookupFunction & { calls: string[] }
  lookup.calls = calls
  return lookup
}

async function refusal (promise: Promise<unknown>): Promise<OutboundError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof OutboundError) return error
    throw error
  }
  throw new Error('the request was not refused')
}

t.test('special addresses', async (t) => {
  const special = [
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '100.127.255.255', '0.0.0.0', '255.255.255.255', '224.0.0.1', '239.255.255.250', '240.0.0.1', '192.0.2.5', '198.51.100.7',
    '203.0.113.9', '198.18.0.1', '198.19.255.255', '192.0.0.8',
    '::1', '::', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1', '2001:db8::1', '::ffff:127.0.0.1',
    '::ffff:7f00:1', '::ffff:10.1.2.3', '::ffff:a9fe:a9fe', '64:ff9b::a00:1', '64:ff9b::7f00:1', '2002:7f00:1::1', '100::1',
    'fec0::1', '3fff::1', '0:0:0:0:0:ffff:7f00:1', 'not an address', ''
  ]
  const ordinary = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '192.169.0.1', '11.0.0.1',
    '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::808:808', '2606:4700:4700:0:0:0:0:1111']
  for (const address of special) t.ok(isSpecialAddress(address), `${address} is special`)
  for (const address of ordinary) t.notOk(isSpecialAddress(address), `${address} is public`)
})

t.test('URLs refused before anything is sent', async (t) => {
  const cases: Array<[string, Partial<OutboundHttpOptions>, RegExp]> = [
    ['not a url', {}, /^is not a URL$/],
    ['http://hooks.example.com/x', { allowHttpUrls: false }, /must start with https:\/\/ \(plain http is not allowed here\)/],
    ['file:///etc/passwd', {}, /must start with https:\/\/, not file:/],
    ['javascript:alert(1)', {}, /not javascript:/],
    ['ftp://example.com/', {}, /not ftp:/],
    ['https://user:secret@hooks.example.com/x', {}, /must not carry a user name or password/],
    ['https://user@hooks.example.com/x', {}, /must not carry a user name or password/],
    ['https://127.0.0.1/x', {}, /^is a private address/],
    ['https://[::1]/x', {}, /^is a private address/],
    ['https://0x7f.1/x', {}, /^is a private address/],
    ['https://2130706433/x', {}, /^is a private address/],
    ['https://[::ffff:127.0.0.1]/x', {}, /^is a private address/],
    ['https://169.254.169.254/latest/meta-data/', {}, /^is a private address/]
  ]
  for (const [url, options, message] of cases) {
    const error = await refusal(Promise.resolve().then(() => checkOutboundUrl(url, { ...guarded, ...options })))
    t.match(error.message, message, url)
    t.not(error.message, undefined)
    t.notMatch(error.message, /secret/, 'the password is never repeated')
    t.equal(error.kind, /private/.test(error.message) ? 'address' : 'url')
  }
  t.equal(checkOutboundUrl('https://127.0.0.1/x', { ...guarded, allowPrivateUrls: true }).hostname, '127.0.0.1', 'allowed by the setting')
  t.equal(checkOutboundUrl('https://8.8.8.8/x', guarded).hostname, '8.8.8.8', 'a public address literal')
})

t.test('loopback is refused by IP literal and by a name that resolves to it, and nothing arrives', async (t) => {
  const receiver = await startFakeReceiver(t)
  const http = client(t, guarded)
  for (const url of [receiver.url(), `http://[::1]:${receiver.port}/hook`, `http://localhost:${receiver.port}/hook`, `http://[::ffff:7f00:1]:${receiver.port}/hook`]) {
    const error = await refusal(http.post({ url, headers: {}, body: '{}' }))
    t.equal(error.kind, 'address', url)
    t.match(error.message, /private address/)
  }
  t.equal(receiver.requests.length, 0, 'the receiver got nothing')
})

t.test('the address checked is the one the connection is made to', async (t) => {
  const receiver = await startFakeReceiver(t)
  // A name resolving to a private address is refused where the socket gets its address: one lookup, no connection.
  const privateName = resolver([{ address: '10.1.2.3', family: 4 }])
  let error = await refusal(client(t, { ...guarded, lookup: privateName }).post({ url: `http://hooks.example.test:${receiver.port}/hook`, headers: {}, body: '{}' }))
  t.match(error, { kind: 'address', message: /^resolves to a private address/ })
  t.same(privateName.calls, ['hooks.example.test'], 'resolved once, by the connection itself')

  // Public and private answers: only the public ones may be connected to (here, none answers: 192.0.2.1 is refused too).
  const mixed = resolver([{ address: '127.0.0.1', family: 4 }, { address: '192.0.2.1', family: 4 }])
  error = await refusal(client(t, { ...guarded, lookup: mixed }).post({ url: `http://rebind.example.test:${receiver.port}/hook`, headers: {}, body: '{}' }))
  t.equal(error.kind, 'address')

  // With the setting, the same name is connected to at the address the resolver gave.
  const loopbackName = resolver([{ address: '127.0.0.1', family: 4 }])
  const response = await client(t, { ...open, lookup: loopbackName }).post({ url: `http://hooks.example.test:${receiver.port}/hook`, headers: {}, body: '{}' })
  t.equal(response.status, 200)
  t.equal(receiver.requests.length, 1)
  t.equal(receiver.requests[0]?.headers.host, `hooks.example.test:${receiver.port}`)
})

t.test('a lookup hands over only the public addresses of a name', async (t) => {
  const mixed = resolver([{ address: '127.0.0.1', family: 4 }, { address: '8.8.8.8', family: 4 }, { address: 'fd00::1', family: 6 }, { address: '2606:4700::1111', family: 6 }])
  const lookup = publicOnlyLookup(mixed)
  const all = await new Promise<unknown>((resolve) => { lookup('x.test', { all: true }, (_error, addresses) => resolve(addresses)) })
  t.same(all, [{ address: '8.8.8.8', family: 4 }, { address: '2606:4700::1111', family: 6 }])
  const one = await new Promise<unknown[]>((resolve) => { lookup('x.test', {}, (_error, address, family) => resolve([address, family])) })
  t.same(one, ['8.8.8.8', 4], 'one address when one is asked for')
  // A resolver answering the single form (address, family) is read too.
  const single = ((_hostname: string, _options: unknown, callback: (error: null, address: string, family: number) => void) => { callback(null, '10.0.0.1', 4) }) as unknown as LookupFunction
  const refused = await new Promise<unknown>((resolve) => { publicOnlyLookup(single)('y.test', {}, (error) => resolve(error)) })
  t.match(refused, { kind: 'address' })
})

t.test('names that do not resolve, refused connections', async (t) => {
  const failing = ((_hostname: string, _options: unknown, callback: (error: NodeJS.ErrnoException) => void) => {
    callback(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' }))
  }) as unknown as LookupFunction
  let error = await refusal(client(t, { ...guarded, lookup: failing }).post({ url: 'https://nowhere.test/hook', headers: {}, body: '{}' }))
  t.match(error, { kind: 'network', message: 'its host name does not resolve' })

  const broken = ((_hostname: string, _options: unknown, callback: (error: Error) => void) => { callback(new Error('resolver\nbroke')) }) as unknown as LookupFunction
  error = await refusal(client(t, { ...guarded, lookup: broken }).post({ url: 'https://nowhere.test/hook', headers: {}, body: '{}' }))
  t.match(error, { kind: 'network', message: 'could not be reached: resolver broke' })

  const receiver = await startFakeReceiver(t)
  const port = receiver.port
  await receiver.close()
  error = await refusal(client(t, open).post({ url: `http://127.0.0.1:${port}/hook`, headers: {}, body: '{}' }))
  t.match(error, { kind: 'network', message: 'refused the connection' })
})

t.test('redirects are not followed; answers are read up to a limit; time limit; abort', async (t) => {
  const receiver = await startFakeReceiver(t)
  const http = client(t, { ...open, requestTimeoutMs: 300 })
  receiver.answerNext({ status: 301, headers: { location: 'http://169.254.169.254/\tX: y' } })
  let error = await refusal(http.post({ url: receiver.url(), headers: {}, body: '{}' }))
  t.match(error, { kind: 'redirect', status: 301, message: 'redirects are not followed (301 to http://169.254.169.254/ X: y)' })
  t.equal(receiver.requests.length, 1, 'the redirect was not followed')

  receiver.answerNext({ status: 200, body: 'fine' })
  const answered = await http.post({ url: receiver.url(), headers: { 'x-extra': '1' }, body: '{"a":1}' })
  t.match(answered, { status: 200, bodyExcerpt: 'fine' })
  t.match(receiver.requests[1], { method: 'POST', body: '{"a":1}', headers: { 'user-agent': `Herald/${version}`, 'content-length': '7', 'x-extra': '1' } })

  receiver.answerNext({ stream: Infinity })
  const started = Date.now()
  const endless = await http.post({ url: receiver.url(), headers: {}, body: '{}' })
  t.equal(endless.status, 200)
  t.equal(Buffer.byteLength(endless.bodyExcerpt), responseReadLimit, 'read up to the limit, the rest left')
  t.ok(Date.now() - started < 300, 'answered before the time limit: the body was not waited for')

  receiver.answerNext({ hang: true })
  error = await refusal(http.post({ url: receiver.url(), headers: {}, body: '{}' }))
  t.match(error, { kind: 'timeout', message: 'no answer within 0.3 s' })

  receiver.answerNext({ hang: true })
  const controller = new AbortController()
  const aborted = refusal(http.post({ url: receiver.url(), headers: {}, body: '{}', signal: controller.signal }))
  controller.abort()
  t.match(await aborted, { kind: 'aborted' })
  t.match(await refusal(http.post({ url: receiver.url(), headers: {}, body: '{}', signal: AbortSignal.abort() })), { kind: 'aborted' }, 'already aborted: not sent')
})

t.test('connections are kept alive between requests', async (t) => {
  const receiver = await startFakeReceiver(t)
  const http = client(t, open)
  await http.post({ url: receiver.url(), headers: {}, body: '1' })
  await http.post({ url: receiver.url(), headers: {}, body: '2' })
  t.equal(receiver.requests.length, 2)
  t.equal(receiver.requests[0]?.connection, receiver.requests[1]?.connection, 'one connection')
})

t.test('shortText: one line, no controls or bidi overrides, bounded', async (t) => {
  t.equal(shortText('a\r\nb\u202ec\u0000d'), 'a b c d')
  t.equal(shortText('x'.repeat(300)).length, 200)
  t.equal(shortText('x'.repeat(300), 10), `${'x'.repeat(9)}…`)
})
