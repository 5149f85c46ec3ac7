// The post text of an update: the story's format, and always within each channel's limit as the channel counts it.
import t from 'tap'
import twitterText from 'twitter-text'
import { type PostLimit, type PostTextInput, buildPostText, mastodonLength, updateLink } from '../../server/domain/post-text.js'
import { countLength } from '../fixtures/fake-mastodon.js'

const link = updateLink('https://status.example.com', 'TM202916', 12)
const base: PostTextInput = { status: 'identified', reference: 'TM202916', incidentName: 'Microsoft Teams', body: '', link }
const x: PostLimit = { channel: 'twitter' }
const mastodon: PostLimit = { channel: 'mastodon', maxChars: 500 }
type Asserts = Pick<typeof t, 'ok'>
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** The text before the ellipsis and link, when shortened. */
function kept (text: string): string {
  return text.slice(0, text.length - link.length - 1).replace(/ ?…$/, '')
}

/** Checks the invariants of any post text: within the limit, the link whole at the end, a cut at a grapheme boundary. */
function checkPost (t: Asserts, text: string, limit: PostLimit, source: string, what: string): void {
  if (limit.channel === 'twitter') {
    const parsed = twitterText.parseTweet(text)
    t.ok(parsed.valid, `${what}: valid by parseTweet (weight ${parsed.weightedLength})`)
  } else {
    t.ok(countLength(text) <= limit.maxChars, `${what}: within Mastodon's ${limit.maxChars} (${countLength(text)})`)
    t.ok(mastodonLength(text) >= countLength(text), `${what}: Herald never counts less than Mastodon`)
  }
  t.ok(text.endsWith(` ${link}`), `${what}: the link is whole, at the end`)
  const prefix = kept(text)
  const cutAt = prefix.length
  if (text.includes('… ') && source.startsWith(prefix)) {
    const boundaries = new Set([...graphemes.segment(source.slice(0, cutAt + 40))].map((s) => s.index))
    t.ok(boundaries.has(cutAt), `${what}: cut at a grapheme boundary`)
  }
}

t.test('the generated text: status, reference, name, body as plain text, link', async (t) => {
  t.equal(updateLink('https://status.example.com/herald', 'TM202916', 7), 'https://status.example.com/herald/incidents/TM202916#update-7')
  const body = "We've determined that an **authentication certificate** has [expired](https://example.com/cert).\n\n- Sign-in\n- Chat"
  for (const limit of [x, mastodon]) {
    t.equal(buildPostText({ ...base, body }, limit),
      `[Identified] TM202916 Microsoft Teams: We've determined that an authentication certificate has expired.\nSign-in\nChat ${link}`)
  }
  t.equal(buildPostText({ ...base, status: 'investigating', body: 'a  \t b\r\n\r\n\r\nc\uFEFF\u0007' }, x),
    `[Investigating] TM202916 Microsoft Teams: a b\nc ${link}`, 'spaces collapsed, characters the channels refuse removed')
})

t.test('a custom text replaces the generated one; the link is still added, and it is shortened the same way', async (t) => {
  t.equal(buildPostText({ ...base, body: 'Body.', customText: '  Teams is back. Thank you for your patience!  ' }, x), `Teams is back. Thank you for your patience! ${link}`)
  t.equal(buildPostText({ ...base, body: 'Body.', customText: null }, x), `[Identified] TM202916 Microsoft Teams: Body. ${link}`)
  t.equal(buildPostText({ ...base, body: 'Body.', customText: ' \n ' }, x), `[Identified] TM202916 Microsoft Teams: Body. ${link}`, 'a blank custom text means generated')
  const custom = 'Teams is back. '.repeat(40)
  for (const limit of [x, mastodon]) {
    const text = buildPostText({ ...base, body: 'Body.', customText: custom }, limit)
    checkPost(t, text, limit, custom, `custom on ${limit.channel}`)
    t.match(text, /^Teams is back\. Teams is back\. .*\w… https:/, 'cut at a word, with an ellipsis')
  }
})

