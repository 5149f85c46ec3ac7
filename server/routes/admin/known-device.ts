// The admin UI's known-device cookie, set at sign-in and checked on each signed-in request: signed proof that this browser signed in to an account before, so that failed attempts from elsewhere never lock it out.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { randomBytes } from 'node:crypto'
import type { User } from '../../domain/accounts.js'

const knownDeviceCookie = 'herald_device'

/** Renewed at every sign-in, so a device in use stays known; browsers cap a cookie's life at 400 days anyway. */
const knownDeviceMaxAgeMs = 180 * 24 * 60 * 60 * 1000

export interface KnownDevice {
  userId: number
  /** When the device last signed in, in ms. */
  signedInAt: number
  /** Random, new at each sign-in: the key this device's own failed attempts are counted under. */
  id: string
}

const cookieValue = /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{22})$/

/** Sets the cookie after a successful sign-in of `user` (signed with the session secret, like the session cookie). */
export function rememberDevice (reply: FastifyReply, user: User, now: Date, secure: boolean): void {
  const value = `${user.id}.${now.getTime()}.${randomBytes(16).toString('base64url')}`
  reply.setCookie(knownDeviceCookie, value, {
    path: '/admin', httpOnly: true, sameSite: 'lax', secure, signed: true, maxAge: knownDeviceMaxAgeMs / 1000
  })
}

/**
 * For a signed-in user: remembers the device when its cookie does not already prove it, so that a
 * browser signed in some other way (the setup link, after changing one's own password) is known too.
 */
export function keepDeviceKnown (request: FastifyRequest, reply: FastifyReply, user: User, now: Date, secure: boolean): void {
  const device = deviceOf(request)
  if (device === undefined || !knownFor(device, user)) rememberDevice(reply, user, now, secure)
}

/** The device this request's cookie proves, if its signature holds; which account it is for is `knownFor`'s question. */
export function deviceOf (request: FastifyRequest): KnownDevice | undefined {
  const raw = request.cookies[knownDeviceCookie]
  if (raw === undefined) return undefined
  const unsigned = request.unsignCookie(raw)
  const match = unsigned.valid && unsigned.value !== null ? cookieValue.exec(unsigned.value) : null
  if (match === null) return undefined
  return { userId: Number(match[1]), signedInAt: Number(match[2]), id: match[3] as string }
}

/**
 * Whether `device` is known for `user`: the same account, and signed in since the password last
 * changed (a new password makes every device prove itself again, as it ends every session).
 */
export function knownFor (device: KnownDevice, user: User): boolean {
  return device.userId === user.id && Date.parse(user.updatedAt) <= device.signedInAt
}
