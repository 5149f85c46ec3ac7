// What makes a password acceptable: long enough, typeable, not trivially guessable. Returns the reason it is not.

export const passwordLimits = { min: 10, max: 200 } as const

// A few of the passwords every attacker tries first; length rules out most of the rest.
const common = new Set([
  'password123', 'password1234', '1234567890', '12345678910', 'qwertyuiop', 'iloveyou123', 'administrator',
  'letmein123', 'welcome123', 'changeme123', 'passw0rd123', 'statuspage', 'herald1234', 'admin12345'
])

// Control characters cannot be typed the same way on every keyboard and terminal: a password
// holding one could be set from a script and then never typed again.
const controlCharacter = /[\u0000-\u001F\u007F-\u009F]/

/** Undefined when the password is acceptable; otherwise a sentence saying why not. */
export function passwordProblem (password: string, userName: string): string | undefined {
  const length = [...password].length
  if (length < passwordLimits.min) return `Use at least ${passwordLimits.min} characters.`
  if (length > passwordLimits.max) return `Use at most ${passwordLimits.max} characters.`
  if (controlCharacter.test(password)) return 'Do not use control characters (tabs, line breaks and the like).'
  if (new Set(password).size < 4) return 'Use more different characters.'
  if (password.toLowerCase().includes(userName.toLowerCase()) && userName.length >= 3) return 'Do not use your user name in the password.'
  if (common.has(password.toLowerCase())) return 'This password is too common.'
  return undefined
}
