// Text rules: XML-forbidden characters, the one-line and multi-line patterns, references.
import t from 'tap'
import { formatReference, isValidReference } from '../../server/domain/references.js'
import {
  balanceBidi, cleanSearch, isolateBidi, multiLinePattern, optionalMultiLinePattern, optionalSingleLinePattern, searchTextPattern,
  singleLinePattern, stripXmlForbidden
} from '../../server/domain/text.js'

t.test('strips what XML 1.0 forbids and keeps everything else', async (t) => {
  t.equal(stripXmlForbidden('a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uFFFF'), 'abcdef')
  t.equal(stripXmlForbidden('tab\there\nline\rcr'), 'tab\there\nline\rcr')
  t.equal(stripXmlForbidden('lone \uD800 high, lone \uDC00 low'), 'lone  high, lone  low')
  t.equal(stripXmlForbidden('emoji 👩‍💻 RTL مرحبا עברית'), 'emoji 👩‍💻 RTL مرحبا עברית')
})

t.test('one-line and multi-line patterns', async (t) => {
  const single = new RegExp(singleLinePattern, 'u')
  const multi = new RegExp(multiLinePattern, 'u')
  const optional = new RegExp(optionalMultiLinePattern, 'u')
  t.ok(single.test('Microsoft Teams 👩‍💻 مرحبا'))
  t.notOk(single.test('   '), 'blank')
  t.notOk(single.test(''), 'empty')
  t.notOk(single.test('two\nlines'))
  t.notOk(single.test('bell\u0007'))
  t.notOk(single.test('del\u007F'))
  t.ok(multi.test('line one\nline two\r\n\ttabbed'))
  t.notOk(multi.test('\n\t '), 'only white space')
  t.notOk(multi.test('nul\u0000'))
  t.ok(optional.test(''))
  t.notOk(optional.test('esc\u001B'))
})

// What shows nothing: zero-width and format characters, default-ignorable fillers, combining marks alone.
const invisible = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u034F', '\u0301', '\u20DD', '\u3164', '\u115F',
  '\uFE0F', '\u202E', '\u2066', '\u200E', '\u{E0041}', '\u180E']

t.test('a name or a body must show something: invisible characters alone are refused', async (t) => {
  const single = new RegExp(singleLinePattern, 'u')
  const multi = new RegExp(multiLinePattern, 'u')
  for (const char of invisible) {
    const code = char.codePointAt(0)?.toString(16)
    t.notOk(single.test(char), `U+${code} alone is not a name`)
    t.notOk(single.test(` ${char}${char} `), `U+${code} with spaces is not a name`)
    t.notOk(multi.test(`${char}\n${char}`), `U+${code} on lines is not a body`)
  }
  t.notOk(single.test(invisible.join('')), 'all of them together')
  t.notOk(single.test('\u2028\u2029'), 'line separators')
  t.notOk(single.test('\u00A0\u3000\u2003'), 'Unicode spaces')
  t.ok(single.test('e\u0301'), 'a mark on a letter shows')
  t.ok(single.test('\u200Bx'), 'something visible next to an invisible character')
  t.ok(single.test('\u{1F468}\u200D\u{1F4BB}'), 'an emoji sequence joined by ZWJ')
  t.ok(single.test('\u202Eevil\u202C'), 'a name with bidi controls and letters (isolated on output)')
  t.ok(single.test('\u0645\u0631\u062D\u0628\u0627'), 'Arabic')
  t.ok(multi.test('\u200B\n\u05E9'), 'Hebrew after a zero-width line')
})

