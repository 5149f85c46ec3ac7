// Reads the ceilings' manifest (written by ../ceiling-server.ts): per path, per Accept-Encoding, Herald's status, headers and body file.
import { readFileSync } from 'node:fs'

/**
 * @param {string} text the manifest's JSON: { routes: [{ path, variants: [{ acceptEncoding, status, headers, file }] }] }
 * @returns {Map<string, Map<string, { status: number, headers: Record<string, string>, body: Buffer }>>}
 */
export function loadManifest (text) {
  const routes = new Map()
  for (const route of JSON.parse(text).routes) {
    const variants = new Map()
    for (const variant of route.variants) {
      variants.set(variant.acceptEncoding, { status: variant.status, headers: variant.headers, body: readFileSync(variant.file) })
    }
    routes.set(route.path, variants)
  }
  return routes
}
