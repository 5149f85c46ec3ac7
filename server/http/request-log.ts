// What the request log records of a request: the URL with its secrets taken out, and never a credential header.

// Query parameters that carry a secret however they are spelled: the setup link's token, a token someone
// put in the URL instead of the Authorization header (refused, but still logged before).
const secretParameter = /([?&;](?:[^=&;#]*(?:token|secret|password|key)[^=&;#]*)=)[^&;#]*/gi

/** The URL as logged: the value of every secret-looking query parameter becomes [redacted]. */
export function redactUrl (url: string): string {
  return url.includes('?') ? url.replace(secretParameter, '$1[redacted]') : url
}

interface LoggedRequest {
  method: string
  url: string
  host?: string
  ip?: string
  socket?: { remotePort?: number }
}

/**
 * Pino serializers for Fastify's logger: Fastify's own request serializer, with the URL redacted. Any
 * URL can carry a secret (a mistyped setup link, /admin//setup?token=…), so it is redacted everywhere
 * rather than on the routes that expect one.
 */
export const requestLogSerializers = {
  req (request: LoggedRequest): Record<string, unknown> {
    return {
      method: request.method,
      url: redactUrl(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort
    }
  }
}
