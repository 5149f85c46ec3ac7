// A webhook keeps the secret its test delivery was signed with (the subscribe form makes it first); a secret Herald did not make, or one for a chat, is refused.
import t from 'tap'
import { InvalidInputError } from '../../server/services/errors.js'
import { newSigningSecret } from '../../server/services/subscriber-service.js'
import { buildServices } from '../fixtures/services.js'

t.test('the given secret is the one kept and returned', async (t) => {
  const services = buildServices(t)
  const secret = newSigningSecret()
  t.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/)
  const subscribed = services.subscribers.subscribe({ kind: 'webhook', target: 'https://hooks.example.com/a', components: 'all', source: 'visitor', signingSecret: secret })
  t.match(subscribed, { outcome: 'subscribed', signingSecret: secret, subscriber: { signingSecret: secret } })
  const renewed = newSigningSecret()
  t.match(services.subscribers.subscribe({ kind: 'webhook', target: 'https://hooks.example.com/a', components: 'all', source: 'visitor', signingSecret: renewed }), { signingSecret: renewed }, 'subscribing again keeps the new one')
  t.match(services.subscribers.add('test', { kind: 'webhook', target: 'https://hooks.example.com/b', components: 'all', signingSecret: secret }, { skipConfirmation: false }), { signingSecret: secret }, 'the admin\'s add too')
  const made = services.subscribers.subscribe({ kind: 'webhook', target: 'https://hooks.example.com/c', components: 'all', source: 'visitor' })
  t.match(made, { signingSecret: /^whsec_/ }, 'without one, a new one')
  t.not(made.outcome === 'subscribed' ? made.signingSecret : '', secret)
})

t.test('a secret of another form, or for a chat, is refused and nothing is stored', async (t) => {
  const services = buildServices(t)
  for (const [kind, signingSecret] of [['webhook', 'hunter2'], ['webhook', `whsec_${'a'.repeat(42)}`], ['slack', newSigningSecret()]] as const) {
    t.throws(() => services.subscribers.subscribe({ kind, target: 'https://hooks.example.com/a', components: 'all', source: 'visitor', signingSecret }), InvalidInputError, `${kind} ${signingSecret}`)
  }
  t.equal(services.subscribers.list().total, 0)
})