t.test('a long body is cut at a word boundary with an ellipsis, as long as the channel allows', async (t) => {
  const body = 'We have determined that an authentication certificate has expired, causing users to have issues. '.repeat(60)
  for (const limit of [x, mastodon, { channel: 'mastodon', maxChars: 1000 } as const]) {
    const text = buildPostText({ ...base, body }, limit)
    checkPost(t, text, limit, `[Identified] TM202916 Microsoft Teams: ${body}`, `5,000+ characters on ${limit.channel}`)
    t.match(text, /[a-z]… https:\/\//, 'a word, then the ellipsis (no dangling comma or space)')
    const max = limit.channel === 'twitter' ? 280 : limit.maxChars
    const weight = limit.channel === 'twitter' ? twitterText.parseTweet(text).weightedLength : countLength(text)
    t.ok(weight > max - 15, `${limit.channel}: the room is used (${weight} of ${max})`)
  }
})

t.test('length edge cases are always within the limit', async (t) => {
  const bodies: Record<string, string> = {
    '5,000 characters without a space': 'a'.repeat(5_000),
    'CJK text': '今日はいい天気ですね。サービスが停止しています。証明書の期限が切れました。'.repeat(120),
    'CJK without punctuation': '服务中断'.repeat(1_000),
    'emoji ZWJ sequences': '👩‍👩‍👧 👨🏽‍💻 🏳️‍🌈 🇫🇷 1️⃣ '.repeat(200),
    'emoji without spaces': '👩‍👩‍👧‍👦'.repeat(400),
    'many long URLs': ('see https://example.com/' + 'path/'.repeat(40) + '?q=' + 'x'.repeat(100) + ' ').repeat(40),
    'URLs without a scheme': 'status.example.com/incidents docs.example.org '.repeat(100),
    'combining marks': 'Z\u0335\u0322\u031Bo\u0301\u0308'.repeat(500),
    'right-to-left text': 'שלום עולם مرحبا بالعالم '.repeat(200),
    'a run of dots': 'a.'.repeat(10_000),
    mixed: 'Teams 服务中断 👩‍👩‍👧 https://example.com/a ok. '.repeat(300)
  }
  const limits: PostLimit[] = [x, mastodon, { channel: 'mastodon', maxChars: 100 }, { channel: 'mastodon', maxChars: 1_500 }]
  for (const [what, body] of Object.entries(bodies)) {
    for (const limit of limits) {
      const started = performance.now()
      const text = buildPostText({ ...base, body }, limit)
      const took = performance.now() - started
      checkPost(t, text, limit, `[Identified] TM202916 Microsoft Teams: ${body}`, `${what} on ${limit.channel}${limit.channel === 'mastodon' ? ` ${limit.maxChars}` : ''}`)
      // It runs inside the update's transaction: never seconds, whatever the body.
      t.ok(took < 1_000, `${what}: built in ${Math.round(took)} ms`)
    }
  }
})

t.test('a long name is shortened too, and the link is kept even when nothing else fits', async (t) => {
  const name = '服'.repeat(200)
  checkPost(t, buildPostText({ ...base, incidentName: name, body: 'Body.' }, x), x, `[Identified] TM202916 ${name}: Body.`, 'a 200-character CJK name')
  const longLink = `https://status.example.com/${'p'.repeat(80)}/incidents/TM202916#update-1`
  t.equal(buildPostText({ ...base, body: 'Body.', link: longLink }, { channel: 'mastodon', maxChars: 100 }).endsWith(longLink), true)
})

t.test('random bodies: always valid by parseTweet and within Mastodon’s count', async (t) => {
  // A seeded generator, so a failure can be replayed.
  let seed = 20200203
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
  const pieces = ['word', 'Teams', ' ', ' ', '\n', '.', ',', '服务', '中断', '👩‍👩‍👧', '🇫🇷', 'é', 'e\u0301', 'https://example.com/x', 'example.org', '#tag', '@someone', '—', 'ﾃｽﾄ', 'שלום']
  for (let i = 0; i < 150; i++) {
    let body = ''
    const length = Math.floor(random() * 400)
    for (let j = 0; j < length; j++) body += pieces[Math.floor(random() * pieces.length)]
    if (body.trim() === '') continue
    for (const limit of [x, mastodon]) {
      const text = buildPostText({ ...base, body }, limit)
      const ok = limit.channel === 'twitter' ? twitterText.parseTweet(text).valid : countLength(text) <= 500
      if (!ok) t.fail(`body ${i} on ${limit.channel} is over the limit`, { body })
    }
  }
  t.pass('150 random bodies checked on both channels')
})
