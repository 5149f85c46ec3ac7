// X-Herald-Signature: the HMAC-SHA256 of a webhook's timestamp and body under the subscriber's secret, and its check (shown in the README).
import { createHmac, timingSafeEqual } from 'node:crypto'

/** How old a signature may be, by default, before a receiver refuses it as a replay: 5 minutes. */
export const defaultToleranceS = 300

function digest (secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`: the timestamp is signed with the body, so a
 * captured delivery cannot be replayed later with a new time. The key is the secret as shown, `whsec_` included.
 */
export function signatureHeader (secret: string, body: string, now: Date): string {
  const timestamp = Math.floor(now.getTime() / 1000)
  return `t=${timestamp},v1=${digest(secret, timestamp, body)}`
}

/**
 * Whether `header` signs `body` under `secret`, made within `toleranceS` seconds of `now`. Every `v1` given is
 * tried (room for signing with two secrets while one is replaced); the comparison takes the same time
 * whichever byte differs.
 */
export function verifySignature (header: string, body: string, secret: string, toleranceS = defaultToleranceS, now = new Date()): boolean {
  let timestamp: number | undefined
  const signatures: string[] = []
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2)
    if (key === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value)
    else if (key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/.test(value)) signatures.push(value)
  }
  if (timestamp === undefined || signatures.length === 0) return false
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceS) return false
  const expected = Buffer.from(digest(secret, timestamp, body), 'hex')
  return signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected))
}
