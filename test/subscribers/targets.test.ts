// The rules of subscribers' targets: which email addresses and webhook URLs are taken, as what, and why others are refused.
import t from 'tap'
import { checkEmailAddress, checkSubscriberUrl, checkTarget, maxEmailLength, targetKey } from '../../server/domain/subscriber-targets.js'

t.test('email addresses taken, the domain lower-cased and in ASCII', async (t) => {
  const taken: Array<[string, string]> = [
    ['alice@example.com', 'alice@example.com'],
    ['  Alice.Smith@Example.COM ', 'Alice.Smith@example.com'],
    ['ops+status@sub.example.co.uk', 'ops+status@sub.example.co.uk'],
    ["o'brien!#$%&*/=?^_`{|}~-@example.com", "o'brien!#$%&*/=?^_`{|}~-@example.com"],
    ['user@bücher.example', 'user@xn--bcher-kva.example'],
    ['user@ÉCOLE.fr', 'user@xn--cole-9oa.fr'],
    ['user@例え.jp', 'user@xn--r8jz45g.jp'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
    ['a@b.co', 'a@b.co'],
    ['a@123.example.com', 'a@123.example.com']
  ]
  for (const [text, value] of taken) t.same(checkEmailAddress(text), { ok: true, value }, JSON.stringify(text))
})

t.test('email addresses refused, each with its reason', async (t) => {
  const refused: Array<[string, RegExp]> = [
    ['', /enter an email address/],
    ['   ', /enter an email address/],
    ['alice', /must look like name@example.com/],
    ['@example.com', /must look like name@example.com/],
    ['alice@', /must look like name@example.com/],
    ['alice@localhost', /must be a domain name/],
    ['alice@example.', /must be a domain name/],
    ['alice@-example.com', /must be a domain name/],
    ['alice@exa_mple.com', /must be a domain name/],
    ['alice@[127.0.0.1]', /must be a domain name/],
    ['alice@127.0.0.1', /must be a domain name/],
    ['alice@example.123', /must be a domain name/],
    ['a@b.c\r\nBcc: x@evil.example', /control or invisible character/],
    ['a@b.c\nBcc: x@evil.example', /control or invisible character/],
    ['alice@example.com\u0000', /control or invisible character/],
    ['alice\u202E@example.com', /control or invisible character/],
    ['alice@exam\u200Bple.com', /control or invisible character/],
    ['alice@example.com\uD800', /control or invisible character/],
    ['alice\t@example.com', /control or invisible character/],
    ['alice smith@example.com', /must not contain spaces/],
    ['alice@exa mple.com', /must not contain spaces/],
    ['josé@example.com', /ASCII letters: addresses with other letters before the @ are not supported/],
    ['用户@例子.中国', /ASCII letters/],
    ['"alice"@example.com', /the part before @ may hold/],
    ['alice..smith@example.com', /the part before @ may hold/],
    ['.alice@example.com', /the part before @ may hold/],
    ['alice.@example.com', /the part before @ may hold/],
    ['<script>@example.com', /the part before @ may hold/],
    ['a@b@example.com', /the part before @ may hold/],
    [`${'a'.repeat(65)}@example.com`, /the part before @ must be at most 64/],
    [`a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(70)}.com`, /must be at most 254|must be a domain name/],
    [`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.com`, new RegExp(`at most ${maxEmailLength}`)],
    [`a@${'ü'.repeat(60)}.${'ü'.repeat(60)}.${'ü'.repeat(60)}.example`, /at most 254|must be a domain name/],
    // 210 characters as typed, 276 once the domain is in punycode.
    [`${'a'.repeat(64)}@${Array(11).fill('ü'.repeat(12)).join('.')}.de`, /at most 254/],
    ['x'.repeat(10_000_000), /at most 254/]
  ]
  for (const [text, reason] of refused) {
    const checked = checkEmailAddress(text)
    t.equal(checked.ok, false, JSON.stringify(text.slice(0, 80)))
    if (!checked.ok) t.match(checked.reason, reason, JSON.stringify(text.slice(0, 80)))
  }
  t.equal(checkEmailAddress(42 as unknown as string).ok, false, 'not a string')
})

t.test('URLs taken: https, or http when allowed, normalized as the URL parser does', async (t) => {
  const https = { allowHttp: false }
  t.same(checkSubscriberUrl('webhook', 'https://hooks.example.com/status?key=1', https), { ok: true, value: 'https://hooks.example.com/status?key=1' })
  t.same(checkSubscriberUrl('slack', ' https://HOOKS.slack.com/services/T0/B0/x ', https), { ok: true, value: 'https://hooks.slack.com/services/T0/B0/x' })
  t.same(checkSubscriberUrl('discord', 'https://bücher.example/hook', https), { ok: true, value: 'https://xn--bcher-kva.example/hook' })
  t.same(checkSubscriberUrl('teams', 'https://example.com:8443', https), { ok: true, value: 'https://example.com:8443/' })
  t.same(checkSubscriberUrl('webhook', 'http://127.0.0.1:8080/hook', { allowHttp: true }), { ok: true, value: 'http://127.0.0.1:8080/hook' })
  t.same(checkSubscriberUrl('webhook', 'https://10.0.0.1/hook', https), { ok: true, value: 'https://10.0.0.1/hook' }, 'addresses are checked on connecting, not here')
})

t.test('URLs refused, each with its reason', async (t) => {
  const refused: Array<[string, RegExp, boolean?]> = [
    ['', /enter the webhook URL/],
    ['hooks.example.com/status', /must be an absolute URL/],
    ['/relative', /must be an absolute URL/],
    ['http://hooks.example.com/status', /must start with https:\/\/ \(plain http is not allowed here\)/],
    ['file:///etc/passwd', /must start with https:\/\/, not file:/, true],
    ['javascript:alert(1)', /must start with https:\/\/, not javascript:/, true],
    ['JavaScript:alert(1)', /not javascript:/, true],
    ['data:text/html,<script>alert(1)</script>', /not data:/, true],
    ['ftp://example.com/x', /not ftp:/, true],
    ['gopher://example.com/x', /must start with https:\/\/, not gopher:/, true],
    ['https://user:pass@hooks.example.com/status', /must not contain a user name or password/],
    ['https://user@hooks.example.com/status', /must not contain a user name or password/],
    ['https://hooks.example.com/status#frag', /must not have a fragment/],
    ['https://hooks.example.com/status#', /must not have a fragment/],
    ['https://hooks.example.com/\u202Eevil', /control or invisible character/],
    ['https://hooks.example.com/x\r\nHost: evil', /control or invisible character/],
    ['https://hooks.example.com/\u0000', /control or invisible character/],
    ['https://hooks.example.com/\uDC00', /control or invisible character/],
    ['https://hooks.exa mple.com/', /must not contain spaces/],
    [`https://hooks.example.com/${'a'.repeat(2048)}`, /at most 2048/],
    [`https://hooks.example.com/${'ü'.repeat(400)}`, /at most 2048/],
    ['https://<script>/', /must be an absolute URL/]
  ]
  for (const [text, reason, withHttp] of refused) {
    for (const allowHttp of withHttp === true ? [false, true] : [false]) {
      const checked = checkSubscriberUrl('webhook', text, { allowHttp })
      t.equal(checked.ok, false, `${JSON.stringify(text.slice(0, 80))} (allowHttp ${String(allowHttp)})`)
      if (!checked.ok) t.match(checked.reason, reason, JSON.stringify(text.slice(0, 80)))
    }
  }
  const chat = checkSubscriberUrl('slack', '', { allowHttp: false })
  t.match(chat, { ok: false, reason: /enter the incoming-webhook URL/ })
})

t.test('targets compare an address whole in lower case, a URL as stored', async (t) => {
  t.equal(targetKey('email', 'Alice.Smith@example.com'), 'alice.smith@example.com')
  t.equal(targetKey('webhook', 'https://hooks.example.com/Path'), 'https://hooks.example.com/Path')
  t.same(checkTarget('email', 'Bob@Example.com', { allowHttp: false }), { ok: true, value: 'Bob@example.com' })
  t.same(checkTarget('teams', 'http://example.com/', { allowHttp: true }), { ok: true, value: 'http://example.com/' })
})
