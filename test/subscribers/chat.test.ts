// The chat messages (Slack blocks, Discord embeds, a Teams Adaptive Card): their shapes, hostile text escaped for each, mentions off, long text cut to each limit.
import t from 'tap'
import { ChatChannel, isChatKind } from '../../server/notify/chat-channel.js'
import { chatLimits, chatMessage, cut, discordEscape, discordMessage, slackEscape, slackMessage, statusColor, statusColors, teamsEscape, teamsMessage } from '../../server/notify/chat-messages.js'
import { OutboundHttp } from '../../server/notify/outbound-http.js'
import { attackCorpus } from '../fixtures/attack-corpus.js'
import { startFakeReceiver } from './fixtures/fake-receiver.js'
import { handFacts } from './fixtures/hand-facts.js'
import { testLinks, urlSubscriber } from './fixtures/url-subscriber.js'

const hostileName = '<!channel> **Teams** @everyone & <b>down</b> [x](javascript:alert(1))'
const hostileBody = '<!everyone> <https://evil.example|click here> & @here <@123> `code` *bold* _it_ ~s~ ||spoiler|| [link](https://evil.example)\n# heading\n> quote\n- item\n1. first'
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

type Json = any

t.test('Slack: blocks with the status, name and reference, the body, the link; a text fallback', async (t) => {
  const message: Json = slackMessage(handFacts(), testLinks)
  t.same(message.blocks.map((block: Json) => block.type), ['header', 'section', 'section', 'context'])
  t.same(message.blocks[0].text, { type: 'plain_text', text: '[Identified] Users unable to access Microsoft Teams (TM202916)', emoji: false })
  t.equal(message.blocks[1].text.type, 'mrkdwn')
  t.equal(message.blocks[1].text.text, '*Status:* Identified\n*Components:*\nTeams chat: Partial Outage')
  t.equal(message.blocks[2].text.text, 'We have determined that an authentication certificate has expired.')
  t.equal(message.blocks[3].elements[0].text,
    `<https://status.example.com/incidents/TM202916#update-3|TM202916 on Example Status> · <${testLinks.manage}|Manage this subscription>`)
  t.equal(message.text, '[Identified] Users unable to access Microsoft Teams (TM202916): We have determined that an authentication certificate has expired.')

  const bare: Json = slackMessage(handFacts({ body: '', components: [] }), testLinks)
  t.same(bare.blocks.map((block: Json) => block.type), ['header', 'section', 'context'], 'no body section for an empty body')
  t.equal(bare.blocks[1].text.text, '*Status:* Identified')
})

