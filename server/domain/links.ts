// The addresses Herald answers: an incident's and an update's, as every page, feed, post and API answer links them, and which part of the site a URL is in.

/** The incident page's path; references are letters and digits, encoded anyway so a path can never break. */
export function incidentPath (reference: string): string {
  return `/incidents/${encodeURIComponent(reference)}`
}

/** The fragment of an update on its incident page (the id of its element there). */
export function updateAnchor (updateId: number): string {
  return `update-${updateId}`
}

/** Whether a URL (path, with or without its query) is in the section at `prefix`: '/admin' holds /admin, /admin/x and /admin?x, not /administrator. */
function inSection (url: string, prefix: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)
}

/** The admin UI, whose answers are never stored and carry helmet's stricter headers. */
export function isAdminPath (url: string): boolean {
  return inSection(url, '/admin')
}

/** Where clients read JSON: the token API and the Statuspage-compatible API. */
export function isApiPath (url: string): boolean {
  return inSection(url, '/api')
}
