// multipart/form-data (RFC 7578), as browsers send a form with a file: parsed from the whole body, already bounded by the route's body limit.

/** A file sent in a form: its bytes and what the browser said of it (neither name nor type is trusted for what it is). */
export interface UploadedFile {
  filename: string
  /** As the browser sent it; Herald tells the type from the bytes. */
  contentType: string
  data: Buffer
}

/** A body that is not well-formed multipart: the request is refused with 400, nothing read from it. */
export class MultipartError extends Error {
  override readonly name = 'MultipartError'
  readonly statusCode = 400
}

/** More parts than any form of Herald has: a body of thousands of empty parts is refused rather than walked. */
const maxParts = 64

const crlf = Buffer.from('\r\n')
const headersEnd = Buffer.from('\r\n\r\n')

/** The boundary of a multipart/form-data Content-Type (RFC 2046: 1 to 70 characters), or undefined. */
export function boundaryOf (contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))(?=\s*(?:;|$))/i.exec(contentType)
  return match === null ? undefined : match[1] ?? match[2]
}

function headerValue (headers: string, name: string): string | undefined {
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim()
  }
  return undefined
}

/** A parameter of Content-Disposition: browsers quote it and percent-encode a quote or line break inside. */
function dispositionParameter (disposition: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(disposition)
  return match?.[1]
}

/**
 * The fields of the form: text as strings (a name sent twice as a list, as urlencoded forms give it), files
 * as UploadedFile. A file input left empty (no name, no bytes, as browsers send it) is left out, as if the
 * field were not there. Names are own properties (Object.fromEntries), so "__proto__" is only a name.
 */
export function parseMultipart (body: Buffer, boundary: string): Record<string, string | string[] | UploadedFile> {
  const delimiter = Buffer.from(`--${boundary}`)
  const fields = new Map<string, string | string[] | UploadedFile>()
  let at = body.indexOf(delimiter)
  if (at === -1) throw new MultipartError('the form has no parts')
  for (let parts = 0; ; parts++) {
    at += delimiter.length
    // The close delimiter: "--" after the boundary.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) break
    if (!body.subarray(at, at + 2).equals(crlf)) throw new MultipartError('a part boundary is not followed by a line break')
    if (parts >= maxParts) throw new MultipartError(`the form has more than ${maxParts} parts`)
    const start = at + 2
    const headerEnd = body.indexOf(headersEnd, start)
    if (headerEnd === -1) throw new MultipartError('a part has no end of its headers')
    const next = body.indexOf(Buffer.concat([crlf, delimiter]), headerEnd + 4)
    if (next === -1) throw new MultipartError('a part is not closed by the boundary')
    // Browsers send a file's name as UTF-8 bytes in the header.
    const headers = body.subarray(start, headerEnd).toString('utf8')
    const content = body.subarray(headerEnd + 4, next)
    at = next + 2
    const disposition = headerValue(headers, 'content-disposition')
    const name = disposition === undefined ? undefined : dispositionParameter(disposition, 'name')
    if (disposition === undefined || !/^form-data\b/i.test(disposition) || name === undefined) {
      throw new MultipartError('a part is not a form field (Content-Disposition: form-data; name="...")')
    }
    const filename = dispositionParameter(disposition, 'filename')
    if (filename !== undefined) {
      if (filename === '' && content.length === 0) continue
      if (fields.has(name)) throw new MultipartError(`the file field ${name} is sent twice`)
      fields.set(name, { filename, contentType: headerValue(headers, 'content-type') ?? 'application/octet-stream', data: Buffer.from(content) })
      continue
    }
    const text = content.toString('utf8')
    const earlier = fields.get(name)
    if (earlier === undefined) fields.set(name, text)
    else if (typeof earlier === 'string') fields.set(name, [earlier, text])
    else if (Array.isArray(earlier)) earlier.push(text)
    else throw new MultipartError(`the file field ${name} is sent twice`)
  }
  return Object.fromEntries(fields)
}
