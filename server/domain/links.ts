// The public addresses of an incident and of one of its updates, as every page, feed, post and API answer links them.

/** The incident page's path; references are letters and digits, encoded anyway so a path can never break. */
export function incidentPath (reference: string): string {
  return `/incidents/${encodeURIComponent(reference)}`
}

/** The fragment of an update on its incident page (the id of its element there). */
export function updateAnchor (updateId: number): string {
  return `update-${updateId}`
}
