// Accept-Encoding negotiation.
import t from 'tap'
import { chooseEncoding } from '../../server/cache/encoding.js'

t.test('picks the best coding the client takes', async (t) => {
  t.equal(chooseEncoding(undefined), 'identity')
  t.equal(chooseEncoding(''), 'identity')
  t.equal(chooseEncoding('gzip, deflate, br'), 'br', 'brotli wins a tie')
  t.equal(chooseEncoding('gzip, deflate'), 'gzip')
  t.equal(chooseEncoding('br;q=0.5, gzip;q=0.8'), 'gzip', 'q-values rank')
  t.equal(chooseEncoding('br;q=0, gzip;q=0'), 'identity', 'refused codings are not used')
  t.equal(chooseEncoding('*'), 'br', 'anything goes')
  t.equal(chooseEncoding('*;q=0, identity;q=1'), 'identity')
  t.equal(chooseEncoding('deflate'), 'identity', 'codings Herald does not keep fall back to identity')
  t.equal(chooseEncoding('GZIP;Q=1'), 'gzip', 'case does not matter')
  t.equal(chooseEncoding('gzip;q=abc, br;q=0.1'), 'br', 'a malformed weight counts as refused')
  t.equal(chooseEncoding(' , gzip'), 'gzip')
})
