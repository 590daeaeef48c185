import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import dotenv from 'dotenv'
import t from 'tap'
import { parseEnv } from '../../../src/envfile/parse.js'
import { platformWithApp } from '../../fixtures/cli.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test pulls from an app of its own name
const shared = new SharedPlatform(t)

const tricky: Record<string, string> = {
  SPACES: '  padded value  ',
  SINGLE: "it's",
  DOUBLE: 'say "hi"',
  BOTH: `it's "both"`,
  HASH: 'a#b # c',
  EQUALS: 'postgres://u:p@h/db?sslmode=require&x=1',
  NEWLINES: '-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----\n',
  MIXED: `line one 'q'\nline "two" # not a comment\n`,
  BACKSLASH: 'C:\\path\\new',
  DOLLAR: '$HOME ${USER}',
  EMPTY: '',
}

t.test('config:pull writes .env so that dotenv reads back exactly the app\'s values', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'pull-dotenv', shared)
  await p.request('PATCH', '/apps/pull-dotenv/config-vars', tricky)
  const r = await tb(['config:pull', '-a', 'pull-dotenv'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '')
  t.equal(r.stderr, `Wrote 11 config vars of ⬢ pull-dotenv to .env (${Object.keys(tricky).join(', ')}).\n`)
  const text = readFileSync(join(cwd, '.env'), 'utf8')
  t.same(dotenv.parse(text), tricky, 'dotenv reads the same values')
  t.same(parseEnv(text), tricky, "tb's own reader too")
  t.equal(statSync(join(cwd, '.env')).mode & 0o777, 0o600, 'secrets: mode 0600')
})

t.test('config:pull keeps local-only keys, comments and local values unless --overwrite', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'pull-keep', shared)
  await p.request('PATCH', '/apps/pull-keep/config-vars', { SHARED: 'remote', REMOTE_ONLY: 'r', SAME: 's' })
  const local = '# my settings\nexport SHARED=local # mine\nLOCAL_ONLY="keep me"\nSAME=s\n'
  writeFileSync(join(cwd, '.env'), local)

  const r = await tb(['config:pull', '-a', 'pull-keep'])
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stderr, [
    "Warning: Kept the local value of SHARED; use --overwrite to take pull-keep's.",
    'Wrote 1 config var of ⬢ pull-keep to .env (REMOTE_ONLY).',
  ].join('\n') + '\n')
  t.equal(readFileSync(join(cwd, '.env'), 'utf8'), local + 'REMOTE_ONLY=r\n')

  const o = await tb(['config:pull', '-a', 'pull-keep', '--overwrite'])
  t.equal(o.code, 0, o.stderr)
  t.equal(readFileSync(join(cwd, '.env'), 'utf8'), '# my settings\nexport SHARED=remote # mine\nLOCAL_ONLY="keep me"\nSAME=s\nREMOTE_ONLY=r\n'.replace(' # mine', ''))

  const again = await tb(['config:pull', '-a', 'pull-keep'])
  t.equal(again.stderr, '.env already has every config var of ⬢ pull-keep.\n')
  const quiet = await tb(['config:pull', '-a', 'pull-keep', '-q'])
  t.equal(quiet.stderr, '')
})

t.test('config:pull --file writes another file; a multi-line local value is replaced whole', async (t) => {
  const { p, cwd, tb } = await platformWithApp(t, 'pull-file', shared)
  await p.request('PATCH', '/apps/pull-file/config-vars', { KEY: 'new\nkey', AFTER: 'x' })
  writeFileSync(join(cwd, 'prod.env'), "BEFORE=1\nKEY='old\nmulti\nline'\nAFTER=x\n")
  const r = await tb(['config:pull', '-a', 'pull-file', '-o', '--file', 'prod.env'])
  t.equal(r.code, 0, r.stderr)
  t.equal(readFileSync(join(cwd, 'prod.env'), 'utf8'), "BEFORE=1\nKEY='new\nkey'\nAFTER=x\n")
})

t.test('config:pull into a directory: exit 1 naming the file', async (t) => {
  const { tb } = await platformWithApp(t, 'pull-dir', shared)
  const r = await tb(['config:pull', '-a', 'pull-dir', '--file', '.'])
  t.equal(r.code, 1)
  t.match(r.stderr, /^Error: Cannot read env file \.: it is a directory\.\n/)
})
