// Every test file runs exactly once in `npm test`: on its own, or in the one group (test/groups/) that deals it.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { filesOfGroup, parseGroupName, testDir, testFilesOf } from './fixtures/test-group.js'

const root = fileURLToPath(new URL('../', testDir))

/** What `npm test` runs: tap's own list of the files .taprc includes. */
function listedByTap (): string[] {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  return execFileSync(process.execPath, ['node_modules/.bin/tap', 'list'], { cwd: root, env, encoding: 'utf8' }).split('\n').filter((line) => line !== '')
}

/** Every test file under test/ but the group files themselves, as paths from the checkout. */
function everyTestFile (): string[] {
  const files: string[] = []
  for (const entry of readdirSync(testDir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.test.ts')) files.push(`test/${entry.name}`)
    if (entry.isDirectory() && entry.name !== 'groups') files.push(...testFilesOf(entry.name).map((name) => `test/${entry.name}/${name}`))
  }
  return files.sort()
}

t.test('each test file is run once: by tap directly, or by exactly one group', async (t) => {
  const run: string[] = []
  const shares = new Map<string, Set<number>>()
  for (const file of listedByTap()) {
    if (!file.startsWith('test/groups/')) {
      run.push(file)
      continue
    }
    const group = parseGroupName(file.slice('test/groups/'.length))
    if (group === undefined) {
      t.fail(`${file} is not named <folder>-<k>-of-<n>.test.ts`)
      continue
    }
    t.ok(group.share < group.shares, `${file}: share ${group.share} of ${group.shares}`)
    const key = `${group.folder} of ${group.shares}`
    shares.set(key, (shares.get(key) ?? new Set()).add(group.share))
    run.push(...filesOfGroup(group).map((name) => `test/${group.folder}/${name}`))
  }
  const folders = [...shares.keys()].map((key) => key.split(' of ')[0])
  t.same(folders.filter((folder, index) => folders.indexOf(folder) !== index), [], 'each grouped folder is dealt in one number of shares')
  for (const [key, dealt] of shares) {
    const count = Number(key.split(' of ')[1])
    t.same([...dealt].sort((a, b) => a - b), [...Array(count).keys()], `test/${key.replace(' of ', '/ in ')} shares: every share has its group file`)
  }
  t.same(run.filter((file, index) => run.indexOf(file) !== index), [], 'no file runs twice')
  t.same(run.sort(), everyTestFile(), 'every test file runs: a new folder needs its group file in test/groups/')
})

t.test('a group name says its folder and its share', async (t) => {
  t.same(parseGroupName('api-v2-0-of-1.test.ts'), { folder: 'api-v2', share: 0, shares: 1 })
  t.same(parseGroupName('admin-2-of-3.test.ts'), { folder: 'admin', share: 2, shares: 3 })
  t.equal(parseGroupName('admin.test.ts'), undefined)
  t.equal(parseGroupName('admin-1-of-x.test.ts'), undefined)
})
