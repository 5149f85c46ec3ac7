// `herald token create|list|revoke` as a child process: the token alone on stdout, stored hashed, one-line errors.
import { createHash } from 'node:crypto'
import t from 'tap'
import { openDatabase } from '../../server/db/open-database.js'
import { herald, heraldEnv, lines } from './fixtures/herald-process.js'

t.test('create, list, refuse a duplicate, revoke, refuse an unknown one', async (t) => {
  const dir = t.testdir()
  const env = heraldEnv(dir)

  const created = await herald(['token', 'create', 'ci'], env)
  t.equal(created.code, 0)
  t.match(created.stdout, /^hrld_[A-Za-z0-9_-]{43}\n$/, 'stdout is the token and a newline, nothing else')
  t.equal(created.stderr, '')
  const token = created.stdout.trim()

  const db = openDatabase(env.DATABASE_PATH as string)
  const stored = db.prepare('SELECT name, token_hash FROM api_tokens').all()
  db.close()
  t.same(stored, [{ name: 'ci', token_hash: createHash('sha256').update(token).digest('hex') }], 'stored as its hash, never in plain text')

  // Independent of each other: run side by side to keep the suite fast.
  const [list, duplicate, noName, badName, twoNames] = await Promise.all([
    herald(['token', 'list'], env),
    herald(['token', 'create', 'ci'], env),
    herald(['token', 'create'], env),
    herald(['token', 'create', 'not a name'], env),
    herald(['token', 'create', 'a', 'b'], env)
  ])
  t.equal(list.code, 0)
  t.match(lines(list.stdout), [/^NAME\s+CREATED\s+LAST USED$/, /^ci\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+never$/])
  t.notMatch(list.stdout, token, 'the list never shows a token')

  t.equal(duplicate.code, 1)
  t.equal(duplicate.stdout, '')
  t.equal(duplicate.stderr, 'herald: a token named ci already exists\n')

  t.equal(noName.code, 1)
  t.equal(noName.stderr, 'herald: token create needs a name: herald token create <name>; run `herald help` for the commands\n',
    'a usage mistake is one line that points to the usage')

  t.equal(badName.code, 1)
  t.match(badName.stderr, /^herald: token name must be 1 to 64 letters, digits, dots, dashes or underscores\n$/)

  t.equal(twoNames.code, 1)
  t.equal(twoNames.stderr, 'herald: token create takes one name, not also "b"; run `herald help` for the commands\n')

  const revoked = await herald(['token', 'revoke', 'ci'], env)
  t.equal(revoked.code, 0)
  t.equal(revoked.stdout, 'revoked token ci\n')

  const [after, again] = await Promise.all([herald(['token', 'list'], env), herald(['token', 'revoke', 'ci'], env)])
  t.equal(after.code, 0)
  t.notMatch(after.stdout, /^ci\s/m, 'the revoked token is gone from the list')
  t.match(after.stdout, /no API tokens yet/)
  t.equal(again.code, 1)
  t.equal(again.stderr, 'herald: no token named ci\n', 'revoking an unknown token is one line, no stack')
})

t.test('a token command without an action, or with an unknown one, is a usage error', async (t) => {
  const env = heraldEnv(t.testdir())
  const [none, unknown, stray] = await Promise.all([
    herald(['token'], env),
    herald(['token', 'delete', 'ci'], env),
    herald(['token', 'list', '--all'], env)
  ])
  t.equal(none.code, 1)
  t.equal(none.stderr, 'herald: token needs an action: create <name>, list or revoke <name>; run `herald help` for the commands\n')
  t.equal(unknown.code, 1)
  t.match(lines(unknown.stderr)[0], /^herald: unknown token action "delete"/)
  t.equal(stray.code, 1)
  t.match(lines(stray.stderr)[0], /^herald: token list: Unknown option '--all'/)
  for (const result of [none, unknown, stray]) t.equal(lines(result.stderr).length, 1, 'one line, no stack trace')
})
