// Update bodies: Markdown to sanitized HTML, and to plain text.
import t from 'tap'
import { markdownToText, renderMarkdown, renderedBodiesKept, renderedBodiesSize } from '../../server/domain/markdown.js'

t.test('renders the Markdown people use in updates', async (t) => {
  t.equal(renderMarkdown('We are **investigating** _now_'), '<p>We are <strong>investigating</strong> <em>now</em></p>')
  t.match(renderMarkdown('- one\n- two'), /<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/)
  t.match(renderMarkdown('Run `dig example.com`'), /<code>dig example.com<\/code>/)
  t.match(renderMarkdown('See [the docs](https://example.com/a?b=1&c=2)'),
    /<a href="https:\/\/example.com\/a\?b=1&amp;c=2" rel="nofollow noopener noreferrer">the docs<\/a>/)
  t.match(renderMarkdown('line one\nline two'), /line one<br \/>line two/, 'single line breaks are kept')
  t.match(renderMarkdown('# Big heading'), /^<h3>Big heading<\/h3>$/, 'headings are demoted below the page outline')
})

t.test('raw HTML and dangerous links never come through: typed markup is the text that was typed', async (t) => {
  const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) <a href="#" onclick="x()">a</a>')
  t.notMatch(html, /<script|<img|<a /i, 'no live tag')
  t.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'typed HTML shows as the text that was typed')
  t.notMatch(renderMarkdown('Inline <img src=x onerror=alert(1)> and <b onclick="x()">bold</b>'), /<img|<b[ >]/)
  t.equal(renderMarkdown('A <table><tr><td>typed</td></tr></table> table'), '<p>A &lt;table&gt;&lt;tr&gt;&lt;td&gt;typed&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt; table</p>', 'even a tag the Markdown may make')
  t.equal(renderMarkdown('[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1))'), '<p><a rel="nofollow noopener noreferrer">x</a> <a rel="nofollow noopener noreferrer">y</a></p>')
  t.notMatch(renderMarkdown('<iframe src="https://evil.example"></iframe>'), /<iframe/)
  t.notMatch(renderMarkdown('[x](data:text/html;base64,PHNjcmlwdD4=)'), /href="data:/)
})

t.test('GFM tables, task lists and images render as HTML, never as escaped tags', async (t) => {
  const table = renderMarkdown('| Region | Status |\n|:--|--:|\n| EU | **ok** |\n| US | down |')
  t.match(table, /^<table>\s*<thead>\s*<tr>\s*<th align="left">Region<\/th>\s*<th align="right">Status<\/th>/)
  t.match(table, /<td align="left">EU<\/td>\s*<td align="right"><strong>ok<\/strong><\/td>/)
  t.notMatch(table, '&lt;', 'no tag as text')

  const tasks = renderMarkdown('- [x] certificate renewed\n- [ ] clients reconnected')
  t.match(tasks, /<ul>\s*<li>\u2611 certificate renewed<\/li>\s*<li>\u2610 clients reconnected<\/li>\s*<\/ul>/, 'a ballot box shows the state')
  t.notMatch(tasks, /<input|&lt;/)

  t.equal(renderMarkdown('![the graph](https://example.com/graph.png "Errors")'),
    '<p><a href="https://example.com/graph.png" title="Errors" rel="nofollow noopener noreferrer">the graph</a></p>', 'an image is a link to it, not loaded')
  t.equal(renderMarkdown('![](https://example.com/a.png)'), '<p><a href="https://example.com/a.png" rel="nofollow noopener noreferrer">https://example.com/a.png</a></p>', 'no alt text: the address')
  t.equal(renderMarkdown('![<b>bold</b> & "more"](https://example.com/a.png)'),
    '<p><a href="https://example.com/a.png" rel="nofollow noopener noreferrer">&lt;b&gt;bold&lt;/b&gt; &amp; "more"</a></p>', 'the alt text as typed')
  t.equal(renderMarkdown('![x](javascript:alert(1))'), '<p><a rel="nofollow noopener noreferrer">x</a></p>')
  t.notMatch(renderMarkdown('![img](https://example.com/a.png) <img src="https://example.com/b.png">'), /<img/, 'images are not shown')
})

t.test('plain text drops markup and keeps what was typed', async (t) => {
  t.equal(markdownToText('We are **investigating** the `sign-in` issue & more'), 'We are investigating the sign-in issue & more')
  t.equal(markdownToText('a\nb\n\n- c\n- d'), 'a\nb\nc\nd')
  t.equal(markdownToText('<b>bold</b> "quoted" it\'s'), '<b>bold</b> "quoted" it\'s', 'typed markup as typed, as on the page')
  t.equal(markdownToText('| a | b |\n|--|--|\n| 1 | 2 |'), 'a b\n1 2', 'a table row a line')
  t.equal(markdownToText('- [x] done\n- [ ] not yet'), '\u2611 done\n\u2610 not yet')
  t.equal(markdownToText('See ![the graph](https://example.com/g.png)'), 'See the graph')
})

t.test('rendered bodies are kept for the next render, at most so many, and an edit is rendered afresh', async (t) => {
  const body = `Kept ${Math.random()}: **bold**`
  const first = renderMarkdown(body)
  t.equal(renderMarkdown(body), first, 'the same body gives the same HTML')
  t.match(renderMarkdown(`${body}, edited`), /, edited<\/p>$/, 'another text is another body')
  for (let i = 0; i < renderedBodiesKept + 50; i++) renderMarkdown(`body ${i} _x_`)
  t.equal(renderedBodiesSize(), renderedBodiesKept, 'the oldest go first')
  t.equal(renderMarkdown('body 0 _x_'), '<p>body 0 <em>x</em></p>', 'one pushed out is rendered again')
})
