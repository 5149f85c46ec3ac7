// multipart/form-data as browsers send it: text fields, files, an empty file input; malformed bodies refused.
import t from 'tap'
import { MultipartError, boundaryOf, parseMultipart } from '../../server/http/multipart.js'

const boundary = '----WebKitFormBoundaryABC123'

function body (...parts: string[]): Buffer {
  return Buffer.from(parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('') + `--${boundary}--\r\n`)
}

t.test('the boundary comes from the Content-Type, quoted or not', async (t) => {
  t.equal(boundaryOf(`multipart/form-data; boundary=${boundary}`), boundary)
  t.equal(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"'), 'a b')
  t.equal(boundaryOf('multipart/form-data'), undefined)
  t.equal(boundaryOf(`multipart/form-data; boundary=${'x'.repeat(71)}`), undefined, 'over 70 characters')
})

t.test('text fields, files and an empty file input', async (t) => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x0d, 0x0a, 0x2d, 0x2d])
  const raw = Buffer.concat([
    Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="accent"\r\n\r\n#0550ae\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="logoLight"; filename="logö.svg"\r\nContent-Type: image/svg+xml\r\n\r\n`),
    png,
    Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="favicon"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="tag"\r\n\r\na\r\n--${boundary}\r\nContent-Disposition: form-data; name="tag"\r\n\r\nb\r\nc\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\npolluted\r\n--${boundary}--\r\n`)
  ])
  const fields = parseMultipart(raw, boundary)
  t.equal(fields.accent, '#0550ae')
  t.same(fields.tag, ['a', 'b\r\nc'], 'a name sent twice is a list; line breaks inside a value are kept')
  t.match(fields.logoLight, { filename: 'logö.svg', contentType: 'image/svg+xml' })
  t.same((fields.logoLight as { data: Buffer }).data, png, 'the bytes as sent, CR LF and dashes inside included')
  t.notOk('favicon' in fields, 'an empty file input is as if the field were not sent')
  t.equal(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value, 'polluted', '__proto__ is an own field')
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'and no prototype was touched')
})

t.test('malformed bodies are refused with 400', async (t) => {
  const cases: Array<[string, Buffer]> = [
    ['no boundary at all', Buffer.from('accent=#fff')],
    ['no line break after a boundary', Buffer.from(`--${boundary}Content-Disposition: form-data; name="a"\r\n\r\nx\r\n--${boundary}--`)],
    ['no end of headers', Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n`)],
    ['a part never closed', Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nx`)],
    ['a part without a name', body('Content-Disposition: form-data\r\n\r\nx')],
    ['a part that is not form data', body('Content-Disposition: attachment; name="a"\r\n\r\nx')],
    ['a file sent twice', body('Content-Disposition: form-data; name="f"; filename="a.png"\r\n\r\nx', 'Content-Disposition: form-data; name="f"; filename="b.png"\r\n\r\ny')],
    ['a file then text of the same name', body('Content-Disposition: form-data; name="f"; filename="a.png"\r\n\r\nx', 'Content-Disposition: form-data; name="f"\r\n\r\ny')],
    ['thousands of parts', body(...Array.from({ length: 65 }, (_, n) => `Content-Disposition: form-data; name="f${n}"\r\n\r\n`))]
  ]
  for (const [what, raw] of cases) {
    t.throws(() => parseMultipart(raw, boundary), MultipartError, what)
    try {
      parseMultipart(raw, boundary)
    } catch (error) {
      t.equal((error as MultipartError).statusCode, 400, `${what}: 400`)
    }
  }
})
