// The email templates of templates/email/, compiled once, and the rules every mail's header and text values follow.
import { readFileSync } from 'node:fs'
import Handlebars from 'handlebars'
import { packageDir } from '../package-info.js'

const emailDir = packageDir('templates') + 'email/'

/** The mails Herald sends, each an HTML and a plain-text template (`<name>.html.hbs`, `<name>.txt.hbs`). */
export type EmailTemplate = 'update' | 'confirm' | 'already'

interface Compiled {
  html: Handlebars.TemplateDelegate
  text: Handlebars.TemplateDelegate
}

let compiled: Map<EmailTemplate, Compiled> | undefined

function compileAll (): Map<EmailTemplate, Compiled> {
  const handlebars = Handlebars.create()
  // The HTML layout (head, dark-mode colours, footer with the subscriber's links) is shared by every mail.
  handlebars.registerPartial('email-layout', readFileSync(emailDir + 'layout.html.hbs', 'utf8'))
  const read = (file: string): string => readFileSync(emailDir + file, 'utf8')
  const templates = new Map<EmailTemplate, Compiled>()
  for (const name of ['update', 'confirm', 'already'] as const) {
    templates.set(name, {
      // strict: a misspelt field fails loudly in the tests rather than leaving a blank in a mail.
      html: handlebars.compile(read(`${name}.html.hbs`), { strict: true }),
      // Plain text: nothing is markup there, so nothing is escaped (an "&" stays an "&").
      text: handlebars.compile(read(`${name}.txt.hbs`), { strict: true, noEscape: true })
    })
  }
  return templates
}

/** The HTML and plain-text parts of one mail. Templates are read and compiled at the first mail, then kept. */
export function renderEmail (name: EmailTemplate, view: object): { html: string, text: string } {
  compiled ??= compileAll()
  const template = compiled.get(name) as Compiled
  return { html: template.html(view), text: template.text(view) }
}

// C0 and C1 controls, DEL, line and paragraph separators, and the bidi embeddings, overrides and isolates
// (U+202A-U+202E, U+2066-U+2069): in a subject or a name they could break a header line or make the text
// read backwards ("[Resolved]" shown while the incident is open).

const notInALine = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g

/** A name or a label as one line of text: fit for a header, a subject, and a line of the text part. */
export function oneLine (value: string): string {
  return value.replace(notInALine, ' ').replace(/ {2,}/g, ' ').trim()
}

// Everything of `notInALine` but the tab and the line feed.

const notInText = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** A body of several lines, for the plain-text part: line ends made "\n", controls and bidi overrides dropped. */
export function plainText (value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(notInText, '')
}

/** The host of PUBLIC_URL, the right-hand side of Message-IDs and of List-Id. */
export function publicHost (publicUrl: string): string {
  return new URL(publicUrl).hostname.replace(/^\[|\]$/g, '')
}

/** The same Message-ID for every attempt of one delivery, so a mail sent again after a crash can be recognised. */
export function deliveryMessageId (deliveryId: number, publicUrl: string): string {
  return `<herald.delivery.${deliveryId}@${publicHost(publicUrl)}>`
}
