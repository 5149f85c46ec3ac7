// Who is signed in, and the guard every admin route uses: pages redirect to sign-in, actions get 401/403.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Role } from '../../domain/accounts.js'

export const signInPath = '/admin/sign-in'

function isPageRequest (request: FastifyRequest): boolean {
  return request.method === 'GET' || request.method === 'HEAD'
}

// Printable ASCII without the backslash (which browsers read as a slash), at most a long URL: what may
// go into a Location header as it is. A CR or LF there is an error (ERR_INVALID_CHAR), not a redirect.
const plainPath = /^\/[\x21-\x5b\x5d-\x7e]{0,1999}$/
const base = 'http://herald.invalid'

/**
 * An /admin address of this site to come back to after signing in, as path and query; anything else
 * (other hosts, protocol-relative, `..` out of /admin, control characters, too long) is dropped for
 * the dashboard. A fragment is left off: the server never sees one from a browser anyway.
 */
export function safeNext (next: unknown): string {
  if (typeof next !== 'string' || !plainPath.test(next) || next.startsWith('//')) return '/admin'
  // Resolved as a browser would, so '/admin/../x' and '/admin/%2e%2e/x' are seen for what they are.
  const url = new URL(next, base)
  const inside = url.origin === base && (url.pathname === '/admin' || url.pathname.startsWith('/admin/'))
  return inside ? url.pathname + url.search : '/admin'
}

/**
 * A pre-handler that lets through signed-in users (of the given role when one is named).
 * Anonymous page requests go to the sign-in page and come back afterwards; anonymous actions
 * get 401 (a page saying so, or JSON for a script), and a signed-in user without the role gets
 * 403, so nothing changes either way.
 */
export function requireUser (role?: Role): preHandlerAsyncHookHandler {
  return async function guard (request: FastifyRequest, reply: FastifyReply) {
    const user = request.user
    if (user === null) {
      if (isPageRequest(request)) {
        return await reply.redirect(`${signInPath}?next=${encodeURIComponent(request.url)}`)
      }
      // Thrown, not sent: the admin error handler answers a form with a page that says the session ended,
      // and a script's JSON request with JSON.
      throw Object.assign(new Error('Sign in to do this.'), { statusCode: 401 })
    }
    if (role !== undefined && user.role !== role) {
      // Thrown like the 401: a page says so in the admin layout, a script's JSON request gets JSON.
      throw Object.assign(new Error(`Only an ${role} can do this.`), { statusCode: 403 })
    }
  }
}
