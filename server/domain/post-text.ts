// The text of a social post for an update, fitted to each channel's limit as that channel counts it.
import twitterText from 'twitter-text'
import { incidentPath, updateAnchor } from './links.js'
import { markdownToText } from './markdown.js'
import { postmortemAnchor } from './postmortems.js'
import { type UpdateStatus, updateStatusLabels } from './statuses.js'
import { balanceBidi, isolateBidi, stripXmlForbidden } from './text.js'

export type ChannelName = 'twitter' | 'mastodon'

export const channelLabels: Record<ChannelName, string> = { twitter: 'Twitter/X', mastodon: 'Mastodon' }

/** How a channel counts a post and how much it takes. */
export type PostLimit =
  | { channel: 'twitter' }
  | { channel: 'mastodon', maxChars: number }

/** The longest custom post text accepted: longer than any channel takes, so the builder shortens it. */
export const maxCustomPostText = 5_000

/** Twitter/X's limit in weighted characters (twitter-text's configuration: most scripts 1, CJK and emoji 2). */
export const twitterMaxWeight = 280
/** Both channels count a URL as this many characters, whatever its length. */
const urlWeight = 23

const ellipsis = '…'
// A word longer than this (UTF-16 units) may be cut inside: a "word" that long (a hash, a run-on
// string) would otherwise throw away most of the room.
const longWord = 30
// A run of URL characters longer than this is weighed as text, never as a possible URL.
const longestUrl = 500
// No Twitter/X text within the limit is longer than this: 140 emoji of up to 11 units, 12 URLs of 500.
const twitterReachCap = 8_000
// The code points twitter-text weighs 1 (its default configuration's ranges); all others weigh 2.
const lightRanges: Array<[number, number]> = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]]

// Built from strings: the `v` flag (Unicode sets, for whole emoji sequences) is newer than the compile target.
// eslint-disable-next-line prefer-regex-literals -- a literal with the v flag does not compile for ES2022
const emojiSequences = new RegExp('(\\p{RGI_Emoji})', 'v')
// eslint-disable-next-line prefer-regex-literals -- as above
const emojiSequence = new RegExp('^\\p{RGI_Emoji}$', 'v')
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' })
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

export interface PostTextInput {
  status: UpdateStatus
  reference: string
  incidentName: string
  /** Markdown, as typed. */
  body: string
  /** Replaces the generated text when given; the link is still added. */
  customText?: string | null
  /** The link to the update (see updateLink); never shortened. */
  link: string
}

/**
 * The link of an update's post: the incident page at the update's anchor. The anchor also makes each
 * post's text unique per update, which the Twitter/X channel relies on (see server/social/).
 */
export function updateLink (publicUrl: string, reference: string, updateId: number): string {
  return `${publicUrl}${incidentPath(reference)}#${updateAnchor(updateId)}`
}

/**
 * `[Identified] TM202916 Microsoft Teams: <body as plain text> <link>`, shortened to fit `limit`. A name
 * with bidi controls is isolated, and every part's controls are balanced, so that an override typed in
 * a name or a body cannot reverse the text after it: the rest of the post and the link.
 */
export function buildPostText (input: PostTextInput, limit: PostLimit): string {
  const custom = input.customText === undefined || input.customText === null ? '' : normalize(input.customText)
  const text = custom !== ''
    ? custom
    : `[${updateStatusLabels[input.status]}] ${input.reference} ${isolateBidi(normalize(input.incidentName))}: ${normalize(markdownToText(input.body))}`
  return fitText(text, input.link, limit)
}

/** The link of a postmortem's post: the incident page at its postmortem section. */
export function postmortemLink (publicUrl: string, reference: string): string {
  return `${publicUrl}${incidentPath(reference)}#${postmortemAnchor}`
}

/**
 * The post that says a postmortem is out: `[Postmortem] TM202916 Microsoft Teams: what happened and what we
 * are changing. <link>`, one short line (the account itself is on the page), shortened to fit like any post.
 */
export function buildPostmortemPostText (input: { reference: string, incidentName: string, link: string }, limit: PostLimit): string {
  return fitText(`[Postmortem] ${input.reference} ${isolateBidi(normalize(input.incidentName))}: what happened and what we are changing.`, input.link, limit)
}

/** Whether a text is within a channel's limit, counted as that channel counts. */
export function fitsLimit (text: string, limit: PostLimit): boolean {
  if (limit.channel === 'twitter') return twitterText.parseTweet(text).valid
  return mastodonLength(text) <= limit.maxChars
}

