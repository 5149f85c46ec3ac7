// Cross-posting of updates to social channels (filled in by the social work).
import fp from 'fastify-plugin'

export default fp(async function socialPlugin () {}, { name: 'herald-social', dependencies: ['herald'] })
