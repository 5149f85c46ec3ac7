// twitter-api-v2 client plugins: send the requests to TWITTER_API_URL instead of api.x.com, each with its own abort signal.
import type { ITwitterApiClientPlugin } from 'twitter-api-v2'

const libraryOrigin = 'https://api.x.com'

/**
 * The library writes https://api.x.com/... into every request and has no setting for another base. This
 * rewrites the URL before the request is built (onBeforeRequestConfig runs before the OAuth 1.0a
 * signature is computed, so the signature covers the URL actually requested).
 */
export function apiUrlPlugin (apiUrl: string): ITwitterApiClientPlugin {
  const base = new URL(apiUrl)
  return {
    onBeforeRequestConfig ({ url, params }) {
      if (url.origin !== libraryOrigin) return
      // The library picks JSON bodies for paths starting /2/, which a base with a path of its own would hide.
      if (url.pathname.startsWith('/2/') && params.forceBodyMode === undefined) params.forceBodyMode = 'json'
      params.url = new URL(`${url.pathname.slice(1)}${url.search}`, base).href
    }
  }
}

/** Gives every request an abort signal: its own timeout, and the attempt's (Herald shutting down). */
export function abortPlugin (timeoutMs: number, signal: AbortSignal): ITwitterApiClientPlugin {
  return {
    onBeforeRequest ({ requestOptions }) {
      requestOptions.signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), signal])
    }
  }
}
