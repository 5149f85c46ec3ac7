// A page rendered with a marker where each of its parts goes, joined with those parts kept as bytes.
import { randomBytes } from 'node:crypto'

/**
 * Parts of a page rendered one at a time, between turns of requests (the status page's rows), as bytes until
 * the page is whole. Kept as strings, they stay in V8's young generation through every collection that comes
 * while the page is built, a few each render under load, and each copies them: some 900 KB on five years
 * of history, as much again as the data the page is drawn from. As a Buffer the bytes are outside V8's heap,
 * and the string dies young. The page itself is rendered with a marker in their place.
 */
export class PageParts {
  /** Put in the page where the next part goes. No text a person typed can hold it: it is random, per page. */
  readonly marker = `<!--part ${randomBytes(12).toString('base64url')}-->`
  readonly #parts: Buffer[] = []

  /** Keeps `html` as the next part, and answers the marker to render in its place. */
  add (html: string): string {
    this.#parts.push(Buffer.from(html))
    return this.marker
  }

  /** The page's bytes: `page` with each marker replaced by its part, in order. */
  join (page: string): Buffer {
    const between = page.split(this.marker)
    if (between.length !== this.#parts.length + 1) {
      throw new Error(`the page has ${between.length - 1} places for its ${this.#parts.length} parts`)
    }
    const bytes: Buffer[] = [Buffer.from(between[0] as string)]
    this.#parts.forEach((part, index) => bytes.push(part, Buffer.from(between[index + 1] as string)))
    return Buffer.concat(bytes)
  }
}
