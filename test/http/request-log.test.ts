// The request log as `herald serve` writes it: a secret in a URL (a token, a near-miss setup link) never reaches it.
import t from 'tap'
import { loggerOptions, redactUrl } from '../../server/http/request-log.js'
import { tempDir } from '../fixtures/build.js'
import { heraldEnv, serve } from '../cli/fixtures/herald-process.js'

t.test('redactUrl takes out the value of every secret-looking query parameter', async (t) => {
  t.equal(redactUrl('/'), '/')
  t.equal(redactUrl('/history?q=token'), '/history?q=token', 'a word in a value is not a parameter')
  t.equal(redactUrl('/api/v1/components?token=abc'), '/api/v1/components?token=[redacted]')
  t.equal(redactUrl('/admin/setup/?TOKEN=abc&x=1'), '/admin/setup/?TOKEN=[redacted]&x=1')
  t.equal(redactUrl('/a?x=1&access_token=abc#f'), '/a?x=1&access_token=[redacted]#f')
  t.equal(redactUrl('/a?api_key=abc;secret=def'), '/a?api_key=[redacted];secret=[redacted]')
  t.equal(redactUrl('/a?password='), '/a?password=[redacted]')
  t.equal(redactUrl('/api/v1/heartbeats/abc_DEF-123'), '/api/v1/heartbeats/[redacted]', 'a heartbeat\'s secret is its path')
  t.equal(redactUrl('/api/v1/heartbeats/abc/fail?token=x'), '/api/v1/heartbeats/[redacted]/fail?token=[redacted]')
  t.equal(redactUrl('/API/V1/Heartbeats//abc'), '/API/V1/Heartbeats//[redacted]')
  t.equal(redactUrl('/api/v1/heartbeats/'), '/api/v1/heartbeats/', 'no secret, nothing to take out')
})

t.test('herald serve logs no token from a URL, whatever the route', async (t) => {
  const secret = 'S3cr3tS3cr3tS3cr3t'
  const server = await serve(t, heraldEnv(tempDir(t), { LOG_LEVEL: 'info' }))
  const urls = [
    `/api/v1/components?token=${secret}`,
    `/admin/setup/?token=${secret}`,
    `/admin//setup?token=${secret}`,
    `/admin/SETUP?token=${secret}`,
    `/admin/setup?token=${secret}`,
    `/api/v1/heartbeats/${secret}`,
    `/?access_token=${secret}`
  ]
  for (const url of urls) await (await fetch(`${server.url}${url}`, { redirect: 'manual' })).arrayBuffer()
  await server.waitForOutput(/"url":"\/\?access_token=\[redacted\]"/)
  t.notMatch(server.stdout(), secret, 'the secret is nowhere in the log')
  t.match(server.stdout(), '"url":"/api/v1/components?token=[redacted]"', 'the request is still logged')
  t.match(server.stdout(), '"url":"/admin//setup?token=[redacted]"')
  t.match(server.stdout(), '"url":"/api/v1/heartbeats/[redacted]"', 'a heartbeat call is logged without its secret')
})

t.test('loggerOptions: JSON lines unless asked for, or on a terminal with LOG_FORMAT=auto', async (t) => {
  const has = (options: unknown): boolean => typeof options === 'object' && options !== null && 'stream' in options
  t.notOk(has(await loggerOptions({ logLevel: 'info', logFormat: 'auto' }, false)), 'auto, not a terminal: JSON')
  t.ok(has(await loggerOptions({ logLevel: 'info', logFormat: 'auto' }, true)), 'auto on a terminal: readable lines')
  t.notOk(has(await loggerOptions({ logLevel: 'info', logFormat: 'json' }, true)), 'json, even on a terminal')
  t.ok(has(await loggerOptions({ logLevel: 'info', logFormat: 'pretty' }, false)), 'pretty, even into a file')
})

t.test('LOG_FORMAT=pretty: lines a person reads, still without secrets', async (t) => {
  const secret = 'Pr3ttyS3cr3tPr3tty'
  const server = await serve(t, heraldEnv(tempDir(t), { LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }))
  await (await fetch(`${server.url}/api/v1/components?token=${secret}`)).arrayBuffer()
  await server.waitForOutput(/token=\[redacted\]/)
  t.match(server.stdout(), /INFO.*Server listening at http:\/\/127\.0\.0\.1:\d+/)
  t.notMatch(server.stdout(), /^\{"level"/m, 'no JSON lines')
  t.notMatch(server.stdout(), secret)
})
