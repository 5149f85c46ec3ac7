// GET /brand/<sha256>.<ext> (the uploaded logo and favicon, the accent stylesheet) and /favicon.ico, from the public cache.
import { readFileSync } from 'node:fs'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { imageExtensions } from '../../domain/image-types.js'
import { staticDir } from '../../package-info.js'
import { type ErrorPage, NotPublic, sendErrorPage } from '../../plugins/error-page.js'
import { accentStylesheet, accentStylesheetPath, brandFolder, defaultIcon } from '../../views/brand-view.js'

const brandFile = /^([0-9a-f]{64})\.(png|jpg|webp|ico|css)$/

const brandFileNotFound: ErrorPage = {
  statusCode: 404,
  heading: 'Image not found',
  message: 'No image of this site has this address: its logo or icon may have been changed since the page that linked it.'
}

/**
 * An image opened on its own runs nothing: PNG, JPEG, WebP and ICO cannot, and Herald's own favicon is an
 * SVG that needs only its inline style. Uploads are never SVG (README, Appearance).
 */
function imageHeaders (reply: FastifyReply): void {
  reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
}

export default async function brandRoutes (instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.herald
  // Read once: it is part of the package, and /favicon.ico is asked for by every browser that opens a page.
  const heraldIcon = readFileSync(staticDir + defaultIcon.href.slice('/static/'.length))

  app.get(`${brandFolder}:file`, {
    // Any text is accepted here so that a malformed name gets the same 404 page as an unknown one.
    schema: { params: Type.Object({ file: Type.String() }), querystring: Type.Object({}) }
  }, async (request, reply) => {
    const { file } = request.params
    const match = brandFile.exec(file)
    if (match === null) return await sendErrorPage(app, reply, brandFileNotFound)
    const [, hash = '', extension] = match
    const path = `${brandFolder}${file}`
    if (extension !== 'css') imageHeaders(reply)
    // Named by the hash of its bytes: what is found is the same until the file is gone, so kept for a year.
    return await app.servePublic(request, reply, { key: path, immutable: true }, () => {
      if (extension === 'css') {
        const { accent } = services.reads.public.appearance()
        const stylesheet = accent === null ? undefined : accentStylesheet(accent)
        if (stylesheet === undefined || accentStylesheetPath(stylesheet) !== path) throw new NotPublic(brandFileNotFound)
        return { contentType: 'text/css; charset=utf-8', body: stylesheet }
      }
      const image = services.reads.public.brandImage(hash)
      if (image === undefined || imageExtensions[image.contentType] !== extension) throw new NotPublic(brandFileNotFound)
      return { contentType: image.contentType, body: image.bytes }
    })
  })

  app.get('/favicon.ico', {
    // Browsers ask for it without being told; a query is ignored.
    schema: { querystring: Type.Object({}) }
  }, async (request, reply) => {
    imageHeaders(reply)
    return await app.servePublic(request, reply, { key: '/favicon.ico' }, () => {
      const favicon = services.reads.public.favicon()
      return favicon === undefined ? { contentType: defaultIcon.type, body: heraldIcon } : { contentType: favicon.contentType, body: favicon.bytes }
    })
  })
}
