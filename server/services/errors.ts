// Errors the write paths raise for a person's mistake; the HTTP layer maps them to 4xx answers.

export class NotFoundError extends Error {
  readonly statusCode = 404
}

export class ConflictError extends Error {
  readonly statusCode = 409
}

export class InvalidInputError extends Error {
  readonly statusCode = 400
}
