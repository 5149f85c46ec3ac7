// A status badge as SVG in shields.io's "flat" style: a grey label box, a coloured message box, text with a shadow.
import { stripXmlForbidden } from '../domain/text.js'
import { xmlAttribute, xmlEscape } from '../feed/xml.js'
import { textWidth, truncateGraphemes } from './text-width.js'

export interface BadgeContent {
  /** Left, on grey: what the badge is about ("status", a component's name). */
  label: string
  /** Right, on the colour: the status in words. */
  message: string
  /** A CSS colour for the message box. */
  color: string
}

export const badgeContentType = 'image/svg+xml; charset=utf-8'

const height = 20
const padding = 5
const labelColor = '#555'
/** Beyond this many characters a name is cut with "…"; the title and aria-label keep it whole. */
export const maxBadgeText = 60

/** One line of text: line breaks and tabs as spaces, controls (C0, DEL, C1) and what XML forbids dropped. */
function oneLine (text: string): string {
  return stripXmlForbidden(text).replace(/[\t\n\r]+/g, ' ').replace(/[\u007F-\u009F]/g, '').trim()
}

interface Box {
  text: string
  /** Width of the text in px, rounded up. */
  textWidth: number
  width: number
}

function box (text: string): Box {
  const shown = truncateGraphemes(oneLine(text), maxBadgeText)
  const width = Math.ceil(textWidth(shown))
  return { text: shown, textWidth: width, width: width + 2 * padding }
}

/**
 * Text is drawn at ten times the size and scaled down, as shields.io does, for sub-pixel placement.
 * textLength holds the drawn text to the estimated width: if a viewer's font runs wider than the
 * estimate, the text is squeezed into its box instead of spilling out of the badge (see text-width.ts).
 */
function textXml (box: Box, left: number): string {
  if (box.text === '') return ''
  const x = (left + box.width / 2) * 10
  // ASCII widths come from the table and need next to no adjusting, so only the spacing gives. Other text is an
  // estimate: the glyphs are scaled with it, since stretched spacing would break joined scripts (Arabic) apart.
  const fit = /^[\x20-\x7E]*$/.test(box.text) ? '' : ' lengthAdjust="spacingAndGlyphs"'
  const length = `textLength="${box.textWidth * 10}"${fit}`
  const text = xmlEscape(box.text)
  return `<text aria-hidden="true" x="${x}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" ${length}>${text}</text>` +
    `<text x="${x}" y="140" transform="scale(.1)" fill="#fff" ${length}>${text}</text>`
}

export function badgeSvg ({ label, message, color }: BadgeContent): string {
  const left = box(label)
  const right = box(message)
  const width = left.width + right.width
  const title = xmlAttribute(`${oneLine(label)}: ${oneLine(message)}`)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>',
    `<clipPath id="r"><rect width="${width}" height="${height}" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${left.width}" height="${height}" fill="${labelColor}"/>` +
      `<rect x="${left.width}" width="${right.width}" height="${height}" fill="${xmlAttribute(color)}"/>` +
      `<rect width="${width}" height="${height}" fill="url(#s)"/></g>`,
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">',
    textXml(left, 0),
    textXml(right, left.width),
    '</g>',
    '</svg>',
    ''
  ].join('\n')
}
