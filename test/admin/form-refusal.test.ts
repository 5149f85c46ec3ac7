// A service's refusal on an admin form: next to the field it names, in the form's words for its rule, or above the form.
import t from 'tap'
import { formField, formRefusal } from '../../server/routes/admin/forms.js'
import { ConflictError, InvalidInputError, NotFoundError } from '../../server/services/errors.js'

const fields = ['name', 'scheduledFor', 'scheduledUntil', 'status', 'postText']

t.test('a field named as the token API names it is the form field in camelCase', async (t) => {
  t.equal(formField('scheduled_until'), 'scheduledUntil')
  t.equal(formField('post_text'), 'postText')
  t.equal(formField('status'), 'status')
})

t.test('a refusal that names a field of the form is said next to it, with the service\'s status', async (t) => {
  const err = new InvalidInputError('post text must be at most 5000 characters', { field: 'post_text' })
  t.same(formRefusal(err, fields), { field: 'postText', message: 'Nothing was saved: post text must be at most 5000 characters.', statusCode: 400 })
  const moved = new ConflictError('maintenance MW1 is completed: it cannot become scheduled', { field: 'status', rule: 'status-move' })
  t.same(formRefusal(moved, fields), { field: 'status', message: 'Nothing was saved: maintenance MW1 is completed: it cannot become scheduled.', statusCode: 409 },
    'the service\'s message when the form has no words for the rule')
})

t.test('the form\'s own words for a rule, given the field, replace the service\'s message', async (t) => {
  const words = { 'window-order': (field: string) => field === 'scheduledFor' ? 'The start must be before the end.' : 'The end must be after the start.' }
  const end = new InvalidInputError('scheduled_until must be after scheduled_for', { field: 'scheduled_until', rule: 'window-order' })
  const start = new InvalidInputError('scheduled_until must be after scheduled_for', { field: 'scheduled_for', rule: 'window-order' })
  t.same(formRefusal(end, fields, words), { field: 'scheduledUntil', message: 'The end must be after the start.', statusCode: 400 })
  t.same(formRefusal(start, fields, words), { field: 'scheduledFor', message: 'The start must be before the end.', statusCode: 400 })
  const past = new InvalidInputError('scheduled_until is in the past', { field: 'scheduled_until', rule: 'window-past' })
  t.equal(formRefusal(past, fields, words).message, 'Nothing was saved: scheduled_until is in the past.', 'another rule: the service\'s message')
})

t.test('a refusal that names no field, or one the form does not have, is said above the form', async (t) => {
  const started = new ConflictError('maintenance MW1 has started: only its end can move')
  t.same(formRefusal(started, fields), { field: 'form', message: 'Nothing was saved: maintenance MW1 has started: only its end can move.', statusCode: 409 })
  const elsewhere = new InvalidInputError('display_at is not a time that exists', { field: 'display_at' })
  t.equal(formRefusal(elsewhere, fields).field, 'form')
})

t.test('what is not a refusal, or is a record not found, is thrown on for the error page', async (t) => {
  const bug = new TypeError('x is undefined')
  t.throws(() => formRefusal(bug, fields), bug)
  const gone = new NotFoundError('no maintenance with reference MW1')
  t.throws(() => formRefusal(gone, fields), gone)
})