/** Mastodon's count: each http(s) URL 23, everything else one per code point (never fewer than Mastodon counts). */
export function mastodonLength (text: string): number {
  let length = 0
  let at = 0
  for (const [start, end] of schemeUrlRanges(text)) {
    length += codePoints(text.slice(at, start)) + urlWeight
    at = end
  }
  return length + codePoints(text.slice(at))
}

// A surrogate pair is one code point; a lone surrogate counts as one too, as a string iterator yields it.
const surrogatePair = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g

function codePoints (text: string): number {
  return text.length - (text.match(surrogatePair)?.length ?? 0)
}

/**
 * The http(s) URLs of a text as twitter-text finds them, in linear time: twitter-text's URL pattern
 * takes quadratic time over a long run of letters (CJK text, a string of dots), so it is only given
 * the piece from the character before a scheme to the next space.
 */
function schemeUrlRanges (text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  const space = /\s/g
  for (const match of text.matchAll(/https?:\/\//gi)) {
    const from = Math.max(0, match.index - 1)
    space.lastIndex = match.index
    const piece = text.slice(from, space.exec(text)?.index ?? text.length)
    const found = twitterText.extractUrlsWithIndices(piece, { extractUrlsWithoutProtocol: false })
      .find((url) => from + url.indices[0] === match.index)
    if (found !== undefined) ranges.push([match.index, from + found.indices[1]])
  }
  return ranges
}

/** Runs of URL characters with a dot, short enough to be a URL: where twitter-text may see one. */
function possibleUrlRuns (text: string): Array<[number, number]> {
  return [...text.matchAll(/[\w\-.~:/?#[\]@!$&'()*+,;=%]+/g)]
    .filter((match) => match[0].includes('.') && match[0].length <= longestUrl)
    .map((match) => [match.index, match.index + match[0].length])
}

/**
 * twitter-text's weight in linear time, for the search: URLs 23 (found by twitter-text, one short run
 * at a time), emoji sequences 2, other code points 1 or 2 by range, after NFC as twitter-text does.
 * The chosen text is then checked by parseTweet itself, whose patterns are too slow to run at each step.
 */
function twitterWeight (text: string, urlsOfRun: Map<string, Array<[number, number]>>): number {
  let weight = 0
  let plain = ''
  let at = 0
  for (const [start, end] of possibleUrlRuns(text)) {
    const run = text.slice(start, end)
    let found = urlsOfRun.get(run)
    if (found === undefined) {
      found = twitterText.extractUrlsWithIndices(run).map((url) => url.indices)
      urlsOfRun.set(run, found)
    }
    for (const [urlStart, urlEnd] of found) {
      plain += text.slice(at, start + urlStart)
      weight += urlWeight
      at = start + urlEnd
    }
  }
  plain += text.slice(at)
  for (const piece of plain.normalize('NFC').split(emojiSequences)) {
    if (emojiSequence.test(piece)) {
      weight += 2
      continue
    }
    for (const char of piece) {
      const code = char.codePointAt(0) as number
      weight += lightRanges.some(([low, high]) => code >= low && code <= high) ? 1 : 2
    }
  }
  return weight
}

/**
 * Plain text as a post takes it: characters the channels refuse removed (controls, byte-order marks,
 * lone surrogates, U+FFFE/U+FFFF), spaces collapsed, at most one line break in a row.
 */
function normalize (text: string): string {
  return stripXmlForbidden(text)
    .replace(/[\uFEFF\u007F]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n\s*/g, '\n')
    .trim()
}

/** `text link` when it fits; otherwise `text` cut at a word boundary, an ellipsis, and the link whole. */
function fitText (typed: string, link: string, limit: PostLimit): string {
  const text = balanceBidi(typed)
  const whole = text === '' ? link : `${text} ${link}`
  // Mastodon's count is linear, so a text that fits whole is known at once, whatever the limit.
  if (limit.channel === 'mastodon' && fitsLimit(whole, limit)) return whole
  // Nothing beyond the reach can fit; parseTweet and the segmenters never see more than that.
  const reach = reachable(text, limit)
  if (reach === text.length && limit.channel === 'twitter' && fitsLimit(whole, limit)) return whole

  const head = text.slice(0, reach)
  const urls = schemeUrlRanges(head)
  const insideUrl = (index: number): boolean => urls.some(([start, end]) => index > start && index < end)
  const shortened = (cut: number): string => {
    // A cut inside an isolated name or an override closes what it left open; the closers are counted.
    const kept = head.slice(0, cut).replace(/[\s,;:.\-–—([{]+$/u, '')
    if (kept === '') return link
    // An ellipsis right after a URL would be read as part of it.
    return `${balanceBidi(kept)}${urls.some(([, end]) => end === kept.length) ? ' ' : ''}${ellipsis} ${link}`
  }
  const urlsOfRun = new Map<string, Array<[number, number]>>()
  const fits = limit.channel === 'twitter'
    ? (cut: number): boolean => twitterWeight(shortened(cut), urlsOfRun) <= twitterMaxWeight
    : (cut: number): boolean => fitsLimit(shortened(cut), limit)

  // Word boundaries (Intl.Segmenter knows CJK words too), never inside a URL. The segmenter runs over
  // the text lazily, so the boundary found past the reach is a real one.
  const words: number[] = []
  let beyond = text.length
  for (const { index } of wordSegmenter.segment(text)) {
    if (index > reach) {
      beyond = index
      break
    }
    if (index > 0 && index < text.length && !insideUrl(index)) words.push(index)
  }
  let cut = largestFitting(words, fits) ?? 0

  // A very long word after the cut is cut inside, at a grapheme boundary, rather than dropped whole.
  const next = Math.min(words.find((index) => index > cut) ?? beyond, reach)
  const graphemes = graphemeSegmenter.segment(head)
  if (next - cut > longWord) {
    let low = cut + 1
    let high = next - 1
    while (low <= high) {
      const middle = (low + high) >> 1
      const boundary = graphemes.containing(middle)?.index ?? cut
      if (boundary > cut && !insideUrl(boundary) && fits(boundary)) {
        cut = boundary
        low = middle + 1
      } else {
        high = middle - 1
      }
    }
  }

  // The estimate is checked by the channel's own count, stepping back a word at a time if it was short.
  const fallbacks = [cut, ...words.filter((index) => index < cut).reverse(), 0]
  return fallbacks.map(shortened).find((candidate) => fitsLimit(candidate, limit)) ?? link
}

/**
 * How far into `text` a fitting post can reach, at a grapheme boundary. Mastodon: one unit per code
 * point outside a URL, exactly. Twitter/X: every grapheme outside a URL weighs at least its first code
 * point's weight, and a possible URL at least 23 or its length.
 */
function reachable (text: string, limit: PostLimit): number {
  const graphemes = graphemeSegmenter.segment(text)
  const boundaryAt = (index: number): number => graphemes.containing(index)?.index ?? index
  if (limit.channel === 'mastodon') {
    const urls = schemeUrlRanges(text)
    let counted = 0
    let u = 0
    for (let index = 0; index < text.length;) {
      const url = urls[u]
      if (url !== undefined && index >= url[0]) {
        index = url[1]
        u++
        continue
      }
      if (++counted > limit.maxChars) return boundaryAt(index)
      index += (text.codePointAt(index) ?? 0) > 0xFFFF ? 2 : 1
    }
    return text.length
  }
  const runs = possibleUrlRuns(text)
  let weight = 0
  let r = 0
  for (let index = 0; index < text.length;) {
    if (index > twitterReachCap) return boundaryAt(index)
    while (r < runs.length && (runs[r] as [number, number])[1] <= index) r++
    const run = runs[r]
    if (run !== undefined && index >= run[0]) {
      weight += Math.min(urlWeight, run[1] - run[0])
      if (weight > twitterMaxWeight) return boundaryAt(index)
      index = run[1]
      continue
    }
    const grapheme = graphemes.containing(index)
    if (grapheme === undefined) break
    const code = grapheme.segment.codePointAt(0) as number
    weight += lightRanges.some(([low, high]) => code >= low && code <= high) ? 1 : 2
    if (weight > twitterMaxWeight) return grapheme.index
    index = grapheme.index + grapheme.segment.length
  }
  return text.length
}

/**
 * The largest candidate (ascending) for which `fits` holds, by binary search. URL recognition makes the
 * weight grow not quite steadily with the length, so it may miss a slightly longer fit; what it returns
 * fits.
 */
function largestFitting (candidates: number[], fits: (cut: number) => boolean): number | undefined {
  let low = 0
  let high = candidates.length - 1
  let found: number | undefined
  while (low <= high) {
    const middle = (low + high) >> 1
    const candidate = candidates[middle] as number
    if (fits(candidate)) {
      found = candidate
      low = middle + 1
    } else {
      high = middle - 1
    }
  }
  return found
}
