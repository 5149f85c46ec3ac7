// Who may change Herald: the admin UI's users with their roles, and the API's tokens.

export type Role = 'admin' | 'editor'
export const roles: readonly Role[] = ['admin', 'editor']

export interface User {
  id: number
  name: string
  role: Role
  createdAt: string
  updatedAt: string
}

export interface ApiToken {
  id: number
  name: string
  createdAt: string
  lastUsedAt: string | null
}

/** The cost of a scrypt password hash: N (CPU and memory), r (block size), p (parallelism). */
export interface PasswordHashing {
  readonly N: number
  readonly r: number
  readonly p: number
}

// N=2^15, r=8: 32 MiB and tens of milliseconds per guess, the OWASP-recommended floor for scrypt.
export const passwordHashingFloor: PasswordHashing = { N: 2 ** 15, r: 8, p: 1 }
