// Branding without code: the logo, the accent colour, the links to the company and its support, the favicon, auto-refresh; their rules.
import { type FittedColour, type HexColour, fitContrast, overlay, parseHexColour } from './contrast.js'
import { type ImageType, looksLikeMarkup, sniffImageType } from './image-types.js'

export type ImageSlot = 'logo_light' | 'logo_dark' | 'favicon'

export const imageSlots: readonly ImageSlot[] = ['logo_light', 'logo_dark', 'favicon']

/** What each slot takes: a favicon may also be an .ico. SVG never (it can carry script; see README). */
const slotTypes: Record<ImageSlot, readonly ImageType[]> = {
  logo_light: ['image/png', 'image/jpeg', 'image/webp'],
  logo_dark: ['image/png', 'image/jpeg', 'image/webp'],
  favicon: ['image/png', 'image/x-icon', 'image/jpeg', 'image/webp']
}

/** The largest image Herald stores: a logo or an icon, not a photograph. */
export const maxImageBytes = 512 * 1024

/** Auto-refresh of the status page, in seconds: not so often it hammers, not so rarely it is useless on a wall. */
export const refreshLimits = { min: 30, max: 3600, default: 60 } as const

/** A link's longest form, as browsers and proxies reliably carry it. */
export const maxLinkLength = 2000

/** The text values, kept as one JSON value in the settings table. */
export interface AppearanceSettings {
  /** The accent colour as chosen; null for Herald's own. */
  accent: HexColour | null
  /** The company's site. */
  siteLink: string | null
  supportLink: string | null
  autoRefresh: boolean
  refreshSeconds: number
}

export const defaultAppearanceSettings: AppearanceSettings = { accent: null, siteLink: null, supportLink: null, autoRefresh: false, refreshSeconds: refreshLimits.default }

/** An uploaded image, without its bytes. */
export interface BrandImage {
  slot: ImageSlot
  contentType: ImageType
  /** SHA-256 of the bytes, in hex. */
  hash: string
  updatedAt: string
}

export interface Appearance extends AppearanceSettings {
  images: Partial<Record<ImageSlot, BrandImage>>
}

/** What the Appearance form asks for: every text value as typed; per image slot, new bytes, null to remove, absent to keep. */
export interface AppearanceChange {
  accent: string
  siteLink: string
  supportLink: string
  autoRefresh: boolean
  refreshSeconds: number
  images: Partial<Record<ImageSlot, Uint8Array | null>>
}

/** A new image checked: its bytes and the type they are. */
export interface CheckedImage {
  bytes: Uint8Array
  contentType: ImageType
}

export interface CheckedAppearance {
  settings: AppearanceSettings
  images: Partial<Record<ImageSlot, CheckedImage | null>>
  /** One message per field that is wrong, keyed as the services name fields (`support_link`); empty when it can be saved. */
  problems: Record<string, string>
}

/** Anything a link may not hold: white space, controls, format characters (bidi controls among them), lone surrogates. */
const notInLink = /[\p{Z}\p{Cc}\p{Cf}\p{Cs}\s]/u

/** An http(s) address as the browser would resolve it, or undefined for anything else (javascript:, data:, relative, with a password). */
export function webLink (text: string): string | undefined {
  if (text.length > maxLinkLength || notInLink.test(text) || !URL.canParse(text)) return undefined
  const url = new URL(text)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  // A user name or password in a link would be shown to every reader.
  if (url.username !== '' || url.password !== '' || url.hostname === '') return undefined
  return url.href.length > maxLinkLength ? undefined : url.href
}

function kib (bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`
}

const typeNames: Record<ImageType, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP', 'image/x-icon': 'ICO' }

function typesWord (types: readonly ImageType[]): string {
  const names = types.map((type) => typeNames[type])
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1) as string}`
}

/** Why an image cannot be stored in this slot, or its type when it can. */
function checkImage (slot: ImageSlot, bytes: Uint8Array): ImageType | string {
  const accepted = typesWord(slotTypes[slot])
  if (bytes.length > maxImageBytes) return `This file is ${kib(bytes.length)}: the largest Herald takes is ${kib(maxImageBytes)}.`
  const type = sniffImageType(bytes)
  if (type !== undefined && slotTypes[slot].includes(type)) return type
  if (looksLikeMarkup(bytes)) return `SVG and other text files are not taken (an SVG can carry a script): upload a ${accepted} file.`
  return `This file is not a ${accepted} image: Herald reads what the file holds, not its name.`
}

