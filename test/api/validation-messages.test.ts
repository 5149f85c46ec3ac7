// The validation message formatter on its own, including the errors no route schema produces today.
import t from 'tap'
import { validationMessage } from '../../server/routes/api/validation-messages.js'

const error = (keyword: string, params: Record<string, unknown>, extra: { instancePath?: string, schemaPath?: string, message?: string } = {}) => ({
  keyword,
  params,
  instancePath: extra.instancePath ?? '/name',
  schemaPath: extra.schemaPath ?? `#/properties/name/${keyword}`,
  message: extra.message
})

t.test('keywords in words', async (t) => {
  const say = (e: ReturnType<typeof error>): string => validationMessage([e], 'body').message
  t.equal(say(error('pattern', { pattern: '^[A-Za-z0-9]{2,32}$' }, { instancePath: '/reference' })), 'body/reference must be 2 to 32 letters and digits')
  t.equal(say(error('pattern', { pattern: '^x$' }, { message: 'must match pattern "^x$"' })), 'body/name must match pattern "^x$"')
  t.equal(say(error('pattern', { pattern: '^x$' })), 'body/name is not valid')
  t.equal(say(error('format', { format: 'email' }, { message: 'must match format "email"' })), 'body/name must match format "email"')
  t.equal(say(error('format', { format: 'email' })), 'body/name is not valid')
  t.equal(say(error('enum', { allowedValues: ['a', 'b'] })), 'body/name must be one of a, b')
  t.equal(say(error('minLength', { limit: 1 })), 'body/name must not be empty')
  t.equal(say(error('minLength', { limit: 3 }, { message: 'must NOT have fewer than 3 characters' })), 'body/name must NOT have fewer than 3 characters')
  t.equal(say(error('minLength', { limit: 3 })), 'body/name is too short')
  t.equal(say(error('minProperties', { limit: 1 }, { instancePath: '' })), 'body must name at least one field to change')
  t.equal(say(error('minProperties', { limit: 2 }, { instancePath: '', message: 'must NOT have fewer than 2 properties' })), 'body must NOT have fewer than 2 properties')
  t.equal(say(error('minProperties', { limit: 2 }, { instancePath: '' })), 'body has too few fields')
  t.equal(say(error('additionalProperties', { additionalProperty: 'colour' }, { instancePath: '' })), "body has an unknown field 'colour'")
  t.equal(say(error('type', { type: 'string' }, { message: 'must be string' })), 'body/name must be string')
  t.equal(say(error('type', { type: 'string' })), 'body/name is not valid')
  t.equal(validationMessage([error('pattern', { pattern: '^[1-9][0-9]{0,14}$' }, { instancePath: '/id' })], 'params').message, 'params/id must be a whole number id')
})

t.test('the alternatives of an anyOf are said as one', async (t) => {
  const message = validationMessage([
    error('type', { type: 'string' }, { instancePath: '/group', schemaPath: '#/properties/group/anyOf/0/type', message: 'must be string' }),
    error('type', { type: 'null' }, { instancePath: '/group', schemaPath: '#/properties/group/anyOf/1/type', message: 'must be null' }),
    error('anyOf', {}, { instancePath: '/group', schemaPath: '#/properties/group/anyOf', message: 'must match a schema in anyOf' })
  ], 'body').message
  t.equal(message, 'body/group must be string or must be null')
})

t.test('a bad key of a map is named once', async (t) => {
  // ajv marks an error inside propertyNames with the key it was checking.
  const badKey = Object.assign(error('pattern', { pattern: '^[1-9][0-9]{0,14}$' }, { instancePath: '/components', schemaPath: '#/properties/components/propertyNames/pattern' }), { propertyName: 'chat' })
  const message = validationMessage([
    badKey,
    error('propertyNames', { propertyName: 'chat' }, { instancePath: '/components', message: 'property name must be valid' })
  ], 'body').message
  t.equal(message, "body/components key 'chat' must be a whole number id")
})

t.test('a body error names the field it is about as `field`; a path, a query or the body as a whole names none', async (t) => {
  const fieldOf = (errors: Array<ReturnType<typeof error>>, dataVar: 'body' | 'params' | 'querystring' = 'body'): unknown => (validationMessage(errors, dataVar) as Error & { field?: string }).field
  t.equal(fieldOf([error('pattern', { pattern: '^x$' }, { instancePath: '/reference' })]), 'reference')
  t.equal(fieldOf([error('required', { missingProperty: 'body' }, { instancePath: '' })]), 'body')
  t.equal(fieldOf([error('enum', { allowedValues: ['a'] }, { instancePath: '/components/7' })]), 'components', 'a value inside a field: the field')
  t.equal(fieldOf([error('additionalProperties', { additionalProperty: 'colour' }, { instancePath: '' })]), undefined)
  t.equal(fieldOf([error('minProperties', { limit: 1 }, { instancePath: '' })]), undefined)
  t.equal(fieldOf([error('pattern', { pattern: '^[1-9][0-9]{0,14}$' }, { instancePath: '/id' })], 'params'), undefined)
  t.equal(fieldOf([error('additionalProperties', { additionalProperty: 'x' }, { instancePath: '' })], 'querystring'), undefined)
})
