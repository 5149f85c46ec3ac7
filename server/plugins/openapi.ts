// The OpenAPI document of the token API, generated from the route schemas (filled in by the API work).
import fp from 'fastify-plugin'

export default fp(async function openapiPlugin () {}, { name: 'herald-openapi' })
