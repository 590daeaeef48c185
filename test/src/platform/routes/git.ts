// The git endpoints at each app's git_url, spoken to directly: the Basic challenge git needs,
// smart HTTP only, gzipped and plain request bodies, the body limit before and after inflating,
// the push secret's one use, and the repository going with its app. (A real `git push` is
// test/commands/git/push.ts.)
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { gzipSync } from 'node:zlib'
import t from 'tap'
import { startTestPlatform } from '../../../fixtures/platform.js'

const LIMIT = 4096

t.test('git over smart HTTP at the git_url', async (t) => {
  const p = await startTestPlatform(t, { buildLimits: { sourceBytes: LIMIT } })
  const app = (await p.request('POST', '/apps', { name: 'hello' })).body as { id: string; git_url: string }
  t.equal(app.git_url, `${p.url}/hello.git`)
  const basic = `Basic ${Buffer.from(`anyone:${p.apiKey}`).toString('base64')}`
  const git = (path: string, init: RequestInit = {}, auth: string | null = basic) =>
    fetch(`${p.url}${path}`, { ...init, headers: { ...(auth ? { Authorization: auth } : {}), ...(init.headers as Record<string, string>) } })
  const post = (service: string, body: Buffer, headers: Record<string, string> = {}) => git(`/hello.git/${service}`, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { 'Content-Type': `application/x-${service}-request`, ...headers },
  })
  const uploadPack = (body: Buffer, headers: Record<string, string> = {}) => post('git-upload-pack', body, headers)

  await t.test('no or wrong credentials: 401 with the Basic challenge git answers', async (t) => {
    for (const auth of [null, `Basic ${Buffer.from('anyone:wrong').toString('base64')}`]) {
      const res = await git('/hello.git/info/refs?service=git-upload-pack', {}, auth)
      t.equal(res.status, 401)
      t.equal(res.headers.get('www-authenticate'), 'Basic realm="tb"')
      t.match(await res.text(), /API key/)
    }
  })

  await t.test("the key as password, any user name: git's advertisement", async (t) => {
    const res = await git('/hello.git/info/refs?service=git-upload-pack')
    t.equal(res.status, 200)
    t.equal(res.headers.get('content-type'), 'application/x-git-upload-pack-advertisement')
    t.match(await res.text(), /^001e# service=git-upload-pack\n0000/)
    t.ok(existsSync(join(p.home, 'repos', `${app.id}.git`, 'HEAD')), 'the repository is made at first use')
  })

  await t.test('smart HTTP only; an unknown app is 404', async (t) => {
    const dumb = await git('/hello.git/info/refs')
    t.equal(dumb.status, 403)
    t.match(await dumb.text(), /smart HTTP/)
    const unknown = await git('/nope.git/info/refs?service=git-upload-pack')
    t.equal(unknown.status, 404)
    t.match(await unknown.text(), /no app called nope/)
  })

  await t.test('request bodies, plain or gzipped (as git sends them), reach git inflated', async (t) => {
    for (const [body, headers] of [[Buffer.from('0000'), {}], [gzipSync('0000'), { 'Content-Encoding': 'gzip' }]] as const) {
      const res = await uploadPack(body, headers)
      t.equal(res.status, 200, JSON.stringify(headers))
      t.equal(res.headers.get('content-type'), 'application/x-git-upload-pack-result')
      await res.arrayBuffer()
    }
    const broken = await uploadPack(Buffer.from('not gzip at all'), { 'Content-Encoding': 'gzip' })
    t.equal(broken.status, 400)
    const unknown = await uploadPack(Buffer.from('0000'), { 'Content-Encoding': 'br' })
    t.equal(unknown.status, 415)
  })

  await t.test('a body over the limit is refused, as sent and once inflated', async (t) => {
    const big = await uploadPack(Buffer.alloc(LIMIT * 4, 'x'))
    t.equal(big.status, 413)
    t.match(await big.text(), /larger than the limit/)
    // ref updates, which receive-pack reads until a flush that never comes: it keeps reading
    const update = `${'0'.repeat(40)} ${'1'.repeat(40)} refs/heads/x\n`
    const bomb = gzipSync(Buffer.from(`${(update.length + 4).toString(16).padStart(4, '0')}${update}`.repeat(LIMIT)))
    t.ok(bomb.length < LIMIT, 'small as sent')
    const inflated = await post('git-receive-pack', bomb, { 'Content-Encoding': 'gzip' })
    t.equal(inflated.status, 413)
  })

  await t.test("a push secret that no push opened finds nothing", async (t) => {
    const res = await git('/git-push/made-up-secret', { method: 'POST', body: 'x' }, null)
    t.equal(res.status, 404)
  })

  await t.test('the repository goes with its app', async (t) => {
    t.equal((await p.request('DELETE', '/apps/hello')).status, 200)
    const repo = join(p.home, 'repos', `${app.id}.git`)
    for (const deadline = Date.now() + 10_000; existsSync(repo) && Date.now() < deadline;) await sleep(50)
    t.notOk(existsSync(repo), 'removed within 10 s')
  })
})
