// Incident references such as TM202916: what an admin may type, and how Herald makes one.

export const referencePattern = '^[A-Za-z0-9]{2,32}$'
const referenceRegExp = new RegExp(referencePattern)

export function isValidReference (reference: string): boolean {
  return referenceRegExp.test(reference)
}

/** A generated reference: the configured prefix and a sequence number padded to six digits. */
export function formatReference (prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(6, '0')}`
}

/** The prefix of a maintenance's generated reference when MAINTENANCE_PREFIX is not set: MNT000001. */
export const defaultMaintenancePrefix = 'MNT'

/** A reference prefix as the settings take it: 1 to 10 letters (INCIDENT_PREFIX, MAINTENANCE_PREFIX). */
export function isValidReferencePrefix (prefix: string): boolean {
  return /^[A-Za-z]{1,10}$/.test(prefix)
}
