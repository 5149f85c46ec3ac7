// Record ids as they travel in URLs and forms: whole decimal numbers without sign or leading zero, so each record has one spelling.

export const idPattern = '^[1-9][0-9]{0,14}$'
const idRegExp = new RegExp(idPattern)

/** The id a text names, or undefined when it is not one (`007`, `+7`, `7.0`, `1e3`, too long). */
export function parseId (text: string): number | undefined {
  return idRegExp.test(text) ? Number(text) : undefined
}
