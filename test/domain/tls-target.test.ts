// A TLS target as a person writes it (cert-check's arguments): host, host:port, [IPv6]:port, https URL; everything else refused with a reason.
import t from 'tap'
import { parseTlsTarget, tlsTargetText } from '../../server/domain/tls-target.js'

t.test('the forms a target takes', async (t) => {
  t.same(parseTlsTarget('login.example.com'), { host: 'login.example.com', port: 443 })
  t.same(parseTlsTarget('login.example.com:8443'), { host: 'login.example.com', port: 8443 })
  t.same(parseTlsTarget('Login.Example.COM.:443'), { host: 'login.example.com', port: 443 }, 'lower case, no final dot')
  t.same(parseTlsTarget('192.0.2.1:993'), { host: '192.0.2.1', port: 993 })
  t.same(parseTlsTarget('[2001:DB8::1]:8443'), { host: '2001:db8::1', port: 8443 })
  t.same(parseTlsTarget('[::1]'), { host: '::1', port: 443 })
  t.same(parseTlsTarget('::1'), { host: '::1', port: 443 })
  t.same(parseTlsTarget('https://login.example.com/path?q=1'), { host: 'login.example.com', port: 443 })
  t.same(parseTlsTarget('HTTPS://login.example.com:8443'), { host: 'login.example.com', port: 8443 })
  t.same(parseTlsTarget('https://[::1]:8443/'), { host: '::1', port: 8443 })
  t.same(parseTlsTarget('bücher.example'), { host: 'xn--bcher-kva.example', port: 443 }, 'an international name in its ASCII form')
  t.same(parseTlsTarget('_acme.example'), { host: '_acme.example', port: 443 })
})

t.test('what is refused, and why', async (t) => {
  const refusals: Array<[string, string]> = [
    ['', 'is empty'],
    ['http://login.example.com', 'must be an https URL or host:port, not http:'],
    ['ftp://login.example.com', 'must be an https URL or host:port, not ftp:'],
    ['https://user:secret@login.example.com', 'must not carry a user name or password'],
    ['https://:secret@login.example.com', 'must not carry a user name or password'],
    ['https://exa mple.com', 'is not a valid URL'],
    ['https://a..b/', 'has no valid host name'],
    ['login.example.com:0', 'the port must be from 1 to 65535'],
    ['login.example.com:65536', 'the port must be from 1 to 65535'],
    ['login.example.com:-1', 'the port must be from 1 to 65535'],
    ['login.example.com:', 'the port must be from 1 to 65535'],
    ['login.example.com:443:1', 'the port must be from 1 to 65535'],
    ['[login.example.com]:443', 'has no valid IPv6 address in brackets'],
    ['[::1', 'must be host, host:port, [IPv6]:port or an https URL'],
    ['login example.com', 'has no valid host name'],
    ['<b>x</b>', 'has no valid host name'],
    ['a'.repeat(64) + '.example', 'has no valid host name'],
    [`${'a.'.repeat(127)}ab`, 'has no valid host name'],
    ['login.example.com\n', 'must not contain control characters, bidi overrides or lone surrogates'],
    ['login\u202e.example.com', 'must not contain control characters, bidi overrides or lone surrogates'],
    ['login\ud800.example.com', 'must not contain control characters, bidi overrides or lone surrogates'],
    ['x'.repeat(3000), 'must be at most 2048 characters']
  ]
  for (const [text, error] of refusals) t.same(parseTlsTarget(text), { error }, JSON.stringify(text.slice(0, 40)))
})

t.test('written back as host:port', async (t) => {
  t.equal(tlsTargetText({ host: 'login.example.com', port: 443 }), 'login.example.com:443')
  t.equal(tlsTargetText({ host: '2001:db8::1', port: 8443 }), '[2001:db8::1]:8443')
})
