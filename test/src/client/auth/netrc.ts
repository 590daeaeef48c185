import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { Netrc } from '../../../../src/client/auth/netrc.js'
import { tempDir } from '../../../fixtures/tb.js'

const existing = [
  '# personal credentials',
  'machine github.com',
  '  login octocat',
  '  password gh-token # a trailing comment',
  '',
  'machine api.heroku.com login me@example.com password heroku-key',
  'macdef init',
  'cd /pub',
  'binary',
  '',
  'default login anonymous password guest@',
  '',
].join('\n')

t.test('set adds an entry and keeps every other byte; get reads it back', async (t) => {
  const path = join(tempDir(t), '.netrc')
  writeFileSync(path, existing, { mode: 0o644 })
  const netrc = new Netrc(path)
  netrc.set('127.0.0.1:7171', { login: 'root@tb.localhost', password: 'k1' })
  t.equal(
    readFileSync(path, 'utf8'),
    existing.replace('default ', 'machine 127.0.0.1:7171\n  login root@tb.localhost\n  password k1\ndefault '),
    'before the default entry, which must stay last',
  )
  t.equal(statSync(path).mode & 0o777, 0o600, 'the file becomes 0600')
  t.same(netrc.get('127.0.0.1:7171'), { login: 'root@tb.localhost', password: 'k1' })
  t.same(netrc.get('github.com'), { login: 'octocat', password: 'gh-token' })
  t.same(netrc.get('api.heroku.com'), { login: 'me@example.com', password: 'heroku-key' })
  t.equal(netrc.get('nowhere'), undefined)
})

t.test('set replaces an existing entry in place', async (t) => {
  const path = join(tempDir(t), '.netrc')
  writeFileSync(path, existing)
  new Netrc(path).set('api.heroku.com', { login: 'new@example.com', password: 'new-key' })
  t.equal(
    readFileSync(path, 'utf8'),
    existing.replace('machine api.heroku.com login me@example.com password heroku-key', 'machine api.heroku.com\n  login new@example.com\n  password new-key'),
  )
})

t.test('remove takes out one entry only; removing a missing one changes nothing', async (t) => {
  const path = join(tempDir(t), '.netrc')
  writeFileSync(path, existing)
  const netrc = new Netrc(path)
  netrc.set('127.0.0.1:7171', { login: 'root', password: 'k' })
  t.equal(netrc.remove('127.0.0.1:7171'), true)
  t.equal(readFileSync(path, 'utf8'), existing)
  t.equal(netrc.remove('127.0.0.1:7171'), false)
  t.equal(readFileSync(path, 'utf8'), existing)
  t.equal(netrc.remove('github.com'), true)
  t.equal(readFileSync(path, 'utf8'), existing.replace('machine github.com\n  login octocat\n  password gh-token # a trailing comment\n\n', ''))
})

t.test('a missing file is created with mode 0600', async (t) => {
  const path = join(tempDir(t), '.netrc')
  const netrc = new Netrc(path)
  t.equal(netrc.get('x'), undefined)
  t.equal(netrc.remove('x'), false)
  netrc.set('example.com', { login: 'a', password: 'b' })
  t.equal(readFileSync(path, 'utf8'), 'machine example.com\n  login a\n  password b\n')
  t.equal(statSync(path).mode & 0o777, 0o600)
})

t.test('values with spaces, quotes, backslashes or # are quoted and read back', async (t) => {
  const path = join(tempDir(t), '.netrc')
  const netrc = new Netrc(path)
  const entry = { login: 'a user', password: 'p"a\\ss #1' }
  netrc.set('example.com', entry)
  t.equal(readFileSync(path, 'utf8'), 'machine example.com\n  login "a user"\n  password "p\\"a\\\\ss #1"\n')
  t.same(netrc.get('example.com'), entry)
  netrc.set('example.com', { login: '', password: 'plain' })
  t.same(netrc.get('example.com'), { login: '', password: 'plain' })
})

t.test('a file without a final newline gets one before the new entry', async (t) => {
  const path = join(tempDir(t), '.netrc')
  writeFileSync(path, 'machine a login b password c')
  new Netrc(path).set('d', { login: 'e', password: 'f' })
  t.equal(readFileSync(path, 'utf8'), 'machine a login b password c\nmachine d\n  login e\n  password f\n')
})
