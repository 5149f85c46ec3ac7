// WCAG 2 contrast: the relative luminance of an sRGB colour, the ratio of two, and an accent moved just far enough to reach a ratio.

/** A colour as #rrggbb in lower case: the one form Herald stores and writes. */
export type HexColour = `#${string}`

const hexPattern = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i

/** #abc or #aabbcc in any case as #aabbcc; undefined for anything else. */
export function parseHexColour (text: string): HexColour | undefined {
  if (!hexPattern.test(text)) return undefined
  const digits = text.slice(1).toLowerCase()
  const full = digits.length === 3 ? [...digits].map((digit) => digit + digit).join('') : digits
  return `#${full}`
}

function channels (colour: HexColour): [number, number, number] {
  const value = Number.parseInt(colour.slice(1), 16)
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]
}

function hexOf ([r, g, b]: [number, number, number]): HexColour {
  return `#${[r, g, b].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`
}

/** WCAG 2's relative luminance (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance), 0 for black to 1 for white. */
export function relativeLuminance (colour: HexColour): number {
  const [r, g, b] = channels(colour).map((channel) => {
    const c = channel / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** WCAG 2's contrast ratio, from 1 (the same) to 21 (black on white); the order of the two does not matter. */
export function contrastRatio (a: HexColour, b: HexColour): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

/** WCAG AA for text of normal size (1.4.3); links are such text, and focus outlines need only 3:1 (1.4.11). */
export const minimumContrast = 4.5

export interface FittedColour {
  colour: HexColour
  /** Its lowest ratio against the backgrounds. */
  ratio: number
  /** Whether it differs from the colour asked for. */
  adjusted: boolean
}

function lowestRatio (colour: HexColour, backgrounds: readonly HexColour[]): number {
  return Math.min(...backgrounds.map((background) => contrastRatio(colour, background)))
}

/** `colour` laid over `background` at `alpha` (0 to 1), as CSS composites it (color-mix with transparent, then painted). */
export function overlay (background: HexColour, colour: HexColour, alpha: number): HexColour {
  const under = channels(background)
  const over = channels(colour)
  return hexOf(under.map((channel, index) => Math.round(channel + ((over[index] as number) - channel) * alpha)) as [number, number, number])
}

/** The backgrounds a colour sits on: fixed, or depending on the colour itself (a highlight tinted with it). */
export type Backgrounds = readonly HexColour[] | ((candidate: HexColour) => readonly HexColour[])

/**
 * The colour itself when it reaches `minimum` against every background; else the first of its mixes with
 * `towards` (black for light backgrounds, white for dark ones), in steps of 1/255, that does. The hue stays;
 * only the lightness moves, and no further than needed. Black reaches 19:1 on Herald's light backgrounds and
 * white 16:1 on its dark ones, so a mix always gets there; the last step is `towards` itself.
 */
export function fitContrast (colour: HexColour, backgrounds: Backgrounds, towards: HexColour, minimum = minimumContrast): FittedColour {
  const under = (candidate: HexColour): readonly HexColour[] => typeof backgrounds === 'function' ? backgrounds(candidate) : backgrounds
  for (let step = 0; step < 255; step++) {
    const mixed = overlay(colour, towards, step / 255)
    const ratio = lowestRatio(mixed, under(mixed))
    if (ratio >= minimum) return { colour: mixed, ratio, adjusted: step > 0 }
  }
  return { colour: towards, ratio: lowestRatio(towards, under(towards)), adjusted: colour !== towards }
}