t.test('Slack: &, < and > escaped in every text, so no mention or link can be typed', async (t) => {
  const message: Json = slackMessage(handFacts({ name: hostileName, body: hostileBody }), testLinks)
  const texts = [message.text, message.blocks[0].text.text, message.blocks[2].text.text]
  for (const text of texts) {
    t.notMatch(text, /<[!@#]|<https?:/, 'no Slack markup from the typed text')
    t.notMatch(text, /&(?!amp;|lt;|gt;)/, 'every & escaped')
  }
  t.equal(message.blocks[2].text.text, slackEscape(hostileBody))
  t.match(message.blocks[0].text.text, '&lt;!channel&gt; **Teams** @everyone &amp; &lt;b&gt;down&lt;/b&gt;')
  t.equal(slackEscape('a & <b> > c'), 'a &amp; &lt;b&gt; &gt; c')
})

t.test('every string of the attack corpus, as a name and as a body, stays text in every chat', async (t) => {
  for (const { label, text } of attackCorpus) {
    const facts = handFacts({ name: text, body: text, components: [{ name: text, status: 'major_outage', statusLabel: 'Major Outage' }] })
    const slack: Json = slackMessage(facts, testLinks)
    const typed = [slack.text, slack.blocks[0].text.text, slack.blocks[1].text.text, ...(slack.blocks.length === 4 ? [slack.blocks[2].text.text] : [])]
    for (const piece of typed) t.notMatch(piece, /[<>]|&(?!amp;|lt;|gt;)/, `Slack: ${label}`)
    const discord: Json = discordMessage(facts, testLinks)
    const description = discord.embeds[0].description.replace(/\n\n\[Manage this subscription\]\([^)]*\)$/, '')
    for (const piece of [discord.embeds[0].title, description, discord.embeds[0].fields[0].value]) {
      t.notMatch(piece.replace(/\\[\s\S]/g, ''), /[*_~`|<@[\]()]/, `Discord: ${label}`)
    }
    const teams: Json = teamsMessage(facts, testLinks)
    for (const block of teams.attachments[0].content.body.filter((entry: Json) => entry.type === 'TextBlock')) {
      t.notMatch(block.text.replace(/\\[\s\S]/g, ''), /[*_[\]()]/, `Teams: ${label}`)
    }
    for (const message of [slack, discord, teams]) t.same(JSON.parse(JSON.stringify(message)), message, `JSON: ${label}`)
  }
})

t.test('Discord: one embed in the status colour, components as a field, mentions off', async (t) => {
  const message: Json = discordMessage(handFacts(), testLinks)
  t.same(message.allowed_mentions, { parse: [] })
  t.equal(message.embeds.length, 1)
  const [embed] = message.embeds
  t.equal(embed.title, '\\[Identified\\] Users unable to access Microsoft Teams \\(TM202916\\)')
  t.equal(embed.url, 'https://status.example.com/incidents/TM202916#update-3')
  t.equal(embed.color, statusColors.partial)
  t.ok(Number.isInteger(embed.color) && embed.color >= 0 && embed.color <= 0xffffff, 'an integer colour')
  t.same(embed.fields, [{ name: 'Components', value: 'Teams chat: Partial Outage', inline: false }])
  t.equal(embed.timestamp, '2020-02-03T15:00:00.000Z')
  t.equal(embed.footer.text, 'Example Status')
  t.match(embed.description, `\n\n[Manage this subscription](${testLinks.manage})`)

  const hostile: Json = discordMessage(handFacts({ name: hostileName, body: hostileBody }), testLinks)
  const description: string = hostile.embeds[0].description
  t.match(description, '\\<!everyone>', 'no <!everyone>')
  t.match(description, '\\<\\@123>', 'no <@id> mention')
  t.match(description, '\\@here')
  t.match(description, '\\[link\\]\\(https://evil.example\\)')
  t.notMatch(description.replace(/\\./g, '').replace(/\[Manage this subscription\]\([^)]*\)$/, ''), /[*_~`|<@[\]()]/, 'every markup character is escaped (the manage link aside)')
  t.match(description, '\n\\# heading\n\\> quote\n\\- item\n\\1. first', 'no heading, quote or list')
  t.same(hostile.allowed_mentions, { parse: [] }, '@everyone in a body pings nobody')
  t.equal(discordEscape('a*b_c'), 'a\\*b\\_c')
  t.match(discordMessage(handFacts({ components: [] }), testLinks), { embeds: [{ fields: [] }] }, 'no field without components')
})

t.test('Teams: a message with an Adaptive Card 1.4 for a Workflows webhook', async (t) => {
  const message: Json = teamsMessage(handFacts(), testLinks)
  t.equal(message.type, 'message')
  t.equal(message.attachments.length, 1)
  const [attachment] = message.attachments
  t.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive')
  t.match(attachment.content, { type: 'AdaptiveCard', version: '1.4', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' })
  const [title, status, body, facts] = attachment.content.body
  t.match(title, { type: 'TextBlock', text: '\\[Identified\\] Users unable to access Microsoft Teams \\(TM202916\\)', wrap: true })
  t.match(status, { type: 'TextBlock', text: 'Identified', color: 'attention' })
  t.match(body, { type: 'TextBlock', text: 'We have determined that an authentication certificate has expired.', wrap: true })
  t.same(facts, { type: 'FactSet', facts: [{ title: 'Teams chat', value: 'Partial Outage' }] })
  t.same(attachment.content.actions, [
    { type: 'Action.OpenUrl', title: 'View TM202916', url: 'https://status.example.com/incidents/TM202916#update-3' },
    { type: 'Action.OpenUrl', title: 'Manage this subscription', url: testLinks.manage }
  ])

  const hostile: Json = teamsMessage(handFacts({ name: hostileName, body: hostileBody }), testLinks)
  const text: string = hostile.attachments[0].content.body[2].text
  t.match(text, '\\[link\\]\\(https://evil.example\\)', 'no link from the typed text')
  t.match(text, '\\*bold\\*')
  t.match(text, '\n# heading\n> quote\n\\- item\n\\1. first', 'no list (Teams shows headings and quotes as typed)')
  t.equal(teamsEscape('x_y'), 'x\\_y')
  t.equal(teamsMessage(handFacts({ body: '', components: [] }), testLinks) !== null, true)
  t.same((teamsMessage(handFacts({ body: '', components: [] }), testLinks) as Json).attachments[0].content.body.map((block: Json) => block.type), ['TextBlock', 'TextBlock'])
})

t.test('long names and bodies are cut to each limit, never inside an escape or a character', async (t) => {
  const long = handFacts({ name: 'N&'.repeat(400), body: `${'&<'.repeat(30_000)}😀${'😀'.repeat(60_000)}`, components: Array.from({ length: 200 }, (_, i) => ({ name: `Component ${i} ${'x'.repeat(40)}`, status: 'major_outage' as const, statusLabel: 'Major Outage' })) })
  const slack: Json = slackMessage(long, testLinks)
  t.ok(slack.text.length <= chatLimits.slackText)
  t.ok(slack.blocks[0].text.text.length <= chatLimits.slackHeader)
  for (const block of slack.blocks.slice(1, 3)) t.ok(block.text.text.length <= chatLimits.slackSection)
  t.notMatch(slack.blocks[2].text.text, /&(a|am|amp|l|lt)?…$/, 'not cut inside an escape')
  const discord: Json = discordMessage(long, testLinks)
  const embed = discord.embeds[0]
  t.ok(embed.title.length <= chatLimits.discordTitle)
  t.ok(embed.description.length <= chatLimits.discordDescription)
  t.ok(embed.fields[0].value.length <= chatLimits.discordField)
  t.ok(embed.title.length + embed.description.length + embed.fields[0].value.length + embed.footer.text.length <= 6000, 'the embed within 6000 characters')
  const teams: Json = teamsMessage(long, testLinks)
  t.ok(teams.attachments[0].content.body[2].text.length <= chatLimits.teamsText)
  t.ok(JSON.stringify(teams).length < 28_000, 'under the Teams webhook\'s 28 KB')
  for (const message of [slack, discord, teams]) t.notMatch(JSON.stringify(message), loneSurrogate)
  const emoji = handFacts({ body: '😀'.repeat(5000) })
  for (const message of [slackMessage(emoji, testLinks), discordMessage(emoji, testLinks), teamsMessage(emoji, testLinks)]) {
    t.notMatch(JSON.stringify(message).replace(/\\u[0-9a-f]{4}/g, ''), loneSurrogate, 'no half emoji')
  }
  t.equal(cut('abc', 3), 'abc')
  t.equal(cut('abcd', 3), 'ab…')
  t.equal(cut('a😀b', 3), 'a…', 'the pair is kept whole or dropped')
})

t.test('the status colour: resolved green, maintenance blue, else the worse of impact and components', async (t) => {
  t.equal(statusColor(handFacts({ status: 'resolved' })), 'ok')
  t.equal(statusColor(handFacts({ status: 'completed', maintenance: true })), 'ok')
  t.equal(statusColor(handFacts({ status: 'in_progress', maintenance: true })), 'maintenance')
  t.equal(statusColor(handFacts({ impact: 'critical', components: [] })), 'major')
  t.equal(statusColor(handFacts({ impact: 'none', components: [] })), 'minor')
  t.equal(statusColor(handFacts({ impact: 'minor', components: [{ name: 'A', status: 'major_outage', statusLabel: 'Major Outage' }, { name: 'B', status: 'degraded_performance', statusLabel: 'Degraded Performance' }] })), 'major')
  t.equal(statusColor(handFacts({ impact: 'major', components: [{ name: 'A', status: 'degraded_performance', statusLabel: 'Degraded Performance' }] })), 'partial')
  t.equal(statusColor({ ...handFacts({ components: [{ name: 'A', status: 'degraded_performance', statusLabel: 'Degraded Performance' }] }), incident: null, update: null }), 'minor', 'a component event: its status')
  t.equal((discordMessage(handFacts({ status: 'resolved' }), testLinks) as Json).embeds[0].color, 0x1a7f37)
  t.equal((teamsMessage(handFacts({ status: 'resolved' }), testLinks) as Json).attachments[0].content.body[1].color, 'good')
})

t.test('the chat channel posts each kind in its format, and reads the answers', async (t) => {
  const receiver = await startFakeReceiver(t)
  const channel = new ChatChannel(new OutboundHttp({ allowPrivateUrls: true, allowHttpUrls: true, requestTimeoutMs: 2000 }), () => new Date('2020-02-03T15:00:00.000Z'))
  t.teardown(() => { channel.close() })
  t.same(channel.kinds, ['slack', 'discord', 'teams'])
  t.ok(isChatKind('teams'))
  t.notOk(isChatKind('webhook'))
  const facts = handFacts()
  const signal = new AbortController().signal
  receiver.answerNext({ status: 200, body: 'ok' }, { status: 204 }, { status: 202 })
  for (const kind of ['slack', 'discord', 'teams'] as const) {
    t.same(await channel.send({ deliveryId: 1, subscriber: urlSubscriber(kind, receiver.url(`/${kind}`)), facts, links: testLinks }, signal), { outcome: 'sent' }, kind)
  }
  t.same(receiver.requests.map((request) => [request.path, request.headers['content-type']]), [['/slack', 'application/json'], ['/discord', 'application/json'], ['/teams', 'application/json']])
  t.same(receiver.requests.map((request) => JSON.parse(request.body)), ['slack', 'discord', 'teams'].map((kind) => JSON.parse(JSON.stringify(chatMessage(kind as 'slack', facts, testLinks)))))

  receiver.answerNext({ status: 400, body: 'invalid_payload' }, { status: 500 })
  t.same(await channel.send({ deliveryId: 2, subscriber: urlSubscriber('slack', receiver.url()), facts, links: testLinks }, signal), { outcome: 'failed', error: 'answered 400: invalid_payload', bounced: false })
  t.same(await channel.send({ deliveryId: 3, subscriber: urlSubscriber('slack', receiver.url()), facts, links: testLinks }, signal), { outcome: 'retry', error: 'answered 500', notBefore: null })

  const componentFacts = { ...facts, incident: null, update: null }
  t.match(await channel.send({ deliveryId: 4, subscriber: urlSubscriber('discord', receiver.url()), facts: componentFacts, links: testLinks }, signal), { outcome: 'failed', error: /incident and maintenance updates only/ })
  t.match(await channel.send({ deliveryId: 5, subscriber: urlSubscriber('webhook', receiver.url()), facts, links: testLinks }, signal), { outcome: 'failed' })
  t.equal(receiver.requests.length, 5, 'nothing sent for what a chat does not get')
  t.same(await channel.send({ deliveryId: 6, subscriber: urlSubscriber('teams', 'https://u:p@example.com/hook'), facts, links: testLinks }, signal), { outcome: 'failed', error: 'must not carry a user name or password', bounced: false })
  t.throws(() => slackMessage(componentFacts, testLinks), /not an incident update/)
})
