// Update bodies: Markdown rendered to HTML, then sanitized so that only harmless markup remains.
import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

/** Text as HTML that shows it as typed: in element content and in double-quoted attributes. */
export function escapeHtml (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

// A private instance, so no other code can change how bodies render. Raw HTML typed into a body is shown
// as the text that was typed, never interpreted: on the page, in the feeds and in posts alike (everything
// a person typed is escaped), so a <script> is never more than text.
const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    // An image is a link to it, never loaded: the page fetches nothing from elsewhere (and its CSP allows
    // images from itself only), and a reader of the feeds is not tracked by a body's images.
    image: ({ href, title, text }) => {
      const titled = title === null || title === undefined || title === '' ? '' : ` title="${escapeHtml(title)}"`
      return `<a href="${escapeHtml(href)}"${titled}>${escapeHtml(text.trim() === '' ? href : text)}</a>`
    },
    // A task list item shows its state as a character: no form control on a page that has no form.
    checkbox: ({ checked }) => checked ? '\u2611 ' : '\u2610 '
  }
})

// The second line of defence: whatever marked produces, only these tags and attributes survive, and
// anything else it might make is dropped, never shown as escaped markup.
const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'strong', 'em', 'del', 'a', 'ul', 'ol', 'li', 'code', 'pre', 'blockquote', 'h3', 'h4', 'hr',
    'table', 'thead', 'tbody', 'tr', 'th', 'td'
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  // Headings in a body would break the page's outline: smaller ones stand in for them.
  transformTags: {
    h1: 'h3',
    h2: 'h3',
    h5: 'h4',
    h6: 'h4',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' })
  },
  disallowedTagsMode: 'discard'
}

// Rendering a body costs about 0.3 ms, and a page shows the same bodies render after render (every update
// of an open incident, the last 14 days, the feeds): the HTML of the bodies used last is kept. The output
// depends on nothing but the text, so a body edited is a new key and never meets its old HTML.
const renderedBodies = new Map<string, string>()
export const renderedBodiesKept = 2000

/** Safe HTML for a body. */
export function renderMarkdown (body: string): string {
  const kept = renderedBodies.get(body)
  if (kept !== undefined) {
    // Least recently used goes first: a hit moves its key to the end of the Map's insertion order.
    renderedBodies.delete(body)
    renderedBodies.set(body, kept)
    return kept
  }
  const html = sanitizeHtml(marked.parse(body) as string, sanitizeOptions).trim()
  if (renderedBodies.size >= renderedBodiesKept) renderedBodies.delete(renderedBodies.keys().next().value as string)
  renderedBodies.set(body, html)
  return html
}

/** How many rendered bodies are kept (for tests: the memory is bounded). */
export function renderedBodiesSize (): number {
  return renderedBodies.size
}

/** The body as plain text (Markdown and markup removed), for places that take no HTML. */
export function markdownToText (body: string): string {
  // Marked's own line breaks between tags (table cells, list items) are not the text's.
  const html = (marked.parse(body) as string).replace(/>\n</g, '><')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<\/(p|li|h\d|blockquote|pre|tr)>/g, '$&\n')
    .replace(/<\/t[hd]>/g, '$& ')
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
  return decodeEntities(text).replace(/[ \t]+\n/g, '\n').replace(/\n{2,}/g, '\n').trim()
}

function decodeEntities (text: string): string {
  return text
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#0*39;|&#x0*27;/gi, "'")
    .replace(/&amp;/g, '&')
}
