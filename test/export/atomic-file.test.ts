// writeFileAtomic: a reader in another process sees the old file or the new one, never a part; a failed write leaves nothing aside.
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { writeFileAtomic } from '../../server/export/atomic-file.js'
import { tempDir } from '../fixtures/build.js'

// Large enough that a plain write takes several system calls, so a reader could catch one half-done.
const size = 4 * 1024 * 1024
const versions = ['a', 'b', 'c'].map((letter) => Buffer.alloc(size, letter))

/** Reads the file in a loop until told to stop; reports how many reads saw each letter, and any other content. */
const reader = `
const { readFileSync } = require('node:fs')
const counts = {}
let torn = 0
let stop = false
process.stdin.on('data', () => { stop = true })
process.stdout.write('ready\\n')
function loop () {
  for (let i = 0; i < 20 && !stop; i++) {
    const data = readFileSync(process.argv[1])
    const first = String.fromCharCode(data[0])
    if (data.length !== ${size} || !data.equals(Buffer.alloc(${size}, first))) torn++
    counts[first] = (counts[first] || 0) + 1
  }
  if (stop) process.stdout.write(JSON.stringify({ counts, torn }) + '\\n', () => process.exit(0))
  else setImmediate(loop)
}
loop()
`

t.test('a reader in another process never sees a partly written file', async (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'index.html')
  await writeFileAtomic(path, versions[0] as Buffer)
  const child = spawn(process.execPath, ['-e', reader, path], { stdio: ['pipe', 'pipe', 'inherit'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  await new Promise<void>((resolve) => { child.stdout.once('data', () => { resolve() }) })
  for (let i = 1; i <= 60; i++) await writeFileAtomic(path, versions[i % 3] as Buffer)
  child.stdin.write('stop\n')
  await new Promise((resolve) => child.once('exit', resolve))
  const { counts, torn } = JSON.parse(output.split('\n')[1] ?? '{}') as { counts: Record<string, number>, torn: number }
  t.equal(torn, 0, 'every read was one whole version')
  t.ok(Object.keys(counts).length >= 2, `the reader saw the file change: ${JSON.stringify(counts)}`)
  t.same(readdirSync(dir), ['index.html'], 'nothing left aside')
})

t.test('a write that cannot be renamed into place removes what it wrote aside', async (t) => {
  const dir = tempDir(t)
  mkdirSync(join(dir, 'taken', 'inside'), { recursive: true })
  // A folder with something in it cannot be replaced by a file.
  await t.rejects(writeFileAtomic(join(dir, 'taken'), 'x'))
  t.same(readdirSync(dir), ['taken'])
  writeFileSync(join(dir, 'page.html'), 'old')
  await writeFileAtomic(join(dir, 'deep', 'er', 'page.html'), 'new')
  t.equal(readFileSync(join(dir, 'deep', 'er', 'page.html'), 'utf8'), 'new', 'missing folders are made')
})
