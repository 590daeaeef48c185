// tb deploy --strategy canary, then tb deploy:promote or tb deploy:cancel; tb deploy:settings.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { NODE_WEB } from '../../fixtures/dynos.js'
import { tempDir } from '../../fixtures/tb.js'
import { SharedPlatform } from '../../fixtures/platform.js'

// each test deploys an app of its own name
const shared = new SharedPlatform(t)

function webApp(t: Test): string {
  const dir = join(tempDir(t, 'tb-canary-app-'), 'app')
  mkdirSync(dir)
  copyFileSync(join(NODE_WEB, 'server.js'), join(dir, 'server.js'))
  writeFileSync(join(dir, 'Procfile'), 'web: node server.js\n')
  return dir
}

t.test('tb deploy --strategy canary waits for tb deploy:promote; a second deploy meanwhile gets 409 naming it', async (t) => {
  const { p, tb, startTb } = await platformWithApp(t, 'canary-promote', shared)
  t.equal((await tb(['deploy', webApp(t), '-a', 'canary-promote'])).code, 0)
  const deploying = startTb(['deploy', webApp(t), '-a', 'canary-promote', '--strategy', 'canary'])
  // the deploy's output says when the canary serves
  await deploying.untilStderr((text) => text.includes('Canary web.1 of v3 gets 10% of requests'))
  const second = await tb(['config:set', 'A=1', '-a', 'canary-promote'])
  t.equal(second.code, 1)
  t.match(second.stderr, /Error: v3 \(Deploy\) is being deployed \(its canary is serving: tb deploy:promote or tb deploy:cancel it\): try again when it has finished\./)
  const ps = await tb(['ps', '-a', 'canary-promote'])
  t.match(ps.stdout, /^=== web \(Basic\): node server\.js \(1\)\nweb\.1: up \(v3, replacing v2\) /, 'tb ps: the canary on its slot\'s line')

  const promote = await tb(['deploy:promote', '-a', 'canary-promote'])
  t.equal(promote.code, 0, promote.stderr)
  t.match(promote.stderr, /Promoting the canary of \S+ canary-promote\.\.\. done, v3 is live\n/)
  const done = await deploying.result
  t.equal(done.code, 0, done.stderr)
  t.match(done.stderr, /v3 is live\n {7}Released v3\n/)
  t.match((await p.request('GET', '/apps/canary-promote/releases/3')).body, { status: 'succeeded', current: true })
})

t.test('tb deploy:cancel: the canary goes, the release fails, tb deploy exits non-zero', async (t) => {
  const { p, tb, startTb } = await platformWithApp(t, 'canary-cancel', shared)
  t.equal((await tb(['deploy:settings', '--strategy', 'canary', '--canary-percent', '50', '-a', 'canary-cancel'])).code, 0)
  t.equal((await tb(['deploy', webApp(t), '-a', 'canary-cancel'])).code, 0)
  const deploying = startTb(['deploy', webApp(t), '-a', 'canary-cancel'])
  await deploying.untilStderr((text) => text.includes('Canary web.1 of v3 gets 50% of requests'))
  const cancel = await tb(['deploy:cancel', '-a', 'canary-cancel'])
  t.equal(cancel.code, 0, cancel.stderr)
  t.match(cancel.stderr, /Cancelling the deploy of \S+ canary-cancel\.\.\. done, v3 failed\n/)
  const done = await deploying.result
  t.equal(done.code, 1)
  t.match(done.stderr, /Error: Release v3 failed: cancelled \(tb deploy:cancel\)\n/)
  t.match((await p.request('GET', '/apps/canary-cancel/releases/3')).body, { status: 'failed', current: false })
  const again = await tb(['deploy:cancel', '-a', 'canary-cancel'])
  t.equal(again.code, 1)
  t.match(again.stderr, /Error: canary-cancel has no deploy in progress\./)
})

t.test('tb deploy:settings shows and changes; --json; bad values are usage errors', async (t) => {
  const { tb } = await platformWithApp(t, 'canary-settings', shared)
  const shown = await tb(['deploy:settings', '-a', 'canary-settings'])
  t.equal(shown.code, 0, shown.stderr)
  t.match(shown.stdout, /Strategy: +bluegreen\nWatch window: +0 s\nCanary share: +10%\nMax surge: +1\nMax unavailable: +0\n/)
  const json = await tb(['deploy:settings', '-a', 'canary-settings', '--strategy', 'rolling', '--max-surge', '2', '--json'])
  t.strictSame(JSON.parse(json.stdout), { strategy: 'rolling', watch_seconds: 0, canary_percent: 10, max_surge: 2, max_unavailable: 0, static_rule: 'public/**' })
  const bad = await tb(['deploy:settings', '-a', 'canary-settings', '--watch', '-3'])
  t.equal(bad.code, 2)
  t.match(bad.stderr, /Error: --watch must be a whole number, 0 or more\./)
  const strategy = await tb(['deploy:settings', '-a', 'canary-settings', '--strategy', 'yolo'])
  t.equal(strategy.code, 2)
})
