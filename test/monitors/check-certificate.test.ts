// A certificate as the checks judge it: its facts, validity by a given time, names, and a chain judged by signatures.
import { X509Certificate } from 'node:crypto'
import t from 'tap'
import { certificateFacts, chainProblem, issuerName, nameProblem, trustReason, validityProblem } from '../../server/monitors/certificate.js'
import { runCheck } from '../../server/monitors/run-check.js'
import { createCa, leafCertificate, testCa, validFor } from './fixtures/certificates.js'
import { tlsMonitor } from './fixtures/check-monitors.js'
import { tlsTarget } from './fixtures/tls-target.js'

const dayMs = 86_400_000
const x509 = (pem: string): X509Certificate => new X509Certificate(pem)

t.test('facts: names from the alt names (quoted ones too), else the common name; dates as ISO times', async (t) => {
  const facts = certificateFacts(x509(leafCertificate({ names: ['a.example', 'b,c.example', '192.0.2.1', '2001:db8::1'], commonName: 'Main name' }).cert))
  t.same(facts.names, ['a.example', 'b,c.example', '192.0.2.1', '2001:DB8:0:0:0:0:0:1'])
  t.equal(facts.subject, 'CN=Main name')
  t.match(facts.validFrom, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
  t.match(facts.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
  t.same(certificateFacts(x509(leafCertificate({ names: ['only-cn.example'], noAltNames: true }).cert)).names, ['only-cn.example'])
  t.same(certificateFacts(x509(testCa().cert)).names, ['Herald Test CA'], 'a CA: its common name')
  t.same(certificateFacts(x509(leafCertificate({ names: [], commonName: null, noAltNames: true }).cert)).names, [], 'no name at all')
})

t.test('what a certificate\'s maker wrote is kept bounded and without invisible characters', async (t) => {
  const hostile = certificateFacts(x509(leafCertificate({ names: ['evil\u0007\u001b[31m.example', 'ok.example'], commonName: 'gro.elpmaxe\u202e' }).cert))
  t.same(hostile.names, ['evil [31m.example', 'ok.example'])
  t.match(hostile.subject, /^CN=gro\.elpmaxe/)
  t.notMatch(hostile.subject, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/, 'no control character or bidi override, however node renders the name')
  const crowded = certificateFacts(x509(leafCertificate({ names: Array.from({ length: 150 }, (_, i) => `n${i}.example`) }).cert))
  t.equal(crowded.names.length, 100, 'at most 100 names')
  const long = certificateFacts(x509(leafCertificate({ names: [`${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}`] }).cert))
  t.equal(long.names[0]?.length, 255, 'a name is cut at 255 characters')
})

t.test('the issuer\'s name as a person says it', async (t) => {
  t.equal(issuerName({ issuer: 'C=US, O=Let\'s Encrypt, CN=R3' }), 'R3')
  t.equal(issuerName({ issuer: 'C=US, O=Example Trust' }), 'Example Trust')
  t.equal(issuerName({ issuer: 'weird' }), 'weird')
})

t.test('validity by the time given', async (t) => {
  const facts = { fingerprint: '', subject: '', issuer: '', names: [], validFrom: '2026-12-01T00:00:00.000Z', expiresAt: '2026-12-31T00:00:00.000Z' }
  t.equal(validityProblem(facts, new Date('2026-12-15T00:00:00.000Z')), null)
  t.equal(validityProblem(facts, new Date('2027-01-03T01:00:00.000Z')), 'certificate expired 3 days ago (2026-12-31)')
  t.equal(validityProblem(facts, new Date('2027-01-01T01:00:00.000Z')), 'certificate expired 1 day ago (2026-12-31)')
  t.equal(validityProblem(facts, new Date('2026-12-31T00:00:01.000Z')), 'certificate expired today (2026-12-31)')
  t.equal(validityProblem(facts, new Date('2026-11-30T12:00:00.000Z')), 'certificate not valid until 2026-12-01 (in 1 day)')
  t.equal(validityProblem(facts, new Date('2026-11-28T12:00:00.000Z')), 'certificate not valid until 2026-12-01 (in 3 days)')
})

t.test('names: listed up to five when the certificate is for others', async (t) => {
  const many = x509(leafCertificate({ names: ['a.example', 'b.example', 'c.example', 'd.example', 'e.example', 'f.example'] }).cert)
  t.equal(nameProblem(many, certificateFacts(many), 'z.example'), 'certificate is for a.example, b.example, c.example, d.example, e.example, …, not z.example')
  t.equal(nameProblem(many, certificateFacts(many), 'F.example'), null, 'names match whatever their case')
  const unnamed = x509(leafCertificate({ names: [], commonName: 'x', noAltNames: true }).cert)
  t.equal(nameProblem(unnamed, { ...certificateFacts(unnamed), names: [] }, 'a.example'), 'certificate is for no name, not a.example')
})

t.test('OpenSSL\'s verdicts in words', async (t) => {
  t.equal(trustReason('DEPTH_ZERO_SELF_SIGNED_CERT'), 'self-signed certificate')
  t.equal(trustReason('SOME_NEW_ERROR'), 'some new error', 'an unknown code is still readable')
})

t.test('a chain judged by signatures: through an intermediate to a trusted root, or not', async (t) => {
  const root = testCa()
  const intermediate = createCa('Herald Test Intermediate', root)
  const leaf = x509(leafCertificate({ issuer: intermediate }).cert)
  const middle = x509(intermediate.cert)
  const trusted = [x509(root.cert)]
  t.equal(chainProblem([leaf, middle], trusted), null)
  t.equal(chainProblem([leaf], trusted), 'issuer not known (unable to get local issuer certificate)', 'the intermediate missing')
  t.equal(chainProblem([leaf, middle], [middle]), null, 'an intermediate trusted itself')
  t.equal(chainProblem([middle], [middle]), null, 'a trusted certificate presented alone')
  t.equal(chainProblem([leaf, middle, x509(root.cert)], []), 'self-signed certificate in the chain')
  const selfSigned = x509(leafCertificate({ issuer: 'self' }).cert)
  t.equal(chainProblem([selfSigned], trusted), 'self-signed certificate')
  t.equal(chainProblem([], trusted), 'issuer not known (unable to get local issuer certificate)')
})

t.test('over TLS: a chain with its intermediate, expired by the machine\'s clock and not by Herald\'s', async (t) => {
  const intermediate = createCa('Herald Test Intermediate', testCa())
  const expiredNow = { notBefore: new Date(Date.now() - 60 * dayMs), notAfter: new Date(Date.now() - 10 * dayMs) }
  const leaf = leafCertificate({ ...expiredNow, issuer: intermediate })
  const withChain = await tlsTarget(t, { cert: leaf.cert + intermediate.cert, key: leaf.key })
  const leafOnly = await tlsTarget(t, leaf)
  const env = { clock: () => new Date(Date.now() - 30 * dayMs), trustedCertificates: [testCa().cert] }
  t.match(await runCheck(tlsMonitor({ port: withChain.port }), env), { ok: true, error: null })
  t.match(await runCheck(tlsMonitor({ port: leafOnly.port }), env), { ok: false, error: 'certificate not trusted: issuer not known (unable to get local issuer certificate)' })
  const current = leafCertificate({ ...validFor(30), issuer: intermediate })
  const currentChain = await tlsTarget(t, { cert: current.cert + intermediate.cert, key: current.key })
  t.match(await runCheck(tlsMonitor({ port: currentChain.port }), { clock: () => new Date(), trustedCertificates: [`${testCa().cert}\n${createCa('Unrelated').cert}`] }),
    { ok: true }, 'a bundle of CAs in one PEM')
})
