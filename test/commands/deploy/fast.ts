// tb deploy --fast: only the changed files go, the platform makes the new slug from the live one
// and a real release; static files reach every running dyno without a restart, code restarts
// them through the app's strategy; paths stay inside the app.
import { chmodSync, mkdirSync, rmSync, statSync, symlinkSync, existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { platformWithApp } from '../../fixtures/cli.js'
import { allUp, statusAndBody, versionedStaticServer, waitForDynos } from '../../fixtures/dynos.js'
import { tempDir } from '../../fixtures/tb.js'

t.test('tb deploy --fast: static files without a restart, code through the strategy, deletes, modes, rollback', async (t) => {
  const { p, tb, startTb } = await platformWithApp(t, 'shop')
  const dir = join(tempDir(t, 'tb-fast-'), 'shop')
  mkdirSync(join(dir, 'public'), { recursive: true })
  mkdirSync(join(dir, 'bin'))
  writeFileSync(join(dir, 'Procfile'), 'web: node server.js\n')
  writeFileSync(join(dir, 'server.js'), versionedStaticServer('one'))
  writeFileSync(join(dir, 'public', 'index.html'), 'first')
  writeFileSync(join(dir, 'public', 'old.txt'), 'old')
  writeFileSync(join(dir, 'bin', 'task.sh'), '#!/bin/sh\necho task\n')

  const full = await tb(['deploy', dir, '-a', 'shop'])
  t.equal(full.code, 0, full.stderr)
  t.equal((await p.request('PATCH', '/apps/shop/formation/web', { quantity: 2 })).status, 200)
  const appId = (await p.request('GET', '/apps/shop')).body.id
  const before = await waitForDynos(p.dynos, appId, allUp({ web: 2 }))

  await t.test('nothing changed: nothing deployed', async (t) => {
    const r = await tb(['deploy', dir, '-a', 'shop', '--fast'])
    t.equal(r.code, 0, r.stderr)
    t.match(r.stderr, /nothing changed since v2/)
    t.equal(r.stdout, 'v2\n')
  })

  await t.test('a static-only change: same pids, every web dyno serves it', async (t) => {
    writeFileSync(join(dir, 'public', 'index.html'), 'second')
    const r = await tb(['deploy', dir, '-a', 'shop', '--fast'])
    t.equal(r.code, 0, r.stderr)
    t.equal(r.stdout, 'v3\n')
    t.match(r.stderr, /1 file changed/)
    t.match(r.stderr, /Static files only: written into every running dyno, no restart/)
    t.match((await p.request('GET', '/apps/shop/releases/3')).body, { description: 'Fast deploy: 1 file changed', current: true, status: 'succeeded' })
    const after = p.dynos.list(appId)
    t.strictSame(after.map((d) => [d.name, d.pid]).sort(), before.map((d) => [d.name, d.pid]).sort(), 'the same processes')
    t.ok(after.every((d) => d.release.version === 3), 'which run v3 now')
    for (const dyno of after) t.equal(await statusAndBody(dyno.port!, '/index.html'), '200 second', `${dyno.name} serves it`)
  })

  await t.test('code, a deleted file and an exec bit: the dynos restart onto the new slug', async (t) => {
    writeFileSync(join(dir, 'server.js'), versionedStaticServer('two'))
    rmSync(join(dir, 'public', 'old.txt'))
    chmodSync(join(dir, 'bin', 'task.sh'), 0o755)
    const r = await tb(['deploy', dir, '-a', 'shop', '--fast'])
    t.equal(r.code, 0, r.stderr)
    t.equal(r.stdout, 'v4\n')
    t.match(r.stderr, /server\.js is not a static file: the dynos restart/)
    t.equal((await p.request('GET', '/apps/shop/releases/4')).body.description, 'Fast deploy: 2 files changed, 1 deleted')
    const dynos = await waitForDynos(p.dynos, appId, (ds) => allUp({ web: 2 })(ds) && ds.every((d) => d.release.version === 4))
    t.equal(await statusAndBody(p.routerPort, '/version', { host: 'shop.localhost' }), '200 two', 'the new code serves through the router')
    for (const dyno of dynos) {
      const home = join(p.home, 'dynos', dyno.id)
      t.notOk(existsSync(join(home, 'public', 'old.txt')), `${dyno.name}: the deleted file is gone`)
      t.equal(statSync(join(home, 'bin', 'task.sh')).mode & 0o777, 0o755, `${dyno.name}: the exec bit kept`)
      t.equal(await statusAndBody(dyno.port!, '/index.html'), '200 second', `${dyno.name}: the earlier static change is in the slug`)
    }
  })

  await t.test('a fast deploy is a release: it survives a restart, and a rollback to the one before works', async (t) => {
    t.equal((await tb(['ps:restart', '-a', 'shop'])).code, 0)
    await waitForDynos(p.dynos, appId, (ds) => allUp({ web: 2 })(ds) && ds.every((d) => d.restarts > 0 || !before.some((b) => b.id === d.id)))
    t.equal(await statusAndBody(p.routerPort, '/version', { host: 'shop.localhost' }), '200 two')
    const rollback = await tb(['releases:rollback', 'v3', '-a', 'shop'])
    t.equal(rollback.code, 0, rollback.stderr)
    await waitForDynos(p.dynos, appId, (ds) => allUp({ web: 2 })(ds) && ds.every((d) => d.release.version === 5))
    t.equal(await statusAndBody(p.routerPort, '/version', { host: 'shop.localhost' }), '200 one', "v3's code again")
    t.equal(await statusAndBody(p.routerPort, '/old.txt', { host: 'shop.localhost' }), '200 old', "and v3's files")
  })

  await t.test('a Procfile change: a full build, saying why', async (t) => {
    writeFileSync(join(dir, 'Procfile'), 'web: node server.js\nclock: sleep 1000\n')
    const r = await tb(['deploy', dir, '-a', 'shop', '--fast'])
    t.equal(r.code, 0, r.stderr)
    t.match(r.stderr, /a full build: Procfile changed/)
    t.match(r.stderr, /Determining which buildpack to use/)
    t.equal((await p.request('GET', '/apps/shop/releases/6')).body.description, 'Deploy')
  })

  await t.test('paths that leave the app are refused, with nothing written', async (t) => {
    const current = (await p.request('GET', '/apps/shop/releases/6')).body
    const builds = (await p.request('GET', '/apps/shop/builds')).body.length
    const source = (await p.request('POST', '/sources')).body.source_blob
    const file = { size: 1, sha256: 'a'.repeat(64), mode: 0o644 }
    for (const [files, refusal] of [
      [[{ path: '../evil.js', ...file }], /a path leaving the app/],
      [[{ path: '/etc/evil', ...file }], /an absolute path/],
      [[{ path: 'public/up', ...file, link: '../../..' }], /outside the app/],
    ] as const) {
      const r = await p.request('POST', '/apps/shop/builds', { source_blob: { url: source.get_url }, fast_deploy: { base_slug: current.slug, files } })
      t.equal(r.status, 422, JSON.stringify(files))
      t.match(r.body.message, refusal)
    }
    t.equal((await p.request('GET', '/apps/shop/builds')).body.length, builds, 'no build was made')
    symlinkSync('../../outside', join(dir, 'public', 'escape'))
    const r = await tb(['deploy', dir, '-a', 'shop', '--fast'])
    t.equal(r.code, 1)
    t.match(r.stderr, /Refusing to deploy public\/escape: it is a symbolic link to \.\.\/\.\.\/outside, outside the app/)
    t.equal((await p.request('GET', '/apps/shop/releases')).body.length, 6, 'no release either')
  })

  await t.test('tb deploy --watch: a fast deploy on every save, one line each', async (t) => {
    rmSync(join(dir, 'public', 'escape'))
    const watching = startTb(['deploy', dir, '-a', 'shop', '--watch'])
    await watching.untilStderr((text) => text.includes('every save is deployed'))
    writeFileSync(join(dir, 'public', 'index.html'), 'watched')
    const line = await watching.untilStdout((text) => text.includes('v7'), 60_000)
    t.match(line, /^\d\d:\d\d:\d\d {2}v7 {2}Fast deploy: 1 file changed \(public\/index\.html\) {2}\d+\.\d\d s\n$/)
    t.equal(await statusAndBody(p.routerPort, '/index.html', { host: 'shop.localhost' }), '200 watched')
  })
})
