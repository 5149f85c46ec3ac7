// HTTP-dates as RFC 9110 (5.6.7) defines them: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept.

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const shortDays = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun'
const longDays = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday'
const month = months.join('|')
const time = '(\\d{2}):(\\d{2}):(\\d{2})'

// The grammar is case-sensitive ("GMT", "Nov"), and each form has exactly one spelling of its spaces.
const imfFixdate = new RegExp(`^(?:${shortDays}), (\\d{2}) (${month}) (\\d{4}) ${time} GMT$`)
const rfc850Date = new RegExp(`^(?:${longDays}), (\\d{2})-(${month})-(\\d{2}) ${time} GMT$`)
const asctimeDate = new RegExp(`^(?:${shortDays}) (${month}) ([ \\d]\\d) ${time} (\\d{4})$`)

/**
 * An RFC 850 date's two-digit year is the one that is not more than 50 years in the future
 * (RFC 9110, 5.6.7): the most recent past year with those digits.
 */
function fullYear (twoDigits: number, now: number): number {
  const current = new Date(now).getUTCFullYear()
  let year = current - (current % 100) + twoDigits
  if (year > current + 50) year -= 100
  return year
}

function timestamp (year: number, monthName: string, day: number, hour: number, minute: number, second: number): number | undefined {
  const monthIndex = months.indexOf(monthName)
  if (hour > 23 || minute > 59 || second > 60 || day < 1) return undefined
  // A leap second (60) is the last second of its minute, as far as comparing dates goes.
  const date = new Date(Date.UTC(2000, monthIndex, day, hour, minute, Math.min(second, 59)))
  // Set apart: Date.UTC reads the years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(year)
  // 31 Feb would roll over into March: such a date names no day, so it is no date at all.
  if (date.getUTCDate() !== day) return undefined
  return date.getTime()
}

/**
 * The time an HTTP-date names, in milliseconds since the epoch, or undefined when the text is not an
 * HTTP-date (a conditional header with such a value is ignored: RFC 9110, 13.1.3). `now` decides the
 * century of an RFC 850 date.
 */
export function parseHttpDate (text: string, now: number = Date.now()): number | undefined {
  const value = text.trim()
  let match = imfFixdate.exec(value)
  if (match !== null) {
    const [, day, monthName, year, hour, minute, second] = match as unknown as string[]
    return timestamp(Number(year), monthName as string, Number(day), Number(hour), Number(minute), Number(second))
  }
  match = rfc850Date.exec(value)
  if (match !== null) {
    const [, day, monthName, year, hour, minute, second] = match as unknown as string[]
    return timestamp(fullYear(Number(year), now), monthName as string, Number(day), Number(hour), Number(minute), Number(second))
  }
  match = asctimeDate.exec(value)
  if (match !== null) {
    const [, monthName, day, hour, minute, second, year] = match as unknown as string[]
    return timestamp(Number(year), monthName as string, Number((day as string).trim()), Number(hour), Number(minute), Number(second))
  }
  return undefined
}
