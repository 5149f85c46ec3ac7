// Errors the write paths raise for a person's mistake; the HTTP layer maps them to 4xx answers, beside the field they name.

/**
 * The rules whose refusal a form words its own way (for a person, in the form's terms) rather than
 * repeating the service's message; every other refusal is shown as the service says it.
 */
export type RefusalRule =
  /** The window ends at or before its start. */
  | 'window-order'
  /** The window ends in the past. */
  | 'window-past'
  /** The maintenance's status cannot move to the one asked for. */
  | 'status-move'
  /** The reference is taken by another incident or maintenance. */
  | 'reference-taken'
  /** An update dated more than a minute ahead of the clock. */
  | 'display-at-future'
  /** Another component of the same group has the same name. */
  | 'name-taken'

export interface Refusal {
  /**
   * The input field the refusal is about, named as the token API names it (`scheduled_until`,
   * `post_text`); an admin form names the same field in camelCase (`scheduledUntil`).
   */
  field?: string
  rule?: RefusalRule
}

/** A refusal of a write path: its message says what is wrong; `field` and `rule` say where and which rule. */
export abstract class ServiceError extends Error {
  abstract readonly statusCode: number
  readonly field: string | undefined
  readonly rule: RefusalRule | undefined

  constructor (message: string, refusal: Refusal = {}) {
    super(message)
    this.field = refusal.field
    this.rule = refusal.rule
  }
}

export class NotFoundError extends ServiceError {
  override readonly name = 'NotFoundError'
  readonly statusCode = 404
}

export class ConflictError extends ServiceError {
  override readonly name = 'ConflictError'
  readonly statusCode = 409
}

export class InvalidInputError extends ServiceError {
  override readonly name = 'InvalidInputError'
  readonly statusCode = 400
}
