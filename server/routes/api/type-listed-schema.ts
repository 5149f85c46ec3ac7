// The token API's response schemas as fast-json-stringify writes them without Ajv: a union of plain types said as a list of types.

/**
 * fast-json-stringify writes a value whose schema is an `anyOf` by asking Ajv which alternative it
 * matches. It compiles those validators on the first answer that reaches one: 10 to 25 ms added to the
 * first answer of each route after a start (the first update posted in an outage, say), and a validation of
 * every nullable field of every answer after. The same union said as a list of types (`type: ['string',
 * 'null']`) means the same in JSON Schema and in OpenAPI 3.1, and fast-json-stringify writes it after a
 * `typeof` test. Compiling the validators at start-up instead (its `compileValidators`) made the start
 * 0.7 s longer.
 *
 * A union is listed when each alternative has one type of its own (or is an `enum` beside `null`), and
 * the keywords they bring agree: those keywords (a string's `format`, an object's `properties`) apply to
 * their own type only, as JSON Schema says. Any other union is left as it is, and still works, at Ajv's
 * cost. The schema given is not changed (request schemas share parts with the responses): the answer is
 * a copy, plain JSON Schema.
 */
export function typeListed (schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(typeListed)
  if (schema === null || typeof schema !== 'object') return schema
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) copy[key] = typeListed(value)
  if (!Array.isArray(copy.anyOf)) return copy
  const listed = listedUnion(copy.anyOf as unknown[])
  if (listed === undefined) return copy
  const { anyOf: _alternatives, ...rest } = copy
  return { ...listed, ...rest }
}

type Schema = Record<string, unknown>

// Keywords that hold for a value of any type: brought by one alternative, they would bind the others too
// (a `const` beside null would forbid the null, and fast-json-stringify writes a `const` as it is).
const anyTypeKeywords = ['const', 'not', '$ref', 'allOf', 'anyOf', 'oneOf', 'if', 'then', 'else']

/** One schema with a list of types saying what `alternatives` say, or undefined when they cannot be said so. */
function listedUnion (alternatives: unknown[]): Schema | undefined {
  const types: string[] = []
  const merged: Schema = {}
  let values: unknown[] | undefined
  for (const alternative of alternatives) {
    if (alternative === null || typeof alternative !== 'object' || Array.isArray(alternative)) return undefined
    const { type, enum: choices, ...keywords } = alternative as Schema
    if (anyTypeKeywords.some((keyword) => keyword in keywords)) return undefined
    if (choices !== undefined) {
      // An enum of strings beside null: a string in those values, or null.
      if (type !== undefined || values !== undefined || !Array.isArray(choices) || !choices.every((choice) => typeof choice === 'string')) return undefined
      values = choices
      types.push('string')
    } else if (typeof type === 'string') {
      types.push(type)
    } else {
      return undefined
    }
    for (const [key, value] of Object.entries(keywords)) {
      if (key in merged && JSON.stringify(merged[key]) !== JSON.stringify(value)) return undefined
      merged[key] = value
    }
  }
  if (new Set(types).size !== types.length) return undefined
  if (values !== undefined) {
    if (types.some((type) => type !== 'string' && type !== 'null')) return undefined
    merged.enum = types.includes('null') ? [...values, null] : values
  }
  return { type: types, ...merged }
}
