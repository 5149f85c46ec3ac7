// The admin Appearance page: the branding's values as typed, each image slot with what it holds, and the accent as each colour scheme shows it.
import { type Appearance, type ImageSlot, accentColours, imageSlots, maxImageBytes, refreshLimits } from '../../domain/appearance.js'
import type { FittedColour } from '../../domain/contrast.js'
import { brandImagePath } from '../brand-view.js'
import type { FieldErrors } from './form-view.js'

/** The text fields of the form, as typed (or as stored, on a fresh page). */
export interface AppearanceValues {
  accent: string
  siteLink: string
  supportLink: string
  autoRefresh: boolean
  refreshSeconds: string
}

/** Each image slot's form field, and its remove box's. */
export const imageFields: Record<ImageSlot, { field: string, remove: string }> = {
  logo_light: { field: 'logoLight', remove: 'removeLogoLight' },
  logo_dark: { field: 'logoDark', remove: 'removeLogoDark' },
  favicon: { field: 'favicon', remove: 'removeFavicon' }
}

const slotWords: Record<ImageSlot, { label: string, hint: string }> = {
  logo_light: { label: 'Logo', hint: 'Shown in the header of every public page instead of the site’s name (which stays its text for screen readers). PNG, JPEG or WebP.' },
  logo_dark: { label: 'Logo for the dark colour scheme', hint: 'Optional: shown instead of the logo to readers whose system is set to dark. PNG, JPEG or WebP.' },
  favicon: { label: 'Favicon', hint: 'The icon of browser tabs and bookmarks, and of the feeds. PNG, ICO, JPEG or WebP, square; Herald’s own until one is uploaded.' }
}

export function appearanceValues (appearance: Appearance): AppearanceValues {
  return {
    accent: appearance.accent ?? '',
    siteLink: appearance.siteLink ?? '',
    supportLink: appearance.supportLink ?? '',
    autoRefresh: appearance.autoRefresh,
    refreshSeconds: String(appearance.refreshSeconds)
  }
}

function colourView ({ colour, ratio, adjusted }: FittedColour): { colour: string, ratio: string, adjusted: boolean } {
  // Floored, so that a colour shown as reaching 4.5 does.
  return { colour, ratio: (Math.floor(ratio * 100) / 100).toFixed(2), adjusted }
}

export function appearancePageView (appearance: Appearance, values: AppearanceValues, errors: FieldErrors): Record<string, unknown> {
  const accent = appearance.accent === null ? null : accentColours(appearance.accent)
  return {
    values,
    errors,
    images: imageSlots.map((slot) => {
      const image = appearance.images[slot]
      return {
        ...imageFields[slot],
        ...slotWords[slot],
        error: errors[imageFields[slot].field] ?? errors[imageFields[slot].remove] ?? null,
        current: image === undefined ? null : { src: brandImagePath(image), updatedAt: image.updatedAt }
      }
    }),
    accent: accent === null ? null : { chosen: appearance.accent, light: colourView(accent.light), dark: colourView(accent.dark) },
    refreshLimits,
    maxImageKib: maxImageBytes / 1024
  }
}
