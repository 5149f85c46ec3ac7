// typeListed: unions of plain types said as lists of types, anything else left alone, the input never changed.
import t from 'tap'
import { Type } from 'typebox'
import { typeListed } from '../../server/routes/api/type-listed-schema.js'

t.test('a type or null becomes a list of types, keeping what each alternative says', async (t) => {
  t.same(typeListed(Type.Union([Type.String(), Type.Null()])), { type: ['string', 'null'] })
  t.same(typeListed(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when' })),
    { type: ['string', 'null'], format: 'date-time', description: 'when' })
  t.same(typeListed(Type.Union([Type.Integer(), Type.String()])), { type: ['integer', 'string'] })
  t.same(typeListed(Type.Union([Type.String(), Type.Number(), Type.Boolean()])), { type: ['string', 'number', 'boolean'] })
})

t.test('an enum beside null keeps its values, and null among them', async (t) => {
  t.same(typeListed(Type.Union([Type.Enum(['minor', 'major']), Type.Null()])), { type: ['string', 'null'], enum: ['minor', 'major', null] })
  t.same(typeListed(Type.Union([Type.Enum(['minor', 'major']), Type.Integer()])), Type.Union([Type.Enum(['minor', 'major']), Type.Integer()]),
    'an enum beside another type is left alone')
  t.same(typeListed({ anyOf: [{ enum: [1, 2] }, { type: 'null' }] }), { anyOf: [{ enum: [1, 2] }, { type: 'null' }] }, 'an enum of numbers is left alone')
})

t.test('an object or null keeps its properties, listed in turn', async (t) => {
  const schema = Type.Union([Type.Object({ at: Type.String(), error: Type.Union([Type.String(), Type.Null()]) }), Type.Null()])
  t.same(typeListed(schema), {
    type: ['object', 'null'],
    required: ['at', 'error'],
    properties: { at: { type: 'string' }, error: { type: ['string', 'null'] } }
  })
})

t.test('unions inside objects and arrays are listed wherever they are', async (t) => {
  const schema = Type.Object({ items: Type.Array(Type.Object({ group: Type.Union([Type.String(), Type.Null()]) })) })
  t.same(typeListed(schema), {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: { type: 'object', required: ['group'], properties: { group: { type: ['string', 'null'] } } } } }
  })
})

t.test('a union that a list of types cannot say is left as it is', async (t) => {
  const twoObjects = Type.Union([Type.Object({ a: Type.String() }), Type.Object({ b: Type.String() })])
  t.same(typeListed(twoObjects), twoObjects, 'two alternatives of one type')
  const conflicting = Type.Union([Type.String({ maxLength: 3 }), Type.String({ maxLength: 5 }), Type.Null()])
  t.same(typeListed(conflicting), conflicting, 'alternatives that disagree')
  const reference = { anyOf: [{ $ref: 'Thing' }, { type: 'null' }] }
  t.same(typeListed(reference), reference, 'a reference')
  const literals = Type.Union([Type.Literal('all'), Type.Literal('some')])
  t.same(typeListed(literals), literals, 'two constants of one type')
  const constantOrNull = Type.Union([Type.Literal('all'), Type.Null()])
  t.same(typeListed(constantOrNull), constantOrNull, 'a constant beside null: a const would bind the null too')
  const nested = { anyOf: [{ type: 'string', not: { enum: ['x'] } }, { type: 'null' }] }
  t.same(typeListed(nested), nested, 'a keyword that holds for every type')
  t.same(typeListed({ anyOf: [{ type: ['string', 'integer'] }, { type: 'null' }] }), { anyOf: [{ type: ['string', 'integer'] }, { type: 'null' }] }, 'a list already')
  t.same(typeListed({ anyOf: ['string', null] }), { anyOf: ['string', null] }, 'alternatives that are not schemas')
})

t.test('the schema given is not changed: request schemas share their parts with the answers', async (t) => {
  const nullable = Type.Union([Type.String(), Type.Null()])
  const schema = Type.Object({ note: nullable })
  const before = JSON.stringify(schema)
  const listed = typeListed(schema) as { properties: { note: unknown } }
  t.equal(JSON.stringify(schema), before)
  t.not(listed.properties.note, nullable)
  t.same(typeListed(null), null)
  t.same(typeListed('text'), 'text')
})
