// Text a monitor brings back from a target (an error, a certificate's names) made safe to show: one line, nothing invisible, bounded.

// Control characters, line and paragraph separators, bidi marks and overrides: a target could use them to rewrite what an admin reads.
const invisible = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]+/g

/** The text on one line, invisible characters turned into spaces, at most `limit` characters (… when cut). */
export function oneLine (text: string, limit: number): string {
  const line = text.replace(invisible, ' ').trim()
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line
}
