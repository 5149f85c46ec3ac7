// Social post text with bidi controls in a name or a body: the rest of the post and its link keep their direction.
import t from 'tap'
import twitterText from 'twitter-text'
import { buildPostText, fitsLimit, type PostLimit, type PostTextInput } from '../../server/domain/post-text.js'

const RLO = '\u202E'
const PDF = '\u202C'
const FSI = '\u2068'
const PDI = '\u2069'
const link = 'https://status.example.com/incidents/TM202916#update-7'
const twitter: PostLimit = { channel: 'twitter' }
const mastodon: PostLimit = { channel: 'mastodon', maxChars: 500 }

const input = (overrides: Partial<PostTextInput>): PostTextInput =>
  ({ status: 'identified', reference: 'TM202916', incidentName: 'Teams', body: 'Certificate expired.', link, ...overrides })

/** Whether every override, embedding and isolate opened is closed before the end of its line. */
function balanced (text: string): boolean {
  for (const line of text.split('\n')) {
    let depth = 0
    for (const char of line) {
      if (/[\u202A\u202B\u202D\u202E\u2066-\u2068]/.test(char)) depth++
      if (char === PDF || char === PDI) depth--
      if (depth < 0) return false
    }
    if (depth !== 0) return false
  }
  return true
}

t.test('a name with an open right-to-left override is isolated, so the text after it keeps its order', async (t) => {
  for (const limit of [twitter, mastodon]) {
    const text = buildPostText(input({ incidentName: `Teams ${RLO}desrever` }), limit)
    t.equal(text, `[Identified] TM202916 ${FSI}Teams ${RLO}desrever${PDF}${PDI}: Certificate expired. ${link}`, limit.channel)
    t.ok(balanced(text))
  }
})

t.test('names without bidi controls are posted as before, right-to-left letters included', async (t) => {
  t.equal(buildPostText(input({ incidentName: 'انقطاع Teams' }), mastodon), `[Identified] TM202916 انقطاع Teams: Certificate expired. ${link}`)
})

t.test('an override in a body or a custom text is closed before the link', async (t) => {
  const fromBody = buildPostText(input({ body: `First line ${RLO}open\n\nSecond ${RLO}line` }), mastodon)
  t.equal(fromBody, `[Identified] TM202916 Teams: First line ${RLO}open${PDF}\nSecond ${RLO}line${PDF} ${link}`)
  const custom = buildPostText(input({ customText: `We are on it ${RLO}now` }), twitter)
  t.equal(custom, `We are on it ${RLO}now${PDF} ${link}`)
  t.equal(buildPostText(input({ customText: `stray closers ${PDF}${PDI} only` }), mastodon), `stray closers  only ${link}`, 'closers that close nothing go')
})

t.test('a post cut inside an isolated name or an override still closes it, within the limit as the channel counts', async (t) => {
  const name = `${RLO}${'x'.repeat(150)} ${'y'.repeat(150)}`
  for (const limit of [twitter, { channel: 'mastodon', maxChars: 120 } as PostLimit]) {
    const text = buildPostText(input({ incidentName: name }), limit)
    t.ok(text.includes('…'), `${limit.channel}: shortened`)
    t.ok(balanced(text), `${limit.channel}: every override closed`)
    t.ok(text.endsWith(` ${link}`), `${limit.channel}: the link whole at the end`)
    t.ok(fitsLimit(text, limit), `${limit.channel}: fits`)
  }
  // Twitter/X weighs the isolate characters 2 each: a body that just fits without them is shortened with them.
  const body = `${RLO}${'z'.repeat(250)}`
  const text = buildPostText(input({ customText: body }), twitter)
  t.ok(twitterText.parseTweet(text).valid)
  t.ok(balanced(text))
})
