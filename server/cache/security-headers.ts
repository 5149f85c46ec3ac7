// The security headers of every public answer (pages, feeds, API v2, badges, error pages), from Fastify and the front door alike.

/**
 * What the public pages use, and nothing more: their stylesheet, local-time.js and the favicon, all from
 * /static/; no inline script or style, no other origin. A search form that submits to /history.
 * `frameAncestors` is FRAME_ANCESTORS: 'none' unless the operator lets other sites embed the page.
 */
function publicContentSecurityPolicy (frameAncestors: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`
  ].join('; ')
}

/** The headers, set on every request outside /admin (which has helmet's) before its route runs. */
export function publicSecurityHeaders (frameAncestors: string): Record<string, string> {
  return {
    'content-security-policy': publicContentSecurityPolicy(frameAncestors),
    'x-content-type-options': 'nosniff',
    // Links to other sites tell them the origin, never the page (a search's words stay here).
    'referrer-policy': 'strict-origin-when-cross-origin'
  }
}