t.test('control characters, lone surrogates and noncharacters are refused everywhere', async (t) => {
  const patterns = { singleLinePattern, multiLinePattern, optionalMultiLinePattern, optionalSingleLinePattern, searchTextPattern }
  const refused = ['\u0000', '\u0007', '\u001B', '\u007F', '\u0080', '\u0085', '\u009F', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFE', '\uFFFF']
  for (const [name, pattern] of Object.entries(patterns)) {
    const regExp = new RegExp(pattern, 'u')
    for (const char of refused) t.notOk(regExp.test(`a${char}b`), `${name} refuses U+${char.charCodeAt(0).toString(16)}`)
    t.notOk(regExp.test('low \uDC00\uD800 high, reversed'), `${name} refuses a reversed pair`)
    t.ok(regExp.test('a \u{1F600} \u{10FFFF} \u{E000} b'), `${name} takes a surrogate pair, the last code point, private use`)
  }
  t.ok(new RegExp(multiLinePattern, 'u').test('tab\tand\r\nbreaks'))
  t.notOk(new RegExp(optionalSingleLinePattern, 'u').test('two\nlines'))
  t.ok(new RegExp(optionalSingleLinePattern, 'u').test(''))
})

t.test('a search is cleaned of what would break the lookup or the page', async (t) => {
  t.equal(cleanSearch('\u0000zzzz'), 'zzzz', 'a NUL (which ended the LIKE pattern and matched everything) goes')
  t.equal(cleanSearch(' TM202916\u0007\n'), 'TM202916')
  t.equal(cleanSearch('a\uD800b\uFFFF'), 'ab')
  t.equal(cleanSearch('\u{1F468}\u200D\u{1F4BB} \u0645\u0631\u062D\u0628\u0627'), '\u{1F468}\u200D\u{1F4BB} \u0645\u0631\u062D\u0628\u0627', 'emoji sequences and RTL stay')
  t.ok(new RegExp(searchTextPattern, 'u').test('Teams \u202E chat'))
})

t.test('bidi controls are balanced, and a name that has any is isolated', async (t) => {
  const [LRE, RLE, PDF, LRO, RLO, , RLI, FSI, PDI] = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']
  t.equal(balanceBidi('plain text'), 'plain text')
  t.equal(balanceBidi(`${RLO}evil`), `${RLO}evil${PDF}`, 'an open override is closed')
  t.equal(balanceBidi(`a${RLI}b${LRE}c`), `a${RLI}b${LRE}c${PDF}${PDI}`, 'inner first')
  t.equal(balanceBidi(`${PDI}${PDF}x`), 'x', 'closers that close nothing go')
  t.equal(balanceBidi(`${LRO}${RLI}x${PDF}y${PDI}z`), `${LRO}${RLI}xy${PDI}z${PDF}`, 'a PDF does not close across an isolate')
  t.equal(balanceBidi(`${FSI}${RLE}x${PDI}y`), `${FSI}${RLE}x${PDF}${PDI}y`, 'a PDI closes the embeddings inside its isolate')
  t.equal(balanceBidi(`${RLO}one\n${LRO}two${PDF}`), `${RLO}one${PDF}\n${LRO}two${PDF}`, 'line by line')
  t.equal(balanceBidi(`${LRE}${RLE}${LRO}${RLO}${PDF}`), `${LRE}${RLE}${LRO}${RLO}${PDF}${PDF}${PDF}${PDF}`)
  t.equal(isolateBidi('Microsoft Teams'), 'Microsoft Teams', 'nothing to isolate')
  t.equal(isolateBidi('\u0645\u0631\u062D\u0628\u0627'), '\u0645\u0631\u062D\u0628\u0627', 'right-to-left letters alone reach nothing past them')
  t.equal(isolateBidi(`Teams ${RLO}evil`), `${FSI}Teams ${RLO}evil${PDF}${PDI}`)
  t.equal(isolateBidi(`${PDI}${RLO}x`), `${FSI}${RLO}x${PDF}${PDI}`, 'a typed PDI cannot close the isolate early')
})

t.test('references', async (t) => {
  t.ok(isValidReference('TM202916'))
  t.ok(isValidReference('ab'))
  t.notOk(isValidReference('a'))
  t.notOk(isValidReference('TM-202916'))
  t.notOk(isValidReference('x'.repeat(33)))
  t.notOk(isValidReference('ТМ202916'), 'Cyrillic look-alikes are refused')
  t.equal(formatReference('TM', 42), 'TM000042')
  t.equal(formatReference('INC', 1234567), 'INC1234567')
})

// A backtracking pattern would take minutes on these and hit tap's timeout; a linear one takes milliseconds.
t.test('the patterns stay linear on long hostile input', async (t) => {
  const multi = new RegExp(multiLinePattern, 'u')
  const single = new RegExp(singleLinePattern, 'u')
  const hostile = 'a '.repeat(100_000) + '\u0000'
  t.notOk(multi.test(hostile))
  t.notOk(single.test(hostile))
  t.notOk(multi.test(' '.repeat(200_000)))
  t.ok(multi.test(' '.repeat(200_000) + 'x'))
  t.notOk(single.test('\u200B\u0301'.repeat(100_000)), 'invisible characters only')
  t.notOk(multi.test('a\u200B'.repeat(100_000) + '\uD800'), 'a lone surrogate at the end')
})
