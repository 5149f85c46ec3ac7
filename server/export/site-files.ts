// The public site as files: every URL a static mirror holds, the file it is kept in, and what its body depends on.
import { createHash } from 'node:crypto'
import { apiV2Documents, apiV2Prefix } from '../domain/api-v2-documents.js'
import { incidentPath } from '../domain/links.js'
import { type FeedFormat, feedPath } from '../feed/feed-items.js'
import type { SiteFacts } from '../services/public-reads.js'
import { accentStylesheet, accentStylesheetPath, brandImagePath } from '../views/brand-view.js'
import { historyHref, historyPageCount, historyPageSize } from '../views/history-page-view.js'

export interface SiteFile {
  /** The address Herald answers it at. */
  url: string
  /** Its path in the mirror, with forward slashes. */
  file: string
  /** The status Herald answers with: 200, or 404 for the not-found page. */
  status: 200 | 404
  /**
   * Set when the body changes only when this does (incident and history pages): an unchanged one is not
   * rendered again, and one that is, is rendered past the live cache. Unset: asked for on every pass, as the
   * pages that show the day or the whole site are, through the live cache, which mostly has them already.
   */
  digest?: string
}

const formats: FeedFormat[] = ['rss', 'atom']

/**
 * The file for a URL, as a plain static server finds it: a path with an extension is that file; any other
 * is the index.html of a folder of that name, which static servers answer at /incidents/TM1 (after a
 * redirect to /incidents/TM1/) and at /incidents/TM1/.
 */
export function fileOf (url: string): string {
  const path = decodeURIComponent(url).replace(/^\/+/, '')
  if (path === '') return 'index.html'
  return /\.[a-z]+$/.test(path) ? path : `${path}/index.html`
}

function sha1 (text: string): string {
  return createHash('sha1').update(text).digest('base64url')
}

function site (url: string, digest?: string): SiteFile {
  return digest === undefined ? { url, file: fileOf(url), status: 200 } : { url, file: fileOf(url), status: 200, digest }
}

/**
 * Every page of the public site, in the order a mirror writes them: pages that others link to come before
 * the pages that link to them, and the status page last, so a reader following a link during a pass finds
 * its target. From one read (PublicReads.site), so the list is of one moment.
 */
export function siteFiles (facts: SiteFacts): SiteFile[] {
  const { components, incidents } = facts
  // Hashed once: it is part of every incident page's digest, ten thousand of them on a large site.
  const componentsDigest = sha1(facts.componentsDigest)
  const history = incidents.filter((incident) => incident.inHistory)

  // The branding's files first: every page links them. Each is named by its hash, so it never needs rendering again.
  const files: SiteFile[] = Object.values(facts.appearance.images).map((image) => site(brandImagePath(image), image.hash))
  if (facts.appearance.accent !== null) {
    const stylesheet = accentStylesheetPath(accentStylesheet(facts.appearance.accent))
    files.push(site(stylesheet, stylesheet))
  }
  // Browsers ask every site for it; the uploaded favicon or Herald's own.
  files.push(site('/favicon.ico'))
  files.push(...incidents.map((incident) => site(incidentPath(incident.reference), sha1(componentsDigest + incident.digest))))
  const pages = historyPageCount(history.length)
  for (let page = pages; page >= 1; page--) {
    const listed = history.slice((page - 1) * historyPageSize, page * historyPageSize)
    // The page count shows on every page, so the number of incidents is part of each page's digest.
    files.push(site(historyHref(page, ''), sha1(`${history.length}\n${listed.map((incident) => incident.digest).join('\n')}`)))
  }
  for (const component of components) {
    for (const format of formats) files.push(site(feedPath(format, component)))
    files.push(site(`/components/${component.id}/badge.svg`))
  }
  for (const format of formats) files.push(site(feedPath(format)))
  for (const document of apiV2Documents) files.push(site(`${apiV2Prefix}/${document}`))
  files.push(site('/badge.svg'))
  // The page footer links to the token API's description: a static document, kept so the link works.
  files.push(site('/api/v1/openapi.json'))
  // Served by nginx (error_page 404 /404.html), GitHub Pages, Netlify and most hosts for a missing file.
  files.push({ url: '/404.html', file: '404.html', status: 404 })
  files.push(site('/'))
  return files
}
