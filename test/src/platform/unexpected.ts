import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { isDiskFull, isFatal } from '../../../src/platform/unexpected.js'
import { ROOT, TYPESCRIPT_NODE_FLAGS } from '../../fixtures/tb.js'

const withCode = (code: string) => Object.assign(new Error(code), { code })

t.test('a full disk is never fatal: it passes once space is freed; a database that cannot be used is', async (t) => {
  for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE', 'ENOSPC', 'EDQUOT']) {
    t.ok(isDiskFull(withCode(code)), code)
    t.notOk(isFatal(withCode(code)), code)
  }
  for (const code of ['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE']) {
    t.ok(isFatal(withCode(code)), code)
    t.notOk(isDiskFull(withCode(code)), code)
  }
  t.notOk(isDiskFull(new Error('plain')))
  t.notOk(isFatal(null))
})

/** Runs `calls` (JavaScript with reportUnexpected and withCode in scope) in a process of its own: its exit status, stdout and stderr. */
function reportIn(calls: string) {
  const script = [
    `import { reportUnexpected } from ${JSON.stringify(pathToFileURL(join(ROOT, 'src/platform/unexpected.ts')).href)}`,
    'const withCode = (code) => Object.assign(new Error(code), { code })',
    calls,
  ].join('\n')
  return spawnSync(process.execPath, [...TYPESCRIPT_NODE_FLAGS, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 })
}

t.test('a full disk is told in one line without a stack, then not again within the minute; other errors each with their stack', async (t) => {
  const run = reportIn([
    "reportUnexpected('API PATCH /apps/demo/config-vars', withCode('SQLITE_FULL'))",
    "reportUnexpected('dyno web.1: could not record its state (up)', withCode('SQLITE_FULL'))",
    "reportUnexpected('log router', withCode('SQLITE_FULL'))",
    "reportUnexpected('a timer of app shop', new Error('something else'))",
  ].join('\n'))
  t.equal(run.status, 0, run.stderr)
  const written = run.stderr.split(/(?=^platform: )/m)
  t.equal(written.length, 2, run.stderr)
  t.equal(written[0], 'platform: the disk is full, writes fail until space is freed: API PATCH /apps/demo/config-vars: SQLITE_FULL\n')
  t.match(written[1], /^platform: a timer of app shop: Error: something else\n {4}at /)
})

