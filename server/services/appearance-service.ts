// Branding: read what the public pages show of it, and change it in one write (settings, images, audit, content version).
import { createHash } from 'node:crypto'
import {
  type Appearance,
  type AppearanceChange,
  type AppearanceSettings,
  type ImageSlot,
  checkAppearance,
  imageSlots,
  parseAppearanceSettings
} from '../domain/appearance.js'
import type { Stores } from '../store/stores.js'
import { type ServiceContext, nowIso, read, write } from './context.js'
import { InvalidInputError } from './errors.js'

/** The settings entry holding the text values (AppearanceSettings as JSON). */
const appearanceSetting = 'appearance'

/** The appearance as stored, inside a read or a write. */
export function appearanceOf (stores: Stores): Appearance {
  const images: Appearance['images'] = {}
  for (const image of stores.appearance.list()) images[image.slot] = image
  return { ...parseAppearanceSettings(stores.settings.get(appearanceSetting)), images }
}

type Recorded = Record<keyof AppearanceSettings | ImageSlot, string | number | boolean | null>

/** What the audit log keeps of an appearance: the text values, and each image by the start of its hash. */
function recorded (appearance: Appearance): Recorded {
  const { images, ...settings } = appearance
  const slots = Object.fromEntries(imageSlots.map((slot) => [slot, images[slot]?.hash.slice(0, 12) ?? null]))
  return { ...settings, ...slots } as Recorded
}

/** Only what changed, before and after. */
function changes (before: Appearance, after: Appearance): { before: Partial<Recorded>, after: Partial<Recorded> } {
  const was = recorded(before)
  const is = recorded(after)
  const changed = (Object.keys(is) as Array<keyof Recorded>).filter((key) => was[key] !== is[key])
  return {
    before: Object.fromEntries(changed.map((key) => [key, was[key]])),
    after: Object.fromEntries(changed.map((key) => [key, is[key]]))
  }
}

export class AppearanceService {
  readonly #context: ServiceContext

  constructor (context: ServiceContext) {
    this.#context = context
  }

  current (): Appearance {
    return read(this.#context, () => appearanceOf(this.#context.stores))
  }

  /**
   * Checks the whole change first (checkAppearance) and refuses it on its first wrong field, storing
   * nothing; else writes it as one write: the public cache's content version moves, so every page, feed
   * and image address shows it on its next request.
   */
  save (change: AppearanceChange, actor: string): Appearance {
    const checked = checkAppearance(change)
    const problem = Object.entries(checked.problems)[0]
    if (problem !== undefined) throw new InvalidInputError(problem[1].replace(/\.$/, ''), { field: problem[0] })
    const { stores } = this.#context
    return write(this.#context, () => {
      const at = nowIso(this.#context)
      const before = appearanceOf(stores)
      stores.settings.set(appearanceSetting, JSON.stringify(checked.settings))
      for (const slot of imageSlots) {
        const image = checked.images[slot]
        if (image === undefined) continue
        if (image === null) stores.appearance.remove(slot)
        else stores.appearance.put(slot, image.contentType, image.bytes, createHash('sha256').update(image.bytes).digest('hex'), at)
      }
      const after = appearanceOf(stores)
      stores.audit.record({ at, actor, action: 'appearance.edit', incidentId: null, detail: changes(before, after) })
      return after
    })
  }
}
