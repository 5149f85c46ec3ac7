// Escaping for the XML that Herald writes by hand (the Atom feed, badges): forbidden characters dropped, markup escaped.
import { stripXmlForbidden } from '../domain/text.js'

/**
 * Text safe as element content and as a double- or single-quoted attribute value. ">" is escaped too,
 * so a "]]>" in the text stays text; the characters XML 1.0 cannot carry at all are dropped.
 */
export function xmlEscape (value: string): string {
  return stripXmlForbidden(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** For attribute values: tab, line feed and carriage return as references, which attribute normalization would turn into spaces. */
export function xmlAttribute (value: string): string {
  return xmlEscape(value).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;')
}