const linkMessage = 'Write a web address that starts with https:// or http://, such as https://example.com/support, or leave it empty.'

/** Checks a change as a whole: every wrong field has its message, and nothing is stored unless none is. */
export function checkAppearance (change: AppearanceChange): CheckedAppearance {
  const problems: Record<string, string> = {}
  const accentText = change.accent.trim()
  const accent = accentText === '' ? null : parseHexColour(accentText)
  if (accent === undefined) problems.accent = 'Write a colour as # and six hexadecimal digits, such as #0550ae, or leave it empty for Herald’s own.'
  const links = { siteLink: change.siteLink.trim(), supportLink: change.supportLink.trim() }
  const checkedLinks = { siteLink: links.siteLink === '' ? null : webLink(links.siteLink), supportLink: links.supportLink === '' ? null : webLink(links.supportLink) }
  if (checkedLinks.siteLink === undefined) problems.site_link = linkMessage
  if (checkedLinks.supportLink === undefined) problems.support_link = linkMessage
  const seconds = change.refreshSeconds
  if (!Number.isInteger(seconds) || seconds < refreshLimits.min || seconds > refreshLimits.max) {
    problems.refresh_seconds = `Write a whole number of seconds from ${refreshLimits.min} to ${refreshLimits.max}.`
  }
  const images: CheckedAppearance['images'] = {}
  for (const slot of imageSlots) {
    const bytes = change.images[slot]
    if (bytes === undefined) continue
    if (bytes === null) {
      images[slot] = null
      continue
    }
    const checked = checkImage(slot, bytes)
    if (checked.startsWith('image/')) images[slot] = { bytes, contentType: checked as ImageType }
    else problems[slot] = checked
  }
  return {
    settings: {
      accent: accent ?? null,
      siteLink: checkedLinks.siteLink ?? null,
      supportLink: checkedLinks.supportLink ?? null,
      autoRefresh: change.autoRefresh,
      refreshSeconds: seconds
    },
    images,
    problems
  }
}

/** The settings as stored; whatever does not parse falls back to the default, so a hand-edited value cannot break every page. */
export function parseAppearanceSettings (json: string | undefined): AppearanceSettings {
  if (json === undefined) return defaultAppearanceSettings
  let value: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(json)
    value = typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : {}
  } catch {
    value = {}
  }
  const text = (field: string): string => typeof value[field] === 'string' ? value[field] : ''
  const seconds = value.refreshSeconds
  return {
    accent: parseHexColour(text('accent')) ?? null,
    siteLink: webLink(text('siteLink')) ?? null,
    supportLink: webLink(text('supportLink')) ?? null,
    autoRefresh: value.autoRefresh === true,
    refreshSeconds: typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= refreshLimits.min && seconds <= refreshLimits.max ? seconds : refreshLimits.default
  }
}

/**
 * The public page's backgrounds (--bg and --surface of static/herald.css, light then dark): links and focus
 * rings in the accent colour sit on them. test/domain/appearance.test.ts checks they are the stylesheet's.
 */
export const publicBackgrounds: Record<'light' | 'dark', readonly HexColour[]> = {
  light: ['#ffffff', '#f6f8fa'],
  dark: ['#0d1117', '#151b23']
}

/** How much of the focus colour tints the background of the update a link points to (.update:target in herald.css). */
export const targetTint = 0.1

/** A scheme's backgrounds, and each tinted with the accent as a highlighted update is: links sit on all of them. */
function backgroundsWith (scheme: 'light' | 'dark'): (accent: HexColour) => readonly HexColour[] {
  return (accent) => [...publicBackgrounds[scheme], ...publicBackgrounds[scheme].map((background) => overlay(background, accent, targetTint))]
}

/**
 * The accent as each colour scheme shows it: the colour chosen when it reaches WCAG AA (4.5:1) against that
 * scheme's backgrounds, else darkened (light scheme) or lightened (dark scheme) just far enough. One colour
 * cannot reach 4.5:1 on both white and near-black, so the schemes get their own; the admin page shows both.
 */
export function accentColours (accent: HexColour): { light: FittedColour, dark: FittedColour } {
  return {
    light: fitContrast(accent, backgroundsWith('light'), '#000000'),
    dark: fitContrast(accent, backgroundsWith('dark'), '#ffffff')
  }
}
