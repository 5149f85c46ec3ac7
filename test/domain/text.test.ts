// Text rules: XML-forbidden characters, the one-line and multi-line patterns, references.
import t from 'tap'
import { formatReference, isValidReference } from '../../server/domain/references.js'
import { multiLinePattern, optionalMultiLinePattern, singleLinePattern, stripXmlForbidden } from '../../server/domain/text.js'

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
})
