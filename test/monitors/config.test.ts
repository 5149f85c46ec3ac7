// The monitors' settings: the worker switch, the extra trusted CAs (read at start, a bad file stops it), the DNS servers.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig } from '../../server/config.js'
import { createCa } from './fixtures/certificates.js'

t.test('defaults: the worker runs, no extra CA, the system\'s resolvers', async (t) => {
  t.same(loadConfig({}).monitors, { worker: true, trustedCertificates: [], dnsServers: [] })
})

t.test('MONITORS_WORKER is on or off', async (t) => {
  t.equal(loadConfig({ MONITORS_WORKER: 'off' }).monitors.worker, false)
  t.equal(loadConfig({ MONITORS_WORKER: ' on ' }).monitors.worker, true)
  t.throws(() => loadConfig({ MONITORS_WORKER: 'yes' }), new ConfigError('MONITORS_WORKER must be one of on, off, not "yes"'))
})

t.test('MONITORS_CA_FILE: a PEM bundle, each certificate kept; a missing, empty or broken file stops start-up naming it', async (t) => {
  const dir = t.testdir()
  const first = createCa('First CA').cert
  const second = createCa('Second CA').cert
  const bundle = join(dir, 'bundle.pem')
  writeFileSync(bundle, `# our CAs\n${first}\n${second}`)
  const certificates = loadConfig({ MONITORS_CA_FILE: bundle }).monitors.trustedCertificates
  t.equal(certificates.length, 2)
  t.match(certificates[0], /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/)

  t.throws(() => loadConfig({ MONITORS_CA_FILE: join(dir, 'missing.pem') }), { name: 'ConfigError', message: /^MONITORS_CA_FILE cannot be read \(.*missing\.pem\): ENOENT$/ })
  const empty = join(dir, 'empty.pem')
  writeFileSync(empty, 'not a certificate\n')
  t.throws(() => loadConfig({ MONITORS_CA_FILE: empty }), { name: 'ConfigError', message: /must hold PEM certificates/ })
  const broken = join(dir, 'broken.pem')
  writeFileSync(broken, `${first}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`)
  t.throws(() => loadConfig({ MONITORS_CA_FILE: broken }), { name: 'ConfigError', message: /certificate 2 of 2 cannot be read/ })
})

t.test('MONITORS_DNS_SERVERS: addresses with optional ports, comma separated', async (t) => {
  t.same(loadConfig({ MONITORS_DNS_SERVERS: '127.0.0.1:5353, 10.0.0.2,::1,[::1]:53' }).monitors.dnsServers, ['127.0.0.1:5353', '10.0.0.2', '::1', '[::1]:53'])
  for (const bad of ['dns.example.com', '127.0.0.1:0', '127.0.0.1:70000', '1.2.3.4,', '[127.0.0.1]:53', '1.2.3.4:53\u0000', '300.1.1.1']) {
    t.throws(() => loadConfig({ MONITORS_DNS_SERVERS: bad }), { name: 'ConfigError', message: /^MONITORS_DNS_SERVERS must be IP addresses/ }, JSON.stringify(bad))
  }
})
