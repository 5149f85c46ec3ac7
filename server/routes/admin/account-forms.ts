// The account forms of the admin UI (setup, users, passwords, tokens): schemas, messages, and service errors as field errors.
import { Type } from 'typebox'
import { roles } from '../../domain/accounts.js'
import { passwordLimits } from '../../domain/password-policy.js'
import { limits } from '../../domain/text.js'
import { ConflictError } from '../../services/errors.js'
import { UserInputError, userNameLimits } from '../../services/user-service.js'
import type { FieldErrors, FieldMessages } from './forms.js'

// Only length here: what a name may contain is the user service's rule, and its words go next to the field.
const UserName = Type.String({ minLength: 1, maxLength: userNameLimits.max })
const Password = Type.String({ minLength: 1, maxLength: passwordLimits.max })

const passwordFields = { password: Password, confirm: Password }

export const setupForm = Type.Object({ token: Type.String({ maxLength: 200 }), name: UserName, ...passwordFields })
export interface SetupValues { token: string, name: string, password: string, confirm: string }

export const newUserForm = Type.Object({ name: UserName, role: Type.Enum([...roles]), ...passwordFields })
export interface NewUserValues { name: string, role: typeof roles[number], password: string, confirm: string }

export const passwordForm = Type.Object(passwordFields)
export interface PasswordValues { password: string, confirm: string }

export const tokenForm = Type.Object({ name: Type.String({ minLength: 1, maxLength: limits.tokenName, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }) })
export interface TokenValues { name: string }

export const accountFieldMessages: FieldMessages = {
  role: `Choose one of the roles: ${roles.join(' or ')}.`,
  name: 'Use letters, digits, dots, dashes or underscores, starting with a letter or a digit.'
}

/** The submitted fields with the name trimmed: spaces around a name are never meant. */
export function trimName<T> (body: unknown): T {
  const values = { ...(typeof body === 'object' && body !== null ? body : {}) } as Record<string, unknown>
  if (typeof values.name === 'string') values.name = values.name.trim()
  return values as T
}

/** A second password that differs from the first is the form's mistake, next to the second field. */
export function confirmError (values: { password: string, confirm: string }): FieldErrors {
  return values.password === values.confirm ? {} : { confirm: 'The two passwords differ: type the same password twice.' }
}

/** The service's refusal as an error next to its field, or undefined for errors that are not about the input. */
export function userErrorFields (error: unknown): FieldErrors | undefined {
  if (error instanceof UserInputError) return { [error.field]: error.problem }
  if (error instanceof ConflictError) return { name: 'A user of that name already exists (names ignore case).' }
  return undefined
}

/** What may be shown again of a submitted form: never a password. */
export function keptValues (values: Record<string, unknown>, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field, typeof values[field] === 'string' ? values[field] : '']))
}
