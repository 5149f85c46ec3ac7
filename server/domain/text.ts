// Limits and character rules for what people type, shared by the API schemas and the admin forms; bidirectional isolation for output.

export const limits = {
  name: 200,
  body: 20_000,
  description: 1_000,
  groupName: 100,
  tokenName: 64
} as const

// The patterns are JSON-schema patterns: Ajv and TypeBox compile them with the `u` flag, so \p{...}
// works and a lone surrogate is one character of its own (\p{Cs}), while a pair is one code point.

// Never meaningful anywhere: C0 controls (but tab and line breaks, in multi-line text), DEL and the C1
// controls, lone surrogates (not Unicode, stored as invalid UTF-8) and the noncharacters XML forbids.
const neverTyped = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\p{Cs}\\uFFFE\\uFFFF'
// One line: no line breaks of any kind either (tab included, as before).
const notOnOneLine = '\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\p{Cs}\\uFFFE\\uFFFF'
// What shows nothing: white space, controls, format characters (zero-width space and joiners, bidi
// controls, U+FEFF), other default-ignorable characters (Hangul fillers, variation selectors) and
// combining marks, which show only on top of something else.
const showsNothing = '\\s\\p{Cc}\\p{Cf}\\p{Cs}\\p{M}\\p{Default_Ignorable_Code_Point}'

// A name must show something. The look-ahead form keeps matching linear in the length (a pattern like
// x*y x* would backtrack).
export const singleLinePattern = `^(?=[^${notOnOneLine}]*?[^${showsNothing}])[^${notOnOneLine}]*$`
// Multi-line text keeps tab, line feed and carriage return; it must show something.
export const multiLinePattern = `^(?=[\\s\\S]*?[^${showsNothing}])[^${neverTyped}]*$`
// An optional description may be empty.
export const optionalMultiLinePattern = `^[^${neverTyped}]*$`
// An optional one-line field (a component's group in the admin form) may be empty.
export const optionalSingleLinePattern = `^[^${notOnOneLine}]*$`

/** Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const xmlForbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

export function stripXmlForbidden (text: string): string {
  return text.replace(xmlForbidden, '')
}

const notSearched = /[\p{Cc}\p{Cs}\uFFFE\uFFFF]/gu

/**
 * A search as typed in a query string, made safe to look up and to show: controls (a NUL ends SQLite's
 * LIKE pattern early, so it matched everything), lone surrogates and noncharacters removed, spaces trimmed.
 */
export function cleanSearch (q: string): string {
  return q.replace(notSearched, '').trim()
}

/** Text as searches compare it: NFC, lower case (a search finds the same in any case). */
export function foldForSearch (text: string): string {
  return text.normalize('NFC').toLowerCase()
}

/**
 * A name as two names are compared for being the same (two components of one group): NFC, spaces
 * trimmed and collapsed, lower case. `Sign-in`, ` sign-in ` and `SIGN-IN` are one name; so are an é
 * typed as one character and as e with a combining accent.
 */
export function nameKey (name: string): string {
  return foldForSearch(name.normalize('NFC').trim().replace(/\s+/g, ' '))
}

/**
 * A search as the history runs it, shows it and caches it: without what is never searched (cleanSearch),
 * folded, each word once, in order. A search finds the incidents whose name has every word, in any order
 * (or whose reference is the one word), so `Teams  Sign`, `sign teams` and `teams sign teams` are one
 * search with one cached body, and a script cannot make new ones by shuffling words.
 */
export function normalizeSearch (query: string): string {
  // White space of any kind (a tab, a line break) separates words; cleanSearch then drops the controls.
  const words = foldForSearch(cleanSearch(query.replace(/\s+/g, ' '))).split(' ').filter((word) => word !== '')
  return [...new Set(words)].sort().join(' ')
}

/** The same rule as a schema pattern, for a route that would rather refuse such a search. */
export const searchTextPattern = `^[^${neverTyped}\\t\\n\\r]*$`

// Explicit bidirectional formatting: embeddings and overrides (closed by PDF), isolates (closed by PDI).
const embeddings = new Set(['\u202A', '\u202B', '\u202D', '\u202E'])
const isolates = new Set(['\u2066', '\u2067', '\u2068'])
const PDF = '\u202C'
const PDI = '\u2069'
const FSI = '\u2068'
const bidiControl = /[\u202A-\u202E\u2066-\u2069]/

/**
 * The text with its bidi controls balanced, line by line (a line break ends them all anyway): closers
 * that close nothing are dropped, and whatever is left open is closed at the end of its line. Text
 * after it then reads in its own direction, whatever was typed.
 */
export function balanceBidi (text: string): string {
  if (!bidiControl.test(text)) return text
  return text.split('\n').map(balanceLine).join('\n')
}

function balanceLine (line: string): string {
  const open: string[] = []
  let out = ''
  for (const char of line) {
    if (embeddings.has(char) || isolates.has(char)) {
      open.push(char)
    } else if (char === PDF) {
      // A PDF closes the innermost embedding, never across an isolate.
      const top = open[open.length - 1]
      if (top === undefined || !embeddings.has(top)) continue
      open.pop()
    } else if (char === PDI) {
      // A PDI closes its isolate and every embedding opened inside it.
      const at = open.findLastIndex((opener) => isolates.has(opener))
      if (at === -1) continue
      out += PDF.repeat(open.length - at - 1)
      open.length = at
    }
    out += char
  }
  return out + open.reverse().map((opener) => isolates.has(opener) ? PDI : PDF).join('')
}

/**
 * A name for plain text that surrounds it (a page title, a feed title, a social post): when it has bidi
 * controls, balanced and wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, the plain-text
 * equivalent of <bdi>, so an override typed in a name cannot reverse the text after it. Other names are
 * left as they are: they have nothing that reaches past them.
 */
export function isolateBidi (name: string): string {
  return bidiControl.test(name) ? `${FSI}${balanceBidi(name)}${PDI}` : name
}

const singleLine = new RegExp(singleLinePattern, 'u')
const multiLine = new RegExp(multiLinePattern, 'u')

/**
 * Whether text a service is given outside an HTTP schema (a monitor's draft, a form's fields passed on) keeps
 * the schemas' rules: one line (or several) that shows something, without controls or lone surrogates, and at
 * most `maxLength` code points, as the schemas count.
 */
export function isTypedText (text: string, lines: 'one' | 'many', maxLength: number): boolean {
  const length = [...text].length
  return length >= 1 && length <= maxLength && (lines === 'one' ? singleLine : multiLine).test(text)
}
