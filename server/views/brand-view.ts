// The branding as the public pages, feeds and the mirror use it: addresses of the logo, favicon and accent stylesheet, links, auto-refresh.
import { createHash } from 'node:crypto'
import { type Appearance, type BrandImage, accentColours } from '../domain/appearance.js'
import type { HexColour } from '../domain/contrast.js'
import { imageExtensions } from '../domain/image-types.js'

export interface BrandView {
  /** The logo shown in the header (the light one; the dark one alone when that is all there is), with the dark variant. */
  logo: { src: string, darkSrc: string | null } | null
  /** The stylesheet that sets the accent colour; null for Herald's own colours. */
  accentStylesheet: string | null
  siteLink: string | null
  supportLink: string | null
  /** The icon the pages link: the uploaded favicon or Herald's own. */
  icon: { href: string, type: string }
  /** Seconds between refreshes of the status page, or null when it does not refresh itself. */
  refreshSeconds: number | null
}

/** Where Herald's own favicon is served (and kept in the mirror). */
export const defaultIcon = { href: '/static/favicon.svg', type: 'image/svg+xml' } as const

/** The folder of the uploaded images and the accent stylesheet: each file named by the SHA-256 of its bytes, so cached for good. */
export const brandFolder = '/brand/'

/** An uploaded image's public address. */
export function brandImagePath (image: Pick<BrandImage, 'hash' | 'contentType'>): string {
  return `${brandFolder}${image.hash}.${imageExtensions[image.contentType]}`
}

/**
 * The stylesheet of an accent colour: the custom property static/herald.css builds links, buttons and
 * focus rings on, in the colour each scheme shows (accentColours). A file, not a <style>: the public
 * pages' CSP takes no inline style.
 */
export function accentStylesheet (accent: HexColour): string {
  const { light, dark } = accentColours(accent)
  return [
    `/* The accent chosen in the admin's Appearance page (${accent}), fitted to WCAG AA on each colour scheme. */`,
    `:root { --accent: ${light.colour}; }`,
    `@media (prefers-color-scheme: dark) { :root { --accent: ${dark.colour}; } }`,
    ''
  ].join('\n')
}

function sha256 (text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** The accent stylesheet's public address. */
export function accentStylesheetPath (stylesheet: string): string {
  return `${brandFolder}${sha256(stylesheet)}.css`
}

export function brandView (appearance: Appearance): BrandView {
  const { images } = appearance
  const light = images.logo_light
  const dark = images.logo_dark
  const main = light ?? dark
  return {
    logo: main === undefined ? null : { src: brandImagePath(main), darkSrc: light !== undefined && dark !== undefined ? brandImagePath(dark) : null },
    accentStylesheet: appearance.accent === null ? null : accentStylesheetPath(accentStylesheet(appearance.accent)),
    siteLink: appearance.siteLink,
    supportLink: appearance.supportLink,
    icon: images.favicon === undefined ? defaultIcon : { href: brandImagePath(images.favicon), type: images.favicon.contentType },
    refreshSeconds: appearance.autoRefresh ? appearance.refreshSeconds : null
  }
}

/** What the feeds show of the branding: the uploaded logo (the light one, else the dark) and favicon, by path. */
export function feedImages (appearance: Appearance): { logo?: string, icon?: string } {
  const logo = appearance.images.logo_light ?? appearance.images.logo_dark
  const icon = appearance.images.favicon
  return {
    ...logo === undefined ? {} : { logo: brandImagePath(logo) },
    ...icon === undefined ? {} : { icon: brandImagePath(icon) }
  }
}
