// How wide a line of badge text is in Verdana 11px, estimated from a width table, so the badge's boxes fit the text.

/**
 * Advance widths of printable ASCII (U+0020 to U+007E) in Verdana at 11px, in pixels: the font and size
 * shields.io badges are drawn in (the font's own metrics, rounded to 1/100 px).
 */
const asciiWidths = [
  3.87, 4.33, 5.05, 9.00, 6.99, 11.84, 7.99, 2.95, 5.00, 5.00, 6.99, 9.00, 4.00, 5.00, 4.00, 5.00, // space to /
  6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, // 0 to 9
  5.00, 5.00, 9.00, 9.00, 9.00, 6.00, 11.00, // : to @
  7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5.00, 7.62, 6.12, 9.27, // A to M
  8.23, 8.66, 6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, // N to Z
  5.00, 5.00, 5.00, 9.00, 6.99, 6.99, // [ to `
  6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.70, // a to m
  6.96, 6.68, 6.85, 6.85, 4.69, 5.73, 4.33, 6.96, 6.51, 9.00, 6.51, 6.51, 5.78, // n to z
  6.98, 5.00, 6.98, 9.00 // { to ~
]

/**
 * Outside ASCII there is no table (the glyph comes from whatever font the viewer has), so each
 * character gets a generous estimate instead: too wide only adds space around the text, while the
 * badge's textLength squeezes text that is wider than its box rather than letting it overflow.
 */
export const fallbackWidths = {
  /** Letters of other scripts (accented Latin is measured by its base letter), symbols: about a capital's width. */
  other: 8,
  /** CJK ideographs, kana, Hangul, full-width forms: one em. */
  wide: 11,
  /** An emoji, however many code points make it (ZWJ sequences, flags, skin tones): colour glyphs run wider than an em. */
  emoji: 14
} as const

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' })
const emoji = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u
// Hangul Jamo, CJK radicals to Yi, Hangul syllables, CJK compatibility, vertical and full-width forms, CJK extensions B on.
const eastAsianWide = /[\u1100-\u115F\u2E80-\u303E\u3041-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u
// Marks, format characters (joiners, direction marks and overrides) and controls take no room of their own.
const invisible = /^[\p{M}\p{Cf}\p{Cc}]*$/u

function graphemeWidth (grapheme: string): number {
  if (invisible.test(grapheme)) return 0
  if (emoji.test(grapheme)) return fallbackWidths.emoji
  // "é" measures as "e": the decomposed form starts with the base letter.
  const base = grapheme.normalize('NFD').codePointAt(0) ?? 0
  if (base >= 0x20 && base <= 0x7E) return asciiWidths[base - 0x20] as number
  if (eastAsianWide.test(grapheme)) return fallbackWidths.wide
  return fallbackWidths.other
}

/** The estimated width of a line of text in pixels, at Verdana 11px. */
export function textWidth (text: string): number {
  let width = 0
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment)
  return width
}

/** The text cut to at most `max` characters as people count them (never inside an emoji or accented letter), with "…" when cut. */
export function truncateGraphemes (text: string, max: number): string {
  const graphemes = Array.from(segmenter.segment(text), ({ segment }) => segment)
  if (graphemes.length <= max) return text
  return `${graphemes.slice(0, max - 1).join('').trimEnd()}…`
}
