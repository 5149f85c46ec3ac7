// What an uploaded image is, told from its first bytes (its magic number), never from its name or the type a browser claimed.

export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/x-icon'

/** The file extension of each type in a public URL (and so in the static mirror, whose server types files by it). */
export const imageExtensions: Record<ImageType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/x-icon': 'ico'
}

function startsWith (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((byte, index) => bytes[at + index] === byte)
}

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0))

/** The type the bytes are, of those Herald takes; undefined for anything else (SVG, GIF, HTML, a PNG's name on a text file). */
export function sniffImageType (bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBPVP8'), 8)) return 'image/webp'
  // An ICO header: reserved 0, type 1 (icon), and at least one image.
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 6 && (bytes[4] !== 0 || bytes[5] !== 0)) return 'image/x-icon'
  return undefined
}

/**
 * Whether the bytes look like SVG or other XML or HTML text (after a byte order mark and white space, a
 * "<"): refused like any other type, but the admin is told why, since SVG is the usual format of a logo.
 */
export function looksLikeMarkup (bytes: Uint8Array): boolean {
  const start = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0
  for (let index = start; index < Math.min(bytes.length, start + 1024); index++) {
    const byte = bytes[index] as number
    if (byte === 0x3c) return true
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false
  }
  return false
}
