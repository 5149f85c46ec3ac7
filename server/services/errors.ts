// Errors the write paths raise for a person's mistake; the HTTP layer maps them to 4xx answers.

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError'
  readonly statusCode = 404
}

export class ConflictError extends Error {
  override readonly name = 'ConflictError'
  readonly statusCode = 409
}

export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError'
  readonly statusCode = 400
}
