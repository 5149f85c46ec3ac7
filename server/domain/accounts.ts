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
