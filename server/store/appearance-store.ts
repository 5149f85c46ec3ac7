// Repository of the branding images (logo light and dark, favicon): bytes with their type and hash; the text values are settings.
import type { Db } from '../db/open-database.js'
import type { BrandImage, ImageSlot } from '../domain/appearance.js'
import type { ImageType } from '../domain/image-types.js'

interface ImageRow {
  slot: ImageSlot
  content_type: ImageType
  hash: string
  updated_at: string
}

function toImage (row: ImageRow): BrandImage {
  return { slot: row.slot, contentType: row.content_type, hash: row.hash, updatedAt: row.updated_at }
}

export class AppearanceStore {
  readonly #list
  readonly #bytes
  readonly #byHash
  readonly #put
  readonly #remove

  constructor (db: Db) {
    this.#list = db.prepare<[], ImageRow>('SELECT slot, content_type, hash, updated_at FROM appearance_images ORDER BY slot')
    this.#bytes = db.prepare<[ImageSlot], { content_type: ImageType, bytes: Buffer }>('SELECT content_type, bytes FROM appearance_images WHERE slot = ?')
    // Two slots may hold the same bytes (one logo for both schemes): either row will do.
    this.#byHash = db.prepare<[string], { content_type: ImageType, bytes: Buffer }>('SELECT content_type, bytes FROM appearance_images WHERE hash = ? LIMIT 1')
    this.#put = db.prepare<[ImageSlot, ImageType, Uint8Array, string, string]>(
      `INSERT INTO appearance_images (slot, content_type, bytes, hash, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (slot) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, hash = excluded.hash, updated_at = excluded.updated_at`)
    this.#remove = db.prepare<[ImageSlot]>('DELETE FROM appearance_images WHERE slot = ?')
  }

  /** Every stored image, without its bytes. */
  list (): BrandImage[] {
    return this.#list.all().map(toImage)
  }

  /** The bytes in a slot, or undefined when it is empty. */
  bytesOf (slot: ImageSlot): { contentType: ImageType, bytes: Buffer } | undefined {
    const row = this.#bytes.get(slot)
    return row === undefined ? undefined : { contentType: row.content_type, bytes: row.bytes }
  }

  /** The bytes with this SHA-256, or undefined when no slot holds them. */
  bytesByHash (hash: string): { contentType: ImageType, bytes: Buffer } | undefined {
    const row = this.#byHash.get(hash)
    return row === undefined ? undefined : { contentType: row.content_type, bytes: row.bytes }
  }

  put (slot: ImageSlot, contentType: ImageType, bytes: Uint8Array, hash: string, at: string): void {
    this.#put.run(slot, contentType, bytes, hash, at)
  }

  remove (slot: ImageSlot): void {
    this.#remove.run(slot)
  }
}
